"""HTTP-level behaviour of ConnectClient through MockTransport: retries, backoff, recovery, auth, errors."""

from __future__ import annotations

import logging

import httpx
import pytest

from gitsync.api.errors import (
    ApiError,
    AuthenticationError,
    AuthorizationError,
    ConcurrentModificationError,
    ConnectionFailedError,
    NotFoundError,
)
from gitsync.api.models import (
    ConfigurationValue,
    ConnectorReference,
    DeploymentConfigurationApplication,
    DeploymentDraft,
)
from gitsync.errors import ConfigError, GitsyncError

from .fakes import CLIENT_SECRET, FakeApi, Sleeps, deployment_body, error_body, make_client

GET_KEY = "GET /acme/deployments/key=adyen"
POST_CREATE = "POST /acme/deployments"
POST_KEY = "POST /acme/deployments/key=adyen"


def ok(status: int = 200, **fields: object) -> httpx.Response:
    return httpx.Response(status, json=deployment_body(**fields))  # type: ignore[arg-type]


def draft(secret: str = "s3cr3t-value") -> DeploymentDraft:
    app = DeploymentConfigurationApplication(
        application_name="processor",
        secured_configuration=[ConfigurationValue(key="API_KEY", value=secret)],
    )
    return DeploymentDraft(
        key="adyen", connector=ConnectorReference(key="c"), region="europe-west1.gcp", configurations=[app]
    )


def test_get_retries_503_with_jittered_exponential_backoff() -> None:
    api = FakeApi({GET_KEY: [httpx.Response(503), httpx.Response(502), httpx.Response(504), ok()]})
    sleeps = Sleeps()
    deployment = make_client(api, sleeps, backoff_base=0.5).get_deployment_by_key("adyen")
    assert deployment.key == "adyen"
    assert len(api.sent(GET_KEY)) == 4
    assert len(sleeps.delays) == 3
    for attempt, delay in enumerate(sleeps.delays):
        assert 0 <= delay <= 0.5 * 2**attempt  # full jitter inside the exponential envelope


def test_retries_are_bounded_and_the_last_error_is_reported() -> None:
    api = FakeApi({GET_KEY: [httpx.Response(503, json=error_body(503, "ServiceUnavailable", "busy"))]})
    client = make_client(api, max_retries=2)
    with pytest.raises(ApiError) as caught:
        client.get_deployment_by_key("adyen")
    assert len(api.sent(GET_KEY)) == 3
    assert caught.value.status == 503 and caught.value.code == "ServiceUnavailable"
    assert str(caught.value).startswith(
        "project acme at 127.0.0.1:9: GET /acme/deployments/key=adyen → 503 ServiceUnavailable: busy"
    )


def test_429_honours_retry_after_even_for_a_create() -> None:
    throttled = httpx.Response(429, headers={"Retry-After": "7"})
    api = FakeApi({POST_CREATE: [throttled, ok(201)]})
    sleeps = Sleeps()
    make_client(api, sleeps).create_deployment(draft())
    assert sleeps.delays == [7.0]
    assert len(api.sent(POST_CREATE)) == 2 and api.sent(GET_KEY) == []  # rejected before action: no check


def test_create_with_unknown_outcome_returns_what_was_created_without_posting_twice() -> None:
    api = FakeApi(
        {POST_CREATE: [httpx.Response(500, json=error_body(500, "General", "oops"))], GET_KEY: [ok()]}
    )
    created = make_client(api).create_deployment(draft())
    assert created.key == "adyen"
    assert len(api.sent(POST_CREATE)) == 1 and len(api.sent(GET_KEY)) == 1


def test_create_after_a_read_timeout_checks_the_key_then_retries_when_absent() -> None:
    not_found = httpx.Response(404, json=error_body(404, "ResourceNotFound", "no"))
    api = FakeApi({POST_CREATE: [httpx.ReadTimeout("slow"), ok(201)], GET_KEY: [not_found]})
    created = make_client(api).create_deployment(draft())
    assert created.version == 1
    assert len(api.sent(POST_CREATE)) == 2 and len(api.sent(GET_KEY)) == 1


def test_create_that_never_connected_is_retried_without_a_check() -> None:
    api = FakeApi({POST_CREATE: [httpx.ConnectError("refused"), ok(201)]})
    make_client(api).create_deployment(draft())
    assert len(api.sent(POST_CREATE)) == 2 and api.sent(GET_KEY) == []


def test_create_without_key_is_not_retried_when_the_outcome_is_unknown() -> None:
    api = FakeApi({POST_CREATE: [httpx.ReadTimeout("slow")]})
    keyless = draft().model_copy(update={"key": None})
    with pytest.raises(ConnectionFailedError, match="may or may not have been applied"):
        make_client(api).create_deployment(keyless)
    assert len(api.sent(POST_CREATE)) == 1


def test_update_with_unknown_outcome_counts_as_applied_when_the_version_moved() -> None:
    api = FakeApi({POST_KEY: [httpx.Response(502)], GET_KEY: [ok(version=5)]})
    result = make_client(api).redeploy(key="adyen", version=4)
    assert result.version == 5
    assert len(api.sent(POST_KEY)) == 1


def test_update_with_unknown_outcome_is_retried_when_the_version_did_not_move() -> None:
    api = FakeApi({POST_KEY: [httpx.Response(503), ok(201, version=5)], GET_KEY: [ok(version=4)]})
    make_client(api).redeploy(key="adyen", version=4, skip_scripts=True)
    bodies = api.bodies(POST_KEY)
    assert len(bodies) == 2 and bodies[0] == bodies[1]
    assert bodies[0] == {
        "version": 4,
        "actions": [{"action": "redeploy", "skipScripts": True, "updateConnector": False}],
    }


def test_update_never_retries_a_400() -> None:
    bad = httpx.Response(
        400, json=error_body(400, "DeploymentUnknownApplicationConfigurationKey", "Unknown key")
    )
    api = FakeApi({POST_KEY: [bad]})
    with pytest.raises(ApiError) as caught:
        make_client(api).redeploy(key="adyen", version=1)
    assert caught.value.code == "DeploymentUnknownApplicationConfigurationKey"
    assert str(caught.value) == (
        "project acme at 127.0.0.1:9: "
        "POST /acme/deployments/key=adyen → 400 DeploymentUnknownApplicationConfigurationKey: Unknown key"
    )
    assert len(api.sent(POST_KEY)) == 1


def test_409_carries_both_versions() -> None:
    conflict = error_body(409, "ConcurrentModification", "mismatch", expectedVersion=3, currentVersion=4)
    api = FakeApi({POST_KEY: [httpx.Response(409, json=conflict)]})
    with pytest.raises(ConcurrentModificationError) as caught:
        make_client(api).redeploy(key="adyen", version=3)
    assert (caught.value.expected_version, caught.value.current_version) == (3, 4)
    assert "plan again" in str(caught.value)


def test_a_409_that_is_not_a_concurrent_modification_is_a_plain_api_error() -> None:
    # A duplicate key may come back as 409 (UNCONFIRMED, facts §5.2): re-planning would not help.
    duplicate = error_body(409, "DuplicateField", "key taken", field="key", duplicateValue="adyen")
    api = FakeApi({POST_CREATE: [httpx.Response(409, json=duplicate)]})
    with pytest.raises(ApiError) as caught:
        make_client(api).create_deployment(draft())
    assert type(caught.value) is ApiError and caught.value.code == "DuplicateField"
    assert str(caught.value) == (
        "project acme at 127.0.0.1:9: POST /acme/deployments → 409 DuplicateField: key taken"
    )


def test_every_error_of_an_answer_and_its_detail_are_shown() -> None:
    body = {
        "statusCode": 400,
        "message": "Request body does not contain valid JSON.",
        "errors": [
            {"code": "InvalidJsonInput", "message": "Request body does not contain valid JSON.",
             "detailedErrorMessage": "key: must match ^[A-Za-z0-9_-]+$"},
            {"code": "DeploymentUnknownApplicationConfigurationKey", "message": "Unknown key 'NOPE'"},
        ],
    }  # fmt: skip
    api = FakeApi({POST_CREATE: [httpx.Response(400, json=body)]})
    with pytest.raises(ApiError) as caught:
        make_client(api).create_deployment(draft())
    assert str(caught.value) == (
        "project acme at 127.0.0.1:9: "
        "POST /acme/deployments → 400 InvalidJsonInput: Request body does not contain valid JSON. "
        "(key: must match ^[A-Za-z0-9_-]+$); DeploymentUnknownApplicationConfigurationKey: Unknown key 'NOPE'"
    )
    assert len(caught.value.errors) == 2


def test_404_and_find() -> None:
    api = FakeApi({GET_KEY: [httpx.Response(404, json=error_body(404, "ResourceNotFound", "missing"))]})
    client = make_client(api)
    with pytest.raises(NotFoundError):
        client.get_deployment_by_key("adyen")
    assert client.find_deployment_by_key("adyen") is None


def test_a_401_refreshes_the_token_once() -> None:
    invalid = httpx.Response(401, json=error_body(401, "invalid_token", "invalid_token"))
    api = FakeApi({GET_KEY: [invalid, ok()]})
    client = make_client(api)
    client.get_deployment_by_key("adyen")
    tokens = [r.headers["authorization"] for r in api.sent(GET_KEY)]
    assert tokens == ["Bearer token-1", "Bearer token-2"]


def test_a_second_401_is_an_error_not_a_loop() -> None:
    api = FakeApi({GET_KEY: [httpx.Response(401, json=error_body(401, "invalid_token", "invalid_token"))]})
    with pytest.raises(AuthenticationError, match="fresh token"):
        make_client(api).get_deployment_by_key("adyen")
    assert len(api.sent(GET_KEY)) == 2 and api.tokens_issued == 2


def test_the_token_is_fetched_once_for_many_calls_with_basic_auth_and_scopes() -> None:
    api = FakeApi({GET_KEY: [ok()]})
    client = make_client(api, scopes=["manage_connectors_deployments:acme", "view_connectors:acme"])
    for _ in range(5):
        client.get_deployment_by_key("adyen")
    token_requests = api.sent("POST /oauth/token")
    assert len(token_requests) == 1 and client.request_count == 6
    form = token_requests[0].content.decode()
    assert "grant_type=client_credentials" in form
    assert "scope=manage_connectors_deployments%3Aacme+view_connectors%3Aacme" in form
    assert token_requests[0].headers["authorization"].startswith("Basic ")


def test_bad_credentials_say_what_to_check() -> None:
    refused = {
        "statusCode": 401,
        "message": "Please provide valid client credentials",
        "error": "invalid_client",
    }
    api = FakeApi(token_reply=httpx.Response(401, json=refused))
    with pytest.raises(AuthenticationError) as caught:
        make_client(api).get_deployment_by_key("adyen")
    assert "invalid_client" in str(caught.value) and "clientId/clientSecret" in str(caught.value)
    assert CLIENT_SECRET not in str(caught.value)


def test_403_names_the_missing_scope() -> None:
    denied = httpx.Response(403, json=error_body(403, "insufficient_scope", "Insufficient scope"))
    api = FakeApi({POST_CREATE: [denied]})
    with pytest.raises(AuthorizationError, match=r"manage_connectors_deployments:acme"):
        make_client(api).create_deployment(draft())


def test_connection_errors_after_retries_name_the_host() -> None:
    api = FakeApi({GET_KEY: [httpx.ConnectError("refused")]})
    sleeps = Sleeps()
    with pytest.raises(ConnectionFailedError) as caught:
        make_client(api, sleeps, max_retries=3).get_deployment_by_key("adyen")
    assert "127.0.0.1:9" in str(caught.value) and "connectUrl" in str(caught.value)
    assert len(sleeps.delays) == 3


def test_an_unreadable_body_is_an_api_error() -> None:
    api = FakeApi({GET_KEY: [httpx.Response(200, json={"hello": "world"})]})
    with pytest.raises(ApiError, match=r"UnexpectedResponse.*not a Deployment"):
        make_client(api).get_deployment_by_key("adyen")


def test_secured_values_echoed_by_the_api_are_redacted() -> None:
    canary = "canary-value-77aa1"
    echo = error_body(400, "InvalidJsonInput", f"bad value {canary}", detailedErrorMessage=f"at {canary}")
    api = FakeApi({POST_CREATE: [httpx.Response(400, json=echo)]})
    with pytest.raises(ApiError) as caught:
        make_client(api).create_deployment(draft(canary))
    assert canary not in str(caught.value) and canary not in repr(caught.value.errors)
    assert "(redacted)" in str(caught.value)


def test_one_info_line_per_call_without_headers_or_bodies(caplog: pytest.LogCaptureFixture) -> None:
    api = FakeApi({POST_CREATE: [httpx.Response(503), ok(201)], GET_KEY: [httpx.Response(404)]})
    caplog.set_level(logging.DEBUG)
    make_client(api).create_deployment(draft("log-canary-3319"))
    lines = [r.getMessage() for r in caplog.records if r.name == "gitsync.api"]
    assert lines[0].startswith("POST http://127.0.0.1:9/oauth/token → 200 (")
    assert lines[1].startswith("POST http://127.0.0.1:9/acme/deployments → 503 (")
    assert lines[-1].startswith("POST http://127.0.0.1:9/acme/deployments → 201 (")
    assert lines[-1].endswith("(retry 1/5)")
    text = "\n".join(r.getMessage() for r in caplog.records)
    assert "log-canary-3319" not in text and CLIENT_SECRET not in text and "token-1" not in text


@pytest.mark.parametrize(
    "url", ["http://connect.example.com", "http://10.0.0.1:8080", "ftp://127.0.0.1", "connect.example.com"]
)
def test_plain_http_is_refused_off_loopback(url: str) -> None:
    with pytest.raises(ConfigError, match="connectUrl"):
        make_client(FakeApi(), connect_url=url)


@pytest.mark.parametrize(
    "url", ["http://127.0.0.1:8080", "http://localhost:1", "http://[::1]:8080", "https://x.io"]
)
def test_loopback_http_and_any_https_are_accepted(url: str) -> None:
    assert make_client(FakeApi(), connect_url=url).connect_url == url


def test_region_builds_the_commercetools_hosts_and_repr_hides_credentials() -> None:
    client = make_client(FakeApi(), connect_url=None, auth_url=None, region="europe-west1.gcp")
    assert client.connect_url == "https://connect.europe-west1.gcp.commercetools.com"
    assert client.auth_url == "https://auth.europe-west1.gcp.commercetools.com"
    assert repr(client) == (
        "ConnectClient(project_key='acme', connect_url='https://connect.europe-west1.gcp.commercetools.com')"
    )


def test_no_region_and_no_url_is_a_config_error() -> None:
    with pytest.raises(GitsyncError, match="region"):
        make_client(FakeApi(), connect_url=None, region=None)


def test_paging_stops_at_total_and_uses_limit_500() -> None:
    def page(request: httpx.Request) -> httpx.Response:
        offset = int(request.url.params["offset"])
        count = min(500, 1203 - offset)
        results = [deployment_body(key=f"d{offset + i}") for i in range(count)]
        body = {"limit": 500, "offset": offset, "count": count, "total": 1203, "results": results}
        return httpx.Response(200, json=body)

    api = FakeApi({"GET /acme/deployments": [page]})
    client = make_client(api)
    keys = [d.key for d in client.iter_deployments()]
    assert len(keys) == 1203 and len(set(keys)) == 1203
    pages = api.sent("GET /acme/deployments")
    assert [r.url.params["offset"] for r in pages] == ["0", "500", "1000"]
    assert {r.url.params["limit"] for r in pages} == {"500"}


def test_query_parameters_repeat_for_lists() -> None:
    empty = httpx.Response(200, json={"limit": 5, "offset": 0, "count": 0, "total": 0, "results": []})
    api = FakeApi({"GET /acme/deployments": [empty]})
    make_client(api).query_deployments(
        limit=5, sort=["createdAt asc"], integration_types=["psp", "tax"], deployment_type="sandbox"
    )
    params = api.sent("GET /acme/deployments")[0].url.params
    assert params.get_list("integrationTypes") == ["psp", "tax"]
    assert (
        params["sort"] == "createdAt asc" and params["deploymentType"] == "sandbox" and "offset" not in params
    )


def test_no_repr_shows_the_client_secret_or_token() -> None:
    api = FakeApi({GET_KEY: [ok()]})
    client = make_client(api)
    client.get_deployment_by_key("adyen")
    session = vars(client)["_session"]
    for text in (repr(client), str(client), repr(session), repr(vars(session)["_tokens"])):
        assert CLIENT_SECRET not in text and "token-1" not in text


def test_paging_stops_with_an_error_when_the_api_ignores_offset() -> None:
    """A page that always says offset 0 with a large total must not loop forever."""
    body = {"limit": 500, "offset": 0, "count": 1, "total": 100_000, "results": [deployment_body(key="d0")]}
    api = FakeApi({"GET /acme/deployments": [httpx.Response(200, json=body)]})
    client = make_client(api)
    with pytest.raises(GitsyncError, match="does not advance"):
        list(client.iter_deployments())
    assert [r.url.params["offset"] for r in api.sent("GET /acme/deployments")] == ["0", "1"]
