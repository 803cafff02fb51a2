"""hubguard: spam filtering for HubSpot shared inboxes, on a secure HubSpot auth layer."""

__version__ = "0.1.0"
__all__ = ["__version__"]
