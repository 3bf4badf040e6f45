"""Random values never break the comment: the table keeps its cells, each diff its lines, nothing injects
markup or a link, and no secured value ever shows. Rendered with GitHub's own library (cmark-gfm)."""

from __future__ import annotations

import re

from github_html import ALLOWED_TAGS, read, render
from hypothesis import given, settings
from hypothesis import strategies as st
from render_builders import CREATED_AT, live

from gitsync.plan.model import Change, Plan, Reason, Request, TargetInfo
from gitsync.plan.removes import Removed
from gitsync.render.escape import clean
from gitsync.render.plan_markdown import BUDGET, plan_markdown

HOSTILE = [
    "https://evil.example/?a=1&b=2",
    "www.evil.example",
    "me@evil.example",
    "@octocat",
    "#12",
    ":smile:",
    "`",
    "``x``",
    "|",
    "<script>alert(1)</script>",
    "<details>",
    "</details>",
    "&amp;",
    "*a* _b_ ~~c~~",
    "[x](https://evil.example)",
    "\u202eevil",
    "\u200b",
    "\n```\n",
    "   ```",
    "> [!NOTE]",
    "- item",
    "\\",
]
pieces = st.one_of(st.sampled_from(HOSTILE), st.text(max_size=12))
values = st.lists(pieces, min_size=1, max_size=5).map("".join)
keys = values.filter(lambda key: key.strip() != "")
SECRET = "SECRET-VALUE-7f3a9"


def _plan(key: str, before: str, after: str, path: str, note: str, error: str) -> Plan:
    target = TargetInfo(name=key, project_key=before, region=after)
    secured = [{"key": path or "K", "value": SECRET}]
    standard = [{"key": "U", "value": after}]
    app = {"applicationName": note or "app", "standardConfiguration": standard}
    body = {
        "key": key,
        "connector": {"key": before},
        "configurations": [app | {"securedConfiguration": secured}],
    }
    old = ((f"configurations.a.standardConfiguration.{path}", before),)
    removes = Removed("c", 1, before, standard=old)
    changes = (
        Change(key, key, "redeploy", after, live(), (Reason(path or "p", before, after, note),), None),
        Change(key, key + "-c", "create", before, None, (), Request("POST", "/p/deployments", body)),
        Change(
            key, key + "-d", "delete", None, live(), (Reason("manifest", key, None, note),), removes=removes
        ),
        Change(key, key + "-e", "error", None, live(), (), error=error),
    )
    return Plan((target,), changes, CREATED_AT)


@settings(max_examples=60, deadline=None)
@given(keys, values, values, values, values, values)
def test_random_values_never_break_the_comment(
    key: str, before: str, after: str, path: str, note: str, error: str
) -> None:
    output = plan_markdown(_plan(key, before, after, path, note, error))
    assert len(output) <= BUDGET
    html = render(output)
    text, tags = read(html)
    assert {tag for tag, _ in tags} <= ALLOWED_TAGS
    assert not [tag for tag, _ in tags if tag == "a"]  # no value became a link (no run URL given)
    assert SECRET not in output
    assert html.count("<details>") == 4 and html.count("<pre") == 3  # the error has no diff
    row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", html, re.S)
    assert row is not None and row.group(1).count("<td") == len(re.findall(r"<th[ >]", html))
    for block in re.findall(r"<pre[^>]*><code[^>]*>(.*?)</code></pre>", html, re.S):
        lines = read(block)[0].rstrip("\n").split("\n")
        assert all(line[:2] in ("- ", "+ ", "  ", "# ") for line in lines), lines
    assert clean(key).strip() in text
