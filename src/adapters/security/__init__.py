"""Password hashing, signed tokens and secrets: the security adapters."""
