"""The web app: OAuth install routes, the webhook receiver, the API and health checks."""
