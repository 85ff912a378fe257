"""The LLM adapters through the real openai client over real HTTP, against a scripted server."""
