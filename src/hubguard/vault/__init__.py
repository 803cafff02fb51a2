"""Credentials at rest: envelope encryption and the token vault."""
