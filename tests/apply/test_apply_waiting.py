"""Waiting for a Deployment (gitsync.apply.waiting.poll): the call's own answer is the first read, a read the
API keeps refusing with 429/5xx through the client's retries does not end the wait, other errors do; and an
interrupt while the engine is still starting its workers still gives a report."""

from __future__ import annotations

import _thread
import threading
from collections.abc import Callable, Iterator

import pytest
from apply_support import bench, create, plan, run, send

from gitsync.api.cancel import CancelToken
from gitsync.api.client import ConnectClient
from gitsync.api.errors import ApiError
from gitsync.api.models import Deployment
from gitsync.apply.result import exit_code
from gitsync.apply.waiting import PollSettings, Seen, Want, poll
from gitsync.plan.model import Request

QUICK = PollSettings(first=0.001, factor=1.5, cap=0.002)


def _deployment(status: str, version: int = 1) -> Deployment:
    return Deployment.model_validate(
        {
            "id": "d1",
            "key": "k",
            "version": version,
            "status": status,
            "connector": {"id": "c1", "version": 1},
        }
    )


def _error(status: int) -> ApiError:
    return ApiError(
        status=status, code="Injected", message="injected", method="GET", path="/p/deployments/key=k"
    )


def _reads(*answers: Deployment | ApiError | None) -> tuple[Callable[[], Deployment | None], list[int]]:
    """A read function giving ``answers`` in turn (raising the errors); the list counts the calls."""
    calls: list[int] = []
    items: Iterator[Deployment | ApiError | None] = iter(answers)

    def read() -> Deployment | None:
        calls.append(1)
        answer = next(items)
        if isinstance(answer, ApiError):
            raise answer
        return answer

    return read, calls


def _poll(
    read: Callable[[], Deployment | None], want: Want = "deploy", answered: Deployment | None = None
) -> Seen:
    return poll(
        read,
        want,
        min_version=1,
        deadline=float("inf"),
        settings=QUICK,
        cancel=CancelToken(),
        on_status=lambda status: None,
        answered=answered,
    )


def test_the_calls_answer_is_the_first_read() -> None:
    read, calls = _reads(_deployment("Deployed"))
    seen = _poll(read, answered=_deployment("Deploying"))
    assert seen.status == "Deployed" and len(calls) == 1  # no read right after the answer


def test_an_answer_that_is_already_settled_needs_no_read() -> None:
    read, calls = _reads()
    assert _poll(read, answered=_deployment("Deployed")).status == "Deployed" and calls == []


@pytest.mark.parametrize("status", [0, 429, 502, 503, 504])
def test_a_read_refused_through_the_retries_does_not_end_the_wait(status: int) -> None:
    read, calls = _reads(_error(status), _deployment("Deploying"), _error(status), _deployment("Deployed"))
    seen = _poll(read, answered=_deployment("Deploying"))
    assert seen.status == "Deployed" and len(calls) == 4


@pytest.mark.parametrize("status", [400, 401, 403, 500])
def test_any_other_error_ends_the_wait(status: int) -> None:
    read, _ = _reads(_error(status))
    with pytest.raises(ApiError):
        _poll(read, answered=_deployment("Deploying"))


def test_a_first_read_that_fails_has_nothing_to_fall_back_on() -> None:
    read, _ = _reads(_error(503))
    with pytest.raises(ApiError):
        _poll(read, want="undeploy")


def test_ctrl_c_while_the_workers_are_still_being_started_still_yields_a_full_report() -> None:
    # the first create interrupts the main thread while it is still starting the other 400 workers
    # (SIGTERM right after the first write did that to `gitsync apply`: exit 130 with no report)
    with bench(deploy_time=0.2) as b:
        cancel = CancelToken()
        fired = threading.Event()

        def send_then_ctrl_c(client: ConnectClient, request: Request) -> Deployment | None:
            if not fired.is_set():
                fired.set()
                cancel.cancel()
                _thread.interrupt_main()
            return send(client, request)

        the_plan = plan(*(create(f"w{n:03d}") for n in range(400)))
        report, _ = run(b, the_plan, cancel=cancel, sender=send_then_ctrl_c)
    assert report.interrupted and exit_code(report) == 130
    assert len(report.results) == 400 and report.summary["not-submitted"] > 0
