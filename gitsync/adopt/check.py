"""The written text checked as ``gitsync validate`` would, before any file is written.

A live Deployment may hold what a manifest cannot say (a key or configuration key outside the schema's
pattern, no region): such a Deployment is reported with the problem, never written as a broken file.
"""

from __future__ import annotations

from gitsync.manifest.checks import check_manifest
from gitsync.manifest.schema import schema_problems
from gitsync.manifest.yamlfile import Document, parse_into


def text_problems(text: str, display: str) -> list[str]:
    """Every problem validate would report in ``text`` (``line:col: message``), none when it is clean."""
    doc = Document(display, data=text.encode("utf-8"))
    parse_into(doc)
    if not doc.problems:
        doc.problems += schema_problems(doc, "deployment.schema.json")
        doc.problems += check_manifest(doc, allow_plaintext_secrets=False)
    return [f"{problem.line}:{problem.col}: {problem.message}" for problem in sorted(doc.problems)]
