"""client_for: the one way every command builds a target's client (plan, schema pull)."""

from __future__ import annotations

import pytest

from gitsync.cli.clients import client_for
from gitsync.errors import VariableError
from gitsync.manifest.target import Target

CANARY = "CANARY-client-secret-7f3a"


def _target(**overrides: object) -> Target:
    fields: dict[str, object] = {
        "name": "staging",
        "project_key": "acme",
        "region": "europe-west1.gcp",
        "credentials": {"clientId": "ci", "clientSecret": "${SECRET}"},
    }
    fields.update(overrides)
    return Target(**fields)  # type: ignore[arg-type]


def test_client_for_uses_the_target_region_and_urls() -> None:
    with client_for(_target(), {"SECRET": CANARY}) as client:
        assert client.project_key == "acme"
        assert client.connect_url == "https://connect.europe-west1.gcp.commercetools.com"
        assert client.auth_url == "https://auth.europe-west1.gcp.commercetools.com"
        assert CANARY not in repr(client)
    overridden = _target(region="", connect_url="http://127.0.0.1:9", auth_url="http://127.0.0.1:9")
    with client_for(overridden, {"SECRET": CANARY}) as client:
        assert client.connect_url == "http://127.0.0.1:9"


def test_client_for_without_the_secret_variable_names_it() -> None:
    with pytest.raises(VariableError) as raised:
        client_for(_target(), {})
    assert "SECRET" in str(raised.value)
