"""The only code that reads the environment and wires adapters to use cases."""
