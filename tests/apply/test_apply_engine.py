"""The apply engine against the emulator over loopback: order, concurrency, waiting, failures, 409, wait.

Every test also checks that the canary secret (a secured value sent in each create and redeploy) appears
in no progress line, text report or JSON report.
"""

from __future__ import annotations

import io
import time
from dataclasses import replace

import httpx
from apply_support import (
    CANARY,
    FAST,
    SEED,
    Bench,
    bench,
    create,
    delete,
    live,
    plan,
    redeploy,
    replace_change,
    run,
    same_at_live_version,
)

from gitsync.api.models import Deployment
from gitsync.apply.report import render_report_json, render_report_text
from gitsync.apply.result import ApplyReport, exit_code
from gitsync.plan.model import Change

CREATE_ROUTE = "POST /{projectKey}/deployments"
UPDATE_ROUTE = "POST /{projectKey}/deployments/key={key}"


def outcomes(report: ApplyReport) -> dict[str, str]:
    return {result.key: result.outcome for result in report.results}


def assert_no_canary(report: ApplyReport, progress: str) -> None:
    text, data = io.StringIO(), io.StringIO()
    render_report_text(report, text)
    render_report_json(report, data)
    for output in (progress, text.getvalue(), data.getvalue(), repr(report)):
        assert CANARY not in output


def live_deployment(b: Bench, key: str) -> Deployment | None:
    with b.client() as client:
        return client.find_deployment_by_key(key)


def test_create_redeploy_delete_and_noop_end_applied() -> None:
    seed = {**SEED, "deployments": [live("rr"), live("dd")]}
    with bench(seed) as b:
        noop = Change("prod", "nn", "noop")
        report, progress = run(b, plan(create("cc"), redeploy("rr", 1), delete("dd"), noop))
        assert outcomes(report) == {"cc": "applied", "rr": "applied", "dd": "applied", "nn": "skipped"}
        statuses = {result.key: result.status for result in report.results}
        assert statuses == {"cc": "Deployed", "rr": "Deployed", "dd": "gone", "nn": None}
        assert live_deployment(b, "dd") is None
        redeployed = live_deployment(b, "rr")
        assert redeployed is not None and redeployed.version == 2
        assert exit_code(report) == 0
        assert "prod/cc: Deploying" in progress and "prod/dd: Undeploying" in progress
        assert_no_canary(report, progress)


def test_a_replace_deletes_waits_for_404_then_creates_and_deletes_go_first() -> None:
    seed = {**SEED, "deployments": [live("xx"), live("dd")]}
    with bench(seed, deploy_time=0.2) as b:
        old = live_deployment(b, "xx")
        report, progress = run(b, plan(create("aa"), replace_change("xx"), delete("dd")))
        assert outcomes(report) == {"aa": "applied", "xx": "applied", "dd": "applied"}
        lines = progress.splitlines()
        for line in ("prod/xx: delete sent", "prod/xx: gone", "prod/xx: create sent"):
            assert line in lines
        assert (
            lines.index("prod/xx: delete sent")
            < lines.index("prod/xx: gone")
            < lines.index("prod/xx: create sent")
        )
        assert lines.index("prod/dd: delete sent") < lines.index("prod/aa: create sent")
        new = live_deployment(b, "xx")
        assert old is not None and new is not None and new.id != old.id
        assert str(new.status) == "Deployed"
        assert_no_canary(report, progress)


def test_concurrency_bounds_the_calls_in_flight() -> None:
    with bench(latency=0.03) as b:
        settings = replace(FAST, concurrency=3)
        report, progress = run(b, plan(*(create(f"k{n:02d}") for n in range(20))), settings=settings)
        assert set(outcomes(report).values()) == {"applied"}
        assert b.flight.most == 3  # used to the full, never past it
        assert b.requests(CREATE_ROUTE) == 20
        assert_no_canary(report, progress)


def test_a_failing_connector_ends_failed_with_its_report_and_others_still_apply() -> None:
    with bench() as b:
        report, progress = run(b, plan(create("bad", connector="broken"), create("ok")))
        assert outcomes(report) == {"bad": "failed", "ok": "applied"}
        bad = report.results[0]
        assert (bad.status, bad.error_code) == ("Failed", "Failed")
        assert [(e.type, e.application, e.title, e.message) for e in bad.entries] == [
            ("Error", "app", "Deployment failed", "The build failed.")
        ]
        assert exit_code(report) == 1
        assert "  Error app: Deployment failed: The build failed." in progress
        text = io.StringIO()
        render_report_text(report, text)
        assert "  Error app: Deployment failed: The build failed." in text.getvalue()
        assert_no_canary(report, progress)


def test_waiting_stops_at_the_timeout() -> None:
    with bench(deploy_time=30.0) as b:
        started = time.monotonic()
        report, progress = run(b, plan(create("slow")), settings=replace(FAST, timeout=0.4))
        assert time.monotonic() - started < 5
        result = report.results[0]
        assert (result.outcome, result.status, result.error_code) == ("failed", "Deploying", "Timeout")
        assert exit_code(report) == 1
        assert_no_canary(report, progress)


def test_a_heartbeat_names_what_is_still_deploying() -> None:
    with bench(deploy_time=0.6) as b:
        report, progress = run(b, plan(create("hb")), heartbeat=0.1)
        assert outcomes(report) == {"hb": "applied"}
        assert "still deploying prod/hb… " in progress
        assert_no_canary(report, progress)


def test_a_409_replans_and_applies_the_same_change_at_the_new_version() -> None:
    seed = {**SEED, "deployments": [{**live("rr"), "version": 3}]}
    with bench(seed) as b:
        report, progress = run(b, plan(redeploy("rr", 1)), replan=same_at_live_version)
        assert outcomes(report) == {"rr": "applied"}
        assert report.results[0].version == 4
        assert b.requests(UPDATE_ROUTE) == 2  # the 409, then the replanned redeploy
        assert_no_canary(report, progress)


def test_a_409_whose_new_plan_differs_is_stale_and_sends_nothing_more() -> None:
    seed = {**SEED, "deployments": [{**live("rr"), "version": 3}]}

    def now_a_replace(change: Change, live: Deployment | None) -> Change:
        return replace(change, action="replace")

    with bench(seed) as b:
        report, progress = run(b, plan(redeploy("rr", 1)), replan=now_a_replace)
        result = report.results[0]
        assert (result.outcome, result.error_code) == ("stale", "ConcurrentModification")
        assert "now plans as replace" in (result.error_message or "")
        assert b.requests(UPDATE_ROUTE) == 1
        deployment = live_deployment(b, "rr")
        assert deployment is not None and deployment.version == 3
        assert exit_code(report) == 1
        assert_no_canary(report, progress)


def test_a_wait_waits_for_the_status_to_settle_then_applies_the_new_plan() -> None:
    seed = {**SEED, "deployments": [live("ww", status="Deploying"), live("vv", status="Deploying")]}
    seen: dict[str, str] = {}

    def plan_again(change: Change, live: Deployment | None) -> Change:
        assert live is not None
        seen[change.key] = str(live.status)
        if change.key == "ww":
            return replace(change, action="noop")
        return redeploy("vv", live.version)

    with bench(seed, deploy_time=0.3) as b:
        waits = [Change("prod", key, "wait") for key in ("ww", "vv")]
        report, progress = run(b, plan(*waits), replan=plan_again)
        assert outcomes(report) == {"ww": "applied", "vv": "applied"}
        assert seen == {"ww": "Deployed", "vv": "Deployed"}
        assert [r.action for r in report.results] == ["wait", "wait"]
        redeployed = live_deployment(b, "vv")
        assert redeployed is not None and redeployed.version == 2
        assert b.requests(UPDATE_ROUTE) == 1
        assert_no_canary(report, progress)


def test_a_wait_that_now_plans_a_delete_is_stale() -> None:
    seed = {**SEED, "deployments": [live("ww", status="Deploying")]}
    with bench(seed, deploy_time=0.2) as b:
        report, progress = run(
            b, plan(Change("prod", "ww", "wait")), replan=lambda c, _: replace(c, action="delete")
        )
        assert outcomes(report) == {"ww": "stale"}
        assert live_deployment(b, "ww") is not None
        assert_no_canary(report, progress)


def test_an_error_change_fails_and_an_api_error_names_its_code() -> None:
    with bench() as b:
        error = Change("prod", "ee", "error", error="connector 'nope' does not exist")
        bad_region = create("rr")
        assert bad_region.request is not None and bad_region.request.body is not None
        body = {**bad_region.request.body, "region": "mars-north1.gcp"}
        bad_region = replace(bad_region, request=replace(bad_region.request, body=body))
        report, progress = run(b, plan(error, bad_region))
        assert outcomes(report) == {"ee": "failed", "rr": "failed"}
        assert report.results[0].error_code == "PlanError"
        assert report.results[1].error_code not in (None, "PlanError")
        assert "prod/rr" in progress
        assert_no_canary(report, progress)


def test_the_emulator_bench_is_reachable() -> None:
    # guards the fixture itself: a silent failure to serve would make every other test vacuous
    with bench() as b:
        assert httpx.get(f"{b.url}/_emulator/stats", timeout=5).status_code == 200
