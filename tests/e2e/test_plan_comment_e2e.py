"""`gitsync plan --format markdown` as CI runs it: what a delete removes, the guard outcome in the footer,
and provenance from GitHub Actions' variables or flags (issue 12), against the emulator over HTTP."""

from __future__ import annotations

from pathlib import Path

from e2e_support import deployment, gitsync, manifest, processor, running_emulator, write_repo

GITHUB = {
    "GITHUB_SHA": "4f2a9c1e8b7d6c5a4f3e2d1c0b9a8f7e6d5c4b3a",
    "GITHUB_SERVER_URL": "https://github.com",
    "GITHUB_REPOSITORY": "acme/deploy",
    "GITHUB_RUN_ID": "812",
}
RUN = "https://github.com/acme/deploy/actions/runs/812"
UNSET = tuple(GITHUB)


def test_the_comment_shows_what_goes_away_the_guard_refusal_and_where_it_came_from(tmp_path: Path) -> None:
    live = [
        deployment("acme", key, configurations=[processor("Shop")]) for key in ("pay-a", "old-1", "old-2")
    ]
    with running_emulator() as emulator:
        emulator.seed({"deployments": live})
        target = {"projectKey": "acme", "prune": True, "maxDeletes": 1}
        root = write_repo(tmp_path, emulator.url, {"prod": target}, {"prod/a.yaml": manifest("pay-a")})
        result = gitsync(root, "plan", "--format", "markdown", env=GITHUB)
        flagged = gitsync(
            root,
            "plan",
            "--format",
            "markdown",
            "--commit",
            "abcdef1",
            "--run-url",
            "https://ci.example/b/9",
            unset=UNSET,
        )
        bare = gitsync(root, "plan", "--format", "markdown", unset=UNSET)
    assert result.returncode == 0, result.stderr
    comment = result.stdout
    assert comment.startswith("<!-- gitsync-plan -->\n## gitsync plan: 🔴 2 to delete")
    lines = comment.splitlines()
    assert '- processor.MERCHANT = "Shop"' in lines and "- processor.ADYEN_API_KEY = (sensitive)" in lines
    assert '- connector.key = "adyen"' in lines or any(line.startswith("- connector.id = ") for line in lines)
    assert "live-value" not in comment
    assert f"Planned at commit `4f2a9c1e8b7d` by [the CI run]({RUN})" in comment
    footer = comment[comment.index("**On merge**") :]
    assert "⛔ **Apply will refuse this plan (exit 3):**" in footer and "maxDeletes of 1" in footer
    assert "Planned at commit `abcdef1` by [the CI run](https://ci.example/b/9)" in flagged.stdout
    assert "Planned · `" in bare.stdout and "](" not in bare.stdout


def test_a_bad_commit_or_run_url_is_a_usage_error_before_any_call(tmp_path: Path) -> None:
    root = write_repo(
        tmp_path, "http://127.0.0.1:9", {"prod": {"projectKey": "acme"}}, {"a.yaml": manifest("a")}
    )
    commit = gitsync(root, "plan", "--format", "markdown", "--commit", "not a sha")
    url = gitsync(root, "plan", "--format", "markdown", "--run-url", "javascript:alert(1)")
    assert (commit.returncode, url.returncode) == (64, 64), commit.stderr + url.stderr
    assert "--commit" in commit.stderr and "--run-url" in url.stderr
