"""Concurrency and secrets through the emulator: 200 calls at once, and a canary that must never show."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor

import pytest
from pydantic import ValidationError

from gitsync.api.errors import ApiError
from gitsync.api.models import ConfigurationValue, DeploymentConfigurationApplication, DeploymentStatus
from gitsync.api.responses import host_of
from gitsync.api.urls import check_url, without_userinfo
from gitsync.errors import ConfigError

from .conftest import DEPLOY_TIME, PROJECT, SEED, ClientFactory, Emulator
from .test_client_emulator import draft, processor

CANARY_CLIENT_SECRET = "canary-client-secret-9d8e7f"
CANARY_VALUE = "canary-secured-value-1a2b3c"


def test_200_concurrent_calls_through_one_client(make_client: ClientFactory, emulator: Emulator) -> None:
    client = make_client()
    keys = [f"c-{n:03d}" for n in range(100)]
    with ThreadPoolExecutor(max_workers=32) as pool:
        created = list(pool.map(lambda key: client.create_deployment(draft(key)), keys))
        read = list(pool.map(client.get_deployment_by_key, keys))
    assert sorted(d.key or "" for d in created) == keys
    assert [d.key for d in read] == keys
    assert emulator.count("POST /oauth/token") == 1
    assert client.request_count == 201
    emulator.advance(DEPLOY_TIME * 2)
    assert {d.status for d in client.iter_deployments()} == {DeploymentStatus.DEPLOYED}


def test_the_canary_secret_shows_nowhere(
    make_client: ClientFactory, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.admin(
        "seed",
        {
            "clients": [
                {
                    "clientId": "canary",
                    "clientSecret": CANARY_CLIENT_SECRET,
                    "scopes": SEED["clients"][0]["scopes"],
                }
            ]
        },
    )
    caplog.set_level(logging.DEBUG)
    client = make_client("canary", CANARY_CLIENT_SECRET)
    texts: list[str] = [repr(client), str(client)]

    created = client.create_deployment(draft(configurations=[processor(secret=CANARY_VALUE)]))
    texts += [repr(created), str(created), created.model_dump_json()]
    failing = [
        lambda: client.create_deployment(
            draft(configurations=[processor(secret=CANARY_VALUE)])
        ),  # DuplicateField
        lambda: client.redeploy(
            key="adyen", version=1, configuration_values=[processor(secret=CANARY_VALUE)]
        ),
        lambda: client.create_deployment(
            draft(
                "other",
                configurations=[
                    processor(secret=CANARY_VALUE).model_copy(
                        update={
                            "secured_configuration": [ConfigurationValue(key="WRONG", value=CANARY_VALUE)]
                        }
                    )
                ],
            )
        ),
        lambda: client.get_deployment_by_key("missing"),
    ]
    emulator.fault(method="GET", path=f"/{PROJECT}/deployments/key=missing", status=503, times=99)
    for call in failing:
        with pytest.raises(ApiError) as caught:
            call()
        texts += [str(caught.value), repr(caught.value), repr(caught.value.errors), repr(caught.value.args)]
    bad = make_client("canary", CANARY_CLIENT_SECRET + "-wrong")
    with pytest.raises(ApiError) as refused:
        bad.query_deployments()
    texts += [str(refused.value), repr(refused.value)]

    # A model built from bad input must not echo the value in its validation error either.
    for bad_value in ({"key": "K", "value": CANARY_VALUE, "typo": 1}, {"key": ["K"], "value": CANARY_VALUE}):
        with pytest.raises(ValidationError) as invalid:
            DeploymentConfigurationApplication.model_validate(
                {"applicationName": "processor", "securedConfiguration": [bad_value]}
            )
        texts += [str(invalid.value), repr(invalid.value), repr(invalid.value.errors())]
    unreachable = make_client("canary", CANARY_CLIENT_SECRET, connect_url="http://127.0.0.1:9", max_retries=0)
    with pytest.raises(ApiError) as down:
        unreachable.create_deployment(draft("down", configurations=[processor(secret=CANARY_VALUE)]))
    texts += [str(down.value), repr(down.value)]

    tokens = client._session._tokens.known_values()  # the live bearer token is a secret too
    assert len(tokens) == 1
    texts += [record.getMessage() for record in caplog.records]
    texts += [repr(record.args) for record in caplog.records]
    assert len(caplog.records) >= 8
    for text in texts:
        assert CANARY_CLIENT_SECRET not in text
        assert CANARY_VALUE not in text
        assert tokens[0] not in text


@pytest.mark.parametrize(
    "url",
    [
        "https://admin:pw-canary-9@connect.example.com",
        "http://pw-canary-9@127.0.0.1:8080",
        "http://u:pw-canary-9@[::1",
    ],
)
def test_a_url_with_user_and_password_is_refused_without_showing_them(url: str) -> None:
    with pytest.raises(ConfigError) as caught:
        check_url("connectUrl", url)
    assert "pw-canary-9" not in str(caught.value)
    assert "connectUrl" in str(caught.value)


def test_a_connection_error_names_the_host_without_user_info() -> None:
    assert host_of("https://connect.example.com:8443/x") == "connect.example.com:8443"
    assert host_of("http://[::1]:80") == "[::1]:80"
    assert without_userinfo("https://a:b@h.example.com/p") == "https://***@h.example.com/p"
