"""Property, end to end: `gitsync plan` against a loopback server that answers random statuses, headers
(odd Retry-After, content types, encodings, Content-Length lies) and random or truncated JSON never exits 4,
never prints a traceback or the client secret, and never hangs.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from e2e_support import CLIENT_SECRET, cli_env, manifest, write_repo
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rogue_server import rogue_server

TOKEN = json.dumps({"access_token": "fuzz-token", "expires_in": 3600, "token_type": "Bearer"}).encode()
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=8), inner, max_size=3),
    max_leaves=8,
)
DOCUMENTS = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {"limit": st.integers(), "offset": st.integers(), "count": st.integers(), "results": st.just([])},
        optional={"total": st.integers()},
    ),
    st.fixed_dictionaries(
        {"statusCode": st.integers(), "message": st.text(max_size=10)},
        optional={"errors": st.lists(st.fixed_dictionaries({"code": st.text(max_size=8)}), max_size=2)},
    ),
)


@st.composite
def raw_answers(draw: st.DrawFn) -> bytes:
    status = draw(st.sampled_from([200, 200, 400, 401, 403, 404, 409, 429, 500, 503, 999, 0]))
    text = json.dumps(draw(DOCUMENTS))
    body = draw(st.sampled_from([text, text[: len(text) // 2], ""])).encode()
    headers = [f"HTTP/1.1 {status} Whatever"]
    if draw(st.booleans()):
        headers.append(
            "Retry-After: "
            + draw(st.sampled_from(["0", "-3", "nan", "1e999", "Fri, 31 Dec 1999 23:59:59 -0000", "x"]))
        )
    headers.append(
        "Content-Type: "
        + draw(st.sampled_from(["application/json", "text/plain", "application/json; charset=utf-16"]))
    )
    if draw(st.booleans()):
        headers.append("Content-Encoding: " + draw(st.sampled_from(["gzip", "deflate", "identity", "nope"])))
    headers.append(f"Content-Length: {len(body) + draw(st.sampled_from([0, 0, -1, 3]))}")
    return ("\r\n".join(headers) + "\r\n\r\n").encode("latin-1") + body


def _answering(answers: list[bytes], honest_token: bool):  # type: ignore[no-untyped-def]
    lock = threading.Lock()
    served = [0]

    def handler(conn: socket.socket, line: str, stopped: threading.Event) -> None:
        if honest_token and "/oauth/token" in line:
            answer = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(
                TOKEN
            )
            answer += TOKEN
        else:
            with lock:
                answer = answers[served[0] % len(answers)]
                served[0] += 1
        conn.sendall(answer)
        conn.shutdown(socket.SHUT_RDWR)  # one answer per connection: a length lie cannot stall the next

    return handler


@settings(
    max_examples=10,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(answers=st.lists(raw_answers(), min_size=1, max_size=4), honest_token=st.booleans())
def test_plan_survives_any_answer(tmp_path: Path, answers: list[bytes], honest_token: bool) -> None:
    with rogue_server(_answering(answers, honest_token)) as rogue:
        root = write_repo(
            tmp_path, rogue.url, {"staging": {"projectKey": "acme"}}, {"staging/aa.yaml": manifest("aa")}
        )
        started = time.monotonic()
        result = subprocess.run(
            [sys.executable, "-m", "gitsync", "plan"],
            cwd=root,
            env=cli_env({"GITSYNC_HTTP_TIMEOUT": "2"}),
            capture_output=True,
            text=True,
            timeout=60,
        )
        took = time.monotonic() - started
    assert result.returncode in (0, 1, 2), result.stderr
    assert "Traceback" not in result.stderr and "internal error" not in result.stderr
    assert CLIENT_SECRET not in result.stdout + result.stderr
    assert took < 30
