"""Language models through the OpenAI client, and the reader of their JSON answers."""
