"""Use cases of the test-generation context: specs in, reviewed suites out."""
