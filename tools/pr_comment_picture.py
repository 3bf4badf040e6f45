"""Render a sample plan comment as GitHub would and write it as HTML (docs/pr-comment.png is its screenshot).

    python tools/pr_comment_picture.py /tmp/comment.html
    chromium --headless --no-sandbox --disable-gpu --disable-background-networking \
        --disable-component-update --no-first-run --hide-scrollbars \
        --screenshot=docs/pr-comment.png --window-size=900,1500 file:///tmp/comment.html

cmark-gfm is GitHub's Markdown library; GitHub's alert blocks (``> [!CAUTION]``) are a step after it,
imitated here, as is a few lines of GitHub's stylesheet in an 840 px comment column.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import cmarkgfm
from cmarkgfm.cmark import Options

from gitsync.plan.model import Change, LiveState, Plan, Reason, Request, TargetInfo
from gitsync.plan.removes import Removed
from gitsync.render.context import CommentContext
from gitsync.render.plan_markdown import plan_markdown

STAGING = TargetInfo("staging", "acme-staging", "europe-west1.gcp")
PRODUCTION = TargetInfo("production", "acme-production", "europe-west1.gcp")
APP = "configurations.processor"
STYLE = """
body { font: 14px/1.5 -apple-system, "Segoe UI", "Noto Sans", Helvetica, Arial, sans-serif; color: #1f2328;
  margin: 16px; background: #fff; }
.comment { width: 840px; border: 1px solid #d1d9e0; border-radius: 6px; }
.who { background: #f6f8fa; border-bottom: 1px solid #d1d9e0; padding: 8px 16px; color: #59636e; }
.body { padding: 4px 16px 8px; }
h2 { font-size: 1.3em; border-bottom: 1px solid #d1d9e0; padding-bottom: .3em; }
h3 { font-size: 1.1em; margin-top: 20px; }
code, pre { font-family: ui-monospace, SFMono-Regular, Menlo, monospace; font-size: 85%; }
code { background: #eff1f3; border-radius: 6px; padding: .2em .4em; }
pre { background: #f6f8fa; border-radius: 6px; padding: 12px; overflow: auto; }
pre code { background: none; padding: 0; }
table { border-collapse: collapse; } th, td { border: 1px solid #d1d9e0; padding: 4px 12px; }
.alert { border-left: 4px solid; padding: 0 16px; margin: 12px 0; }
.alert-title { font-weight: 600; margin-top: 8px; }
.caution { border-color: #cf222e; } .caution .alert-title { color: #cf222e; }
.warning { border-color: #9a6700; } .warning .alert-title { color: #9a6700; }
.del { color: #cf222e; } .add { color: #1a7f37; } .note { color: #59636e; }
details { margin: 6px 0; } hr { border: 0; border-top: 2px solid #d1d9e0; }
"""


def sample_plan() -> Plan:
    live = LiveState("d-1", 12, "Deployed")
    adyen = Removed(
        "c-91",
        7,
        "adyen-connector",
        type="production",
        region="europe-west1.gcp",
        standard=((f"{APP}.standardConfiguration.ADYEN_ENV", "LIVE"),),
        secured=(f"{APP}.securedConfiguration.ADYEN_API_KEY",),
    )
    feed = Removed("c-12", 3, "order-feed", type="production", region="europe-west1.gcp")
    body = {
        "key": "payments-adyen",
        "region": "us-central1.gcp",
        "connector": {"key": "adyen-connector", "version": 7},
        "type": "production",
        "configurations": [
            {
                "applicationName": "processor",
                "standardConfiguration": [{"key": "ADYEN_ENV", "value": "LIVE"}],
                "securedConfiguration": [{"key": "ADYEN_API_KEY", "value": "${ADYEN_API_KEY}"}],
            }
        ],
    }
    prunes = "no manifest; the target prunes"
    changes = (
        Change(
            "staging",
            "legacy-order-feed",
            "delete",
            None,
            live,
            (Reason("manifest", "x", None, prunes),),
            Request("DELETE", "/x"),
            removes=feed,
        ),
        Change(
            "staging",
            "payments-adyen",
            "replace",
            "deployments/staging/payments-adyen.yaml",
            live,
            (Reason("region", "europe-west1.gcp", "us-central1.gcp", "forces replacement"),),
            Request("POST", "/x", body),
            Request("DELETE", "/x"),
            removes=adyen,
        ),
        Change(
            "staging",
            "store-locator",
            "redeploy",
            "deployments/staging/store-locator.yaml",
            live,
            (
                Reason(
                    f"{APP}.standardConfiguration.MAPS_URL",
                    "https://maps.example.com/v1?utm_source=ct",
                    "https://maps.example.com/v2?utm_source=ct",
                ),
                Reason("connector.version", 4, 5, "updateConnector"),
            ),
            Request("POST", "/x"),
        ),
        Change(
            "production",
            "order-export-v1",
            "delete",
            None,
            live,
            (Reason("manifest", "x", None, prunes),),
            Request("DELETE", "/x"),
            removes=feed,
        ),
        Change(
            "production",
            "order-export-v2",
            "delete",
            None,
            live,
            (Reason("manifest", "x", None, prunes),),
            Request("DELETE", "/x"),
            removes=feed,
        ),
        Change("production", "payments-adyen", "noop", "deployments/production/payments-adyen.yaml", live),
    )
    return Plan((STAGING, PRODUCTION), changes, "2026-11-30T09:57:54Z")


def page(markdown: str) -> str:
    html = cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)
    for kind in ("CAUTION", "WARNING"):
        html = html.replace(
            f"<blockquote>\n<p>[!{kind}]\n",
            f'<blockquote class="alert {kind.lower()}">\n<p class="alert-title">{kind.title()}</p>\n<p>',
        )
    html = re.sub(r'(<pre lang="diff"><code>)(.*?)(</code>)', _colour_diff, html, flags=re.S)
    html = html.replace("<details>", "<details open>", 3)
    who = '<div class="who"><b>github-actions</b> bot commented 2 minutes ago</div>'
    return (
        f"<html><head><meta charset='utf-8'><style>{STYLE}</style></head><body>"
        f'<div class="comment">{who}<div class="body">{html}</div></div></body></html>'
    )


def _colour_diff(match: re.Match[str]) -> str:
    """GitHub colours ``diff`` blocks: removed lines red, added green."""
    colours = {"-": "del", "+": "add", "#": "note"}
    lines = [
        f'<span class="{colours[line[0]]}">{line}</span>' if line[:1] in colours else line
        for line in match[2].split("\n")
    ]
    return match[1] + "\n".join(lines) + match[3]


def main() -> None:
    refusal = (
        "target 'production' plans 2 delete(s) and replace(s), more than its maxDeletes of 1, so apply will "
        "refuse this plan; review the deletes, or raise targets.production.maxDeletes in gitsync.yaml"
    )
    context = CommentContext(
        "4f2a9c1e8b", "https://github.com/acme/connect-deployments/actions/runs/812", (refusal,)
    )
    Path(sys.argv[1]).write_text(page(plan_markdown(sample_plan(), context)), encoding="utf-8")


if __name__ == "__main__":
    main()
