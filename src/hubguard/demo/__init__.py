"""``hubguard demo``: the whole product, locally, against the bundled HubSpot emulator."""
