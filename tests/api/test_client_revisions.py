"""ConnectClient's revision reads and rollback (docs 2026-10-23) against the emulator over loopback."""

from __future__ import annotations

import pytest

from gitsync.api.client import ConnectClient
from gitsync.api.errors import ApiError, ConcurrentModificationError, NotFoundError
from gitsync.api.models import DeploymentStatus

from .conftest import DEPLOY_TIME, Emulator
from .test_client_emulator import draft, processor


def _two_revisions(client: ConnectClient, emulator: Emulator) -> str:
    created = client.create_deployment(draft())
    emulator.advance(DEPLOY_TIME)
    client.redeploy(key="adyen", version=1, configuration_values=[processor("TEST")])
    emulator.advance(DEPLOY_TIME)
    return created.id


def test_revisions_are_read_by_key_and_id_most_recent_first(
    client: ConnectClient, emulator: Emulator
) -> None:
    deployment_id = _two_revisions(client, emulator)
    for ref in ({"key": "adyen"}, {"id": deployment_id}):
        page = client.query_deployment_revisions(**ref)
        assert [(r.revision, r.deployment_version) for r in page.results] == [(2, 2), (1, 1)]
        first = client.get_deployment_revision(1, **ref)
        app = first.applications[0]
        assert app.application_name == "processor" and app.standard_configuration[0].value == "LIVE"
        assert first.connector is not None and first.connector.version == 7
    assert client.query_deployment_revisions(key="adyen", limit=1).count == 1
    with pytest.raises(NotFoundError):
        client.get_deployment_revision(9, key="adyen")


def test_rollback_redeploys_a_revision_as_a_new_version(client: ConnectClient, emulator: Emulator) -> None:
    _two_revisions(client, emulator)
    with pytest.raises(ConcurrentModificationError):
        client.rollback_deployment(1, key="adyen", version=1)
    rolled = client.rollback_deployment(1, key="adyen", version=2)
    assert (rolled.version, rolled.status, rolled.rollback_revision) == (3, DeploymentStatus.DEPLOYING, 1)
    with pytest.raises(ApiError) as busy:
        client.rollback_deployment(2, key="adyen", version=3)
    assert busy.value.code == "DeploymentRollbackNotAllowed"
    emulator.advance(DEPLOY_TIME)
    live = client.get_deployment_by_key("adyen")
    app = next(a for a in live.applications if a.application_name == "processor")
    assert app.standard_configuration[0].value == "LIVE" and live.rollback_revision == 1


def test_rollback_by_id(client: ConnectClient, emulator: Emulator) -> None:
    deployment_id = _two_revisions(client, emulator)
    assert client.rollback_deployment(1, id=deployment_id, version=2).rollback_revision == 1
