"""Property: whatever a fake API answers (status, headers, body), the client and the plan reader return a
value or raise a GitsyncError that names no secret; never another exception, never an endless loop.
"""

from __future__ import annotations

import gzip
import json
from typing import Any

import httpx
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gitsync.api.client import ConnectClient
from gitsync.errors import GitsyncError
from gitsync.live.read import read_connector
from gitsync.live.state import ConnectorLookup
from gitsync.manifest.model import ConnectorRef
from gitsync.secret import Secret

from .fakes import BASE, CLIENT_SECRET, Sleeps

Answer = tuple[int, dict[str, str], bytes]
STATUSES = st.one_of(
    st.sampled_from([200, 200, 201, 204, 301, 302, 400, 401, 403, 404, 409, 429, 500, 502, 503, 504]),
    st.integers(min_value=100, max_value=599),
)
RETRY_AFTER = st.one_of(
    st.sampled_from(["0", "1", "-1", "nan", "inf", "1e999", "Wed, 21 Oct 2015 07:28:00 GMT", "soon", ""]),
    st.floats(allow_nan=True, allow_infinity=True).map(str),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=126), max_size=30),
)
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=12), inner, max_size=4),
    max_leaves=12,
)
SHAPED = st.fixed_dictionaries(
    {},
    optional={
        "access_token": st.one_of(st.text(max_size=10), st.integers(), st.none()),
        "expires_in": st.one_of(st.integers(), st.floats(), st.text(max_size=5), st.none()),
        "statusCode": st.integers(),
        "message": st.text(max_size=20),
        "errors": st.lists(
            st.dictionaries(st.sampled_from(["code", "message", "detailedErrorMessage"]), JSON_VALUES),
            max_size=3,
        ),
        "id": st.text(max_size=5),
        "key": st.text(max_size=5),
        "version": st.integers(),
        "results": st.lists(JSON_VALUES, max_size=3),
        "total": st.one_of(st.integers(), st.none()),
        "count": st.integers(),
        "offset": st.integers(),
        "configurations": st.lists(JSON_VALUES, max_size=2),
    },
)


@st.composite
def answers(draw: st.DrawFn) -> Answer:
    status = draw(STATUSES)
    document = draw(st.one_of(SHAPED, JSON_VALUES))
    text = json.dumps(document)
    body = draw(
        st.one_of(
            st.just(text.encode()),
            st.integers(0, max(len(text) - 1, 0)).map(lambda cut: text[:cut].encode()),  # truncated
            st.binary(max_size=40),
            st.sampled_from([b"[" * 100_000, b'{"a":' * 50_000, b"\xff\xfe{\x00}\x00"]),  # deep, BOM
        )
    )
    headers: dict[str, str] = {}
    if draw(st.booleans()):
        headers["Retry-After"] = draw(RETRY_AFTER)
    headers["Content-Type"] = draw(
        st.sampled_from(
            [
                "application/json",
                "text/html",
                "application/json; charset=latin-1",
                "",
                "x/y; charset=nope",
                "application/json; charset=utf-16",
            ]
        )
    )
    encoding = draw(st.sampled_from(["", "", "gzip", "deflate", "br", "zstd", "identity", "bogus"]))
    if encoding:
        headers["Content-Encoding"] = encoding
        if encoding == "gzip" and draw(st.booleans()):
            body = gzip.compress(body)  # sometimes the header tells the truth
    if draw(st.booleans()):
        headers["Content-Length"] = str(len(body) + draw(st.integers(-5, 5)))
    return status, headers, body


class ScriptedApi:
    """Answers every request, token requests included, with the next drawn answer (the last one repeats)."""

    def __init__(self, replies: list[Answer]) -> None:
        self.replies = replies
        self.sent = 0

    def __call__(self, request: httpx.Request) -> httpx.Response:
        status, headers, body = self.replies[min(self.sent, len(self.replies) - 1)]
        self.sent += 1
        # a stream: the client, not this fake, decodes (and meets the lies of) the headers
        return httpx.Response(status, headers=headers, stream=httpx.ByteStream(body))


def _client(api: ScriptedApi) -> ConnectClient:
    secret = Secret("${CTP_CLIENT_SECRET}", CLIENT_SECRET)
    transport = httpx.MockTransport(api)
    return ConnectClient(
        "acme",
        "ci",
        secret,
        connect_url=BASE,
        auth_url=BASE,
        transport=transport,
        sleep=Sleeps(),
        name="fuzz",
    )


def _outcome(call: Any) -> str:
    try:
        call()
    except GitsyncError as exc:
        text = str(exc)
        assert CLIENT_SECRET not in text
        assert "Traceback" not in text
        return "error"
    return "value"


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(answers(), min_size=1, max_size=8))
def test_the_client_survives_any_answer(replies: list[Answer]) -> None:
    api = ScriptedApi(replies)
    with _client(api) as client:
        _outcome(lambda: list(client.iter_deployments(page_size=2)))
        _outcome(lambda: client.get_deployment_by_key("adyen"))
        lookup = ConnectorLookup.of(ConnectorRef(key="adyen"))
        _outcome(lambda: read_connector(client, lookup))
    assert api.sent < 200  # bounded: retries end
