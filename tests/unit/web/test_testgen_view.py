"""The suite page's highlighting: classes, never inline styles (the pages' policy forbids
them), every token escaped, and the static stylesheet exactly what Pygments generates."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from entrypoints.web.rendering import STATIC
from entrypoints.web.testgen_view import json_html, pygments_css, python_html

#: A tag carrying a style attribute, which the pages' policy would block.
STYLED_TAG = re.compile(r"<[^>]*\bstyle=")
HOSTILE = 'def test_x():\n    assert "</pre><script>alert(1)</script>" == \'<b style="x">\'\n'


def test_the_static_stylesheet_is_the_one_pygments_generates() -> None:
    shipped = (STATIC / "testgen_pygments.css").read_text(encoding="utf-8")
    assert shipped == pygments_css(), (
        "regenerate it: uv run python -c 'from entrypoints.web.testgen_view import pygments_css;"
        ' open("src/entrypoints/web/static/testgen_pygments.css", "w").write(pygments_css())\''
    )
    assert ".highlight .k " in shipped  # keywords are styled by class


def test_code_is_highlighted_with_classes_and_every_token_escaped() -> None:
    html = str(python_html(HOSTILE))
    assert html.startswith('<div class="highlight"><pre>')
    assert '<span class="k">def</span>' in html
    assert "<script>" not in html
    assert not STYLED_TAG.search(html)
    assert "&lt;/pre&gt;&lt;script&gt;" in html


def test_the_spec_operation_is_highlighted_as_json() -> None:
    html = str(json_html('{\n  "summary": "<img src=x onerror=alert(1)>"\n}'))
    assert '<span class="nt">"summary"</span>' in html
    assert "<img" not in html


@given(st.text(max_size=200))
def test_no_source_text_escapes_the_highlighting(source: str) -> None:
    for html in (str(python_html(source)), str(json_html(source))):
        body = html.removeprefix('<div class="highlight"><pre>').removesuffix("</pre></div>\n")
        assert "<" not in body.replace("<span", "").replace("</span>", "")
        assert not STYLED_TAG.search(html)
