"""The `creditdesk` command line (Typer + Rich)."""
