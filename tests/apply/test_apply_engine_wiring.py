"""The engine's settings and error paths that the CLI wires: --no-wait, a send that fails with a
GitsyncError (an unset variable), a change without a request or without a client."""

from __future__ import annotations

import dataclasses

from apply_support import FAST, SEED, bench, create, delete, live, plan, replace_change, run, send

from gitsync.api.client import ConnectClient
from gitsync.api.models import Deployment
from gitsync.errors import VariableError
from gitsync.plan.model import Change, Request

NO_WAIT = dataclasses.replace(FAST, wait=False)


def test_no_wait_counts_accepted_calls_as_applied() -> None:
    with bench({**SEED, "deployments": [live("old")]}, deploy_time=5) as b:
        report, lines = run(b, plan(delete("old"), create("new")), settings=NO_WAIT)
    results = {result.key: result for result in report.results}
    assert results["old"].outcome == "applied" and results["old"].status == "Undeploying"
    assert results["new"].outcome == "applied" and results["new"].status in ("Queued", "Deploying")
    assert "old: gone" not in lines  # nothing was waited for


def test_a_failing_send_a_missing_request_or_client_fail_that_deployment_only() -> None:
    def sender(client: ConnectClient, request: Request) -> Deployment | None:
        if request.body and request.body.get("key") == "needs-secret":
            raise VariableError("unset secured variable 'API_KEY' at a.yaml:3:5")
        return send(client, request)

    no_request = Change("prod", "no-request", "redeploy")
    no_client = dataclasses.replace(create("elsewhere"), target="other")
    with bench() as b:
        the_plan = plan(create("needs-secret"), no_request, no_client, create("fine"))
        report, _ = run(b, the_plan, sender=sender)
    results = {result.key: result for result in report.results}
    assert (results["needs-secret"].outcome, results["needs-secret"].error_code) == (
        "failed",
        "VariableError",
    )
    assert "the plan records no request for this redeploy" in (results["no-request"].error_message or "")
    assert "no API client for target 'other'" in (results["elsewhere"].error_message or "")
    assert results["fine"].outcome == "applied"


def test_no_wait_still_waits_for_the_delete_half_of_a_replace() -> None:
    with bench({**SEED, "deployments": [live("swap")]}) as b:
        report, lines = run(b, plan(replace_change("swap")), settings=NO_WAIT)
    assert report.results[0].outcome == "applied"
    assert lines.index("prod/swap: gone") < lines.index("prod/swap: create sent")
