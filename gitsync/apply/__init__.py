"""Apply: execute a reviewed plan through the client, exactly as planned (SPEC §4)."""
