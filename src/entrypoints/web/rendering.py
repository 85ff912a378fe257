"""Jinja2 templates for the workbench, and the headers every page carries.

Everything a page needs is served by creditdesk itself (`/static`), so the content security
policy allows this origin alone: no inline script or style, no other host. Jinja escapes every
value it prints (autoescape), and charts are SVG built from numbers on the server
(`charts.py`), so no client library is needed to draw them.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from litestar.plugins.jinja import JinjaTemplateEngine
from litestar.response import Template
from litestar.template.config import TemplateConfig

TEMPLATES = Path(__file__).parent / "templates"
STATIC = Path(__file__).parent / "static"
PAGE_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
)


#: Pages tell this site where a request came from, and nobody else: a form posted from a page
#: then carries its true `Origin` (under `no-referrer` it would say `null`), which the login
#: form checks (`session_routes.same_origin`).
REFERRER_POLICY = "same-origin"


def template_config() -> TemplateConfig[JinjaTemplateEngine]:
    return TemplateConfig(directory=TEMPLATES, engine=JinjaTemplateEngine)


def render(name: str, context: Mapping[str, Any], status_code: int = 200) -> Template:
    """The template `name` with `context`, under the pages' security policy."""
    return Template(
        template_name=name,
        context=dict(context),
        status_code=status_code,
        headers={"Content-Security-Policy": PAGE_CSP, "Referrer-Policy": REFERRER_POLICY},
        media_type="text/html",
    )
