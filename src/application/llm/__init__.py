"""LLM assistance shared by both contexts: the ports and the gateway every use case asks through."""
