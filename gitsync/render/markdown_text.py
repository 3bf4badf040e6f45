"""Untrusted text in a GitHub comment: as code spans, escaped prose, HTML text or a checked link.

Any value of a plan can come from a pull request's author. GitHub's Markdown turns URLs, ``www.`` hosts and
e-mail addresses in text into links, ``@name`` into a mention and ``#12`` into an issue link, and renders
HTML; a ``|`` splits a table cell, a backtick run ends a code span. So a value is only ever shown as a code
span (literal in every renderer: no link, no entity, no markup), prose is backslash-escaped with every token
that could become a link in a code span, and HTML text (the ``<summary>`` line) is entity-escaped where
Markdown is not parsed at all. Control and bidi characters are escaped first (``render.escape.clean``).
"""

from __future__ import annotations

import html
import re

from gitsync.render.escape import clean

_MARKUP = frozenset("\\`*_{}[]<>()!|~&+#^")
"""What can start emphasis, code, a link, HTML, an entity, a table cell or strike-through mid-line."""
_LINKISH = re.compile(r"[@#]|www\.|://|:[A-Za-z0-9_+-]+:", re.IGNORECASE)
"""Words GitHub would make a link, a mention, an issue reference or an emoji: shown as code instead."""
_URL = re.compile(r"https?://[A-Za-z0-9.-]+(:[0-9]+)?(/[A-Za-z0-9._~/%+=&?#-]*)?")
"""A link gitsync writes (the CI run): http(s), and nothing that could end the Markdown link early."""


def one_line(text: str) -> str:
    """``clean`` (it writes a line break as ``\\n``): one line, no control or bidi character."""
    return clean(text)


def code(text: str) -> str:
    """``text`` as one inline code span, whatever backticks or spaces it holds (CommonMark §6.1)."""
    text = one_line(text)
    runs = [len(run) for run in re.findall(r"`+", text)]
    fence = "`" * (max(runs, default=0) + 1)
    pad = " " if not text or text[0] in "` " or text[-1] in "` " else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def prose(text: str) -> str:
    """Text read as words: ASCII punctuation backslash-escaped, link-like words as code spans."""
    return " ".join(_word(word) for word in one_line(text).split(" "))


def _word(word: str) -> str:
    if _LINKISH.search(word):
        return code(word)
    return "".join(f"\\{char}" if char in _MARKUP else char for char in word)


def html_text(text: str) -> str:
    """Text inside raw HTML (a ``<summary>``): entity-escaped; GitHub parses no Markdown there."""
    return html.escape(one_line(text), quote=True)


def safe_url(url: str | None) -> str | None:
    """``url`` when it is a plain http(s) URL gitsync can put in a Markdown link as is, else None."""
    if url is None or _URL.fullmatch(url) is None:
        return None
    return url


def fenced(lines: list[str], info: str = "") -> str:
    """A fenced code block longer than any backtick run inside, so no line can close it."""
    runs = [len(run) for line in lines for run in re.findall(r"`+", line)]
    fence = "`" * max(3, max(runs, default=0) + 1)
    return "\n".join([f"{fence}{info}", *lines, fence])
