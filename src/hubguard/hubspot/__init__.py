"""Everything that speaks HubSpot's wire format."""
