"""Test generation: OpenAPI specs in, reviewed test suites out (the second bounded context).

Pure like the rest of the domain: the OpenAPI model and its reading from already-decoded JSON
(`openapi.py`), the test cases the generation rules propose and the review they go through
(`cases.py`, `review.py`). Loading files or URLs, rendering pytest modules and running them
are adapters' and use cases' work.
"""
