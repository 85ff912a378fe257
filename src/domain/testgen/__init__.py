"""Test generation: OpenAPI specs in, reviewed test suites out (the second bounded context).

Pure like the rest of the domain: the OpenAPI model and its reading from already-decoded JSON
(`openapi.py`), the test cases the generation rules propose and the review they go through
(`cases.py`, `review.py`), and the rules themselves (`rules/`, run by `generate.py`, starting
from the valid example values of `examples.py`). Loading files or URLs, rendering pytest
modules and running them are adapters' and use cases' work.
"""
