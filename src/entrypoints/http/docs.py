"""The interactive API docs at /schema, working offline.

Litestar's Swagger, ReDoc and Scalar pages load their JavaScript from a CDN, which an
air-gapped installation cannot reach. This page is self-contained instead: a small script
shipped in this package (`docs_page.js`, inlined) reads `/schema/openapi.json` and offers each
operation as a form that sends the request with the bearer token typed in at the top. Its
content security policy allows exactly that script and style, by hash, and calls to this origin.
"""

from __future__ import annotations

import base64
import hashlib
from importlib.resources import files
from typing import Any

from litestar import Request
from litestar.openapi.plugins import OpenAPIRenderPlugin

_SCRIPT = files("entrypoints.http").joinpath("docs_page.js").read_text(encoding="utf-8")
_STYLE = (
    "body{font-family:system-ui,sans-serif;margin:2rem;max-width:70rem}"
    "summary{cursor:pointer;font-family:monospace;padding:.3rem 0}"
    "pre{background:#f4f4f4;padding:.5rem;white-space:pre-wrap}"
)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


DOCS_CSP = (
    f"default-src 'none'; script-src {_hash(_SCRIPT)}; style-src {_hash(_STYLE)}; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"
)
PAGE = (
    "<!doctype html><html lang=en><head><meta charset=utf-8><title>creditdesk API</title>"
    f"<style>{_STYLE}</style></head><body>"
    "<label>Bearer token <input id=token type=password autocomplete=off></label>"
    f"<div id=docs></div><script>{_SCRIPT}</script></body></html>"
)


class OfflineDocsPlugin(OpenAPIRenderPlugin):
    """Serves `PAGE` at the docs path; the OpenAPI JSON stays at `<path>/openapi.json`."""

    def __init__(self) -> None:
        super().__init__(path="/")

    def render(self, request: Request[Any, Any, Any], openapi_schema: dict[str, Any]) -> bytes:
        return PAGE.encode("utf-8")
