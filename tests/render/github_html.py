"""The comment as GitHub renders it: cmark-gfm (GitHub's library) with raw HTML and autolinks on.

``visible`` is the text a reader sees (entities decoded, tags gone): a value must appear there exactly, and
no entity may be left showing. ``tags`` lists every element, to assert that nothing injected markup.
"""

from __future__ import annotations

from html.parser import HTMLParser

import cmarkgfm
from cmarkgfm.cmark import Options

# GitHub's renderer keeps raw HTML (it sanitises afterwards) and runs the autolink extension
GFM_OPTIONS = Options.CMARK_OPT_UNSAFE

ALLOWED_TAGS = frozenset(
    {"p", "h2", "h3", "blockquote", "ul", "li", "strong", "em", "code", "pre", "hr", "a"}
    | {"table", "thead", "tbody", "tr", "th", "td", "details", "summary", "b"}
)


def render(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=GFM_OPTIONS)


class _Reader(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def read(html: str) -> tuple[str, list[tuple[str, dict[str, str | None]]]]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return "".join(reader.text), reader.tags


def visible(markdown: str) -> str:
    return read(render(markdown))[0]


def links(markdown: str) -> list[str]:
    return [attrs.get("href") or "" for tag, attrs in read(render(markdown))[1] if tag == "a"]


def tag_names(markdown: str) -> set[str]:
    return {tag for tag, _ in read(render(markdown))[1]}
