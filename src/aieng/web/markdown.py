"""Lessons as HTML: Markdown (tables included), math as MathML (no JavaScript, no CDN), code highlighted by
Pygments, figures served from the exercise's own folder, glossary terms linked to the glossary page."""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any
from urllib.parse import quote

from latex2mathml.converter import convert
from markdown_it import MarkdownIt
from mdit_py_plugins.dollarmath import dollarmath_plugin
from pygments import highlight
from pygments.formatters import HtmlFormatter
from pygments.lexers import get_lexer_by_name
from pygments.util import ClassNotFound

_FORMATTER = HtmlFormatter(nowrap=True)


def _math(latex: str, options: dict[str, Any]) -> str:
    display = "block" if options.get("display_mode") else "inline"
    try:
        return convert(latex.strip(), display=display)
    except Exception:  # a formula latex2mathml cannot parse still shows, as its source
        return f'<code class="math-source">{html.escape(latex)}</code>'


def _code(code: str, language: str, _attrs: str) -> str:
    try:
        lexer = get_lexer_by_name(language or "text")
    except ClassNotFound:
        lexer = get_lexer_by_name("text")
    return highlight(code, lexer, _FORMATTER)


@cache
def _parser() -> MarkdownIt:
    md = MarkdownIt("commonmark", {"highlight": _code}).enable("table")
    return md.use(dollarmath_plugin, allow_space=True, double_inline=True, renderer=_math)


def pygments_css() -> str:
    """The stylesheet of the highlighted code blocks."""
    return _FORMATTER.get_style_defs(".highlight")


def render_lesson(markdown: str, figure_url: str, terms: list[str]) -> str:
    """A lesson's HTML. Relative image paths become `figure_url/<path>`; the first mention of each of `terms`
    in running text links to the glossary."""
    body = _parser().render(markdown)
    body = re.sub(r'<img src="(?!https?:|/)([^"]+)"', lambda m: f'<img src="{figure_url}/{m[1]}"', body)
    return _link_terms(body, terms)


def _link_terms(body: str, terms: list[str]) -> str:
    """Link each term's first whole-word mention outside tags, code, math and headings."""
    parts = re.split(r"(<(code|pre|math|h[1-6]|a)\b.*?</\2>|<[^>]+>)", body, flags=re.DOTALL | re.IGNORECASE)
    texts = parts[::3]  # re.split with two groups: text, whole match, group 2, text, ...
    for term in sorted(terms, key=len, reverse=True):
        pattern = re.compile(rf"\b({re.escape(term)})\b", re.IGNORECASE)
        for i, text in enumerate(texts):
            if pattern.search(text):
                link = f'<a class="term" href="/glossary?q={quote(term)}#{anchor(term)}">\\1</a>'
                texts[i] = pattern.sub(link, text, count=1)
                break
    out = []
    for i, text in enumerate(texts):
        out.append(text)
        if 3 * i + 1 < len(parts):
            out.append(parts[3 * i + 1])
    return "".join(out)


def anchor(term: str) -> str:
    """The id of a glossary entry in the page."""
    return "term-" + re.sub(r"[^a-z0-9]+", "-", term.lower()).strip("-")
