"""Unit tests of the machine-learning adapters, on small synthetic histories."""
