"""The one escaping of untrusted text for every renderer: plans (text, Markdown) and validation reports.

Values in a plan or a problem come from files anyone can edit: a control character can drive a terminal,
and a bidi override (U+202E) makes a pull-request comment read reversed. Everything Python does not call
printable (controls, format characters such as bidi overrides and zero-width spaces, line and paragraph
separators) is shown as its ``\\uXXXX`` escape instead.
"""

from __future__ import annotations


def clean(text: str) -> str:
    """``text`` with every non-printable character but the space written as its Python escape."""
    if text.isprintable():
        return text  # the usual case, checked in C: plans are large, values long
    return "".join(char if char.isprintable() or char == " " else repr(char)[1:-1] for char in text)


def clean_lines(text: str) -> str:
    """``clean`` line by line: a message's own line breaks stay (a config error lists one problem a line),
    every other control or bidi character is escaped."""
    return "\n".join(clean(line) for line in text.split("\n"))
