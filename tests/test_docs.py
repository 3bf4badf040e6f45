"""The documentation stays whole: the README links every docs page, no link points at a missing file or
heading, and the problem-code table in docs/manifests.md says exactly what the code knows.

Docs drift silently (a renamed page, a code added without its row); these checks make the drift a failing
test instead of a reader's dead end.
"""

from __future__ import annotations

import re
from pathlib import Path

from gitsync.manifest.problems import CODES

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)\)")
FENCE = re.compile(r"^(```|~~~).*?^\1", re.MULTILINE | re.DOTALL)
TABLE_ROW = re.compile(r"^\| `([a-z0-9-]+)` \| (.+) \|$", re.MULTILINE)


def _pages() -> list[Path]:
    return sorted(DOCS.glob("*.md"))


def _prose(path: Path) -> str:
    """The Markdown outside fenced code blocks: sample output in a fence is not a link."""
    return FENCE.sub("", path.read_text(encoding="utf-8"))


def _relative_links(path: Path) -> list[str]:
    return [t for t in LINK.findall(_prose(path)) if not re.match(r"^[a-z]+:", t)]


def _slug(heading: str) -> str:
    """GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def _anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#{1,6} (.+)$", _prose(path), re.MULTILINE)
    return {_slug(h) for h in headings}


def test_the_readme_links_every_docs_page() -> None:
    linked = {(ROOT / t.split("#")[0]).resolve() for t in _relative_links(ROOT / "README.md")}
    missing = [p.name for p in _pages() if p.resolve() not in linked]
    assert _pages(), "docs/ holds no page"
    assert missing == []


def test_every_relative_link_names_a_file_and_heading_that_exist() -> None:
    broken = []
    for page in [ROOT / "README.md", *_pages()]:
        for target in _relative_links(page):
            file_part, _, anchor = target.partition("#")
            linked = (page.parent / file_part).resolve() if file_part else page
            if not linked.exists():
                broken.append(f"{page.name}: {target} (no such file)")
            elif anchor and linked.suffix == ".md" and anchor not in _anchors(linked):
                broken.append(f"{page.name}: {target} (no such heading)")
    assert broken == []


def test_the_problem_code_table_lists_exactly_the_codes_the_code_knows() -> None:
    text = (DOCS / "manifests.md").read_text(encoding="utf-8")
    section = text.split("## Every problem code", 1)[1].split("\n## ", 1)[0]
    table = dict(TABLE_ROW.findall(section))
    assert sorted(table) == sorted(CODES), "add or remove the row in docs/manifests.md"
    assert table == CODES, "the meaning in docs/manifests.md differs from gitsync/manifest/problems.py"


def test_the_slug_rule_matches_githubs_for_the_headings_we_link() -> None:
    assert _slug("Exit codes under `bash -e`") == "exit-codes-under-bash--e"
    assert _slug("Running it, from Python, what it serves") == "running-it-from-python-what-it-serves"
    assert _slug("Deployment revisions and rollback (docs 2026-10-23)") == (
        "deployment-revisions-and-rollback-docs-2026-10-23"
    )
