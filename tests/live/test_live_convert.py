"""The live view: API representations normalized for the planner (masked secrets → keys only)."""

from __future__ import annotations

from gitsync.api.models import Connector, ConnectorStaged, Deployment
from gitsync.live.convert import connector_info, live_deployment
from gitsync.live.state import BuildReportEntry, ConnectorLookup
from gitsync.manifest.model import ConnectorRef

DEPLOYMENT = {
    "id": "d-1",
    "key": "pay",
    "version": 3,
    "type": "sandbox",
    "connector": {"id": "c-1", "version": 7, "name": "Adyen"},
    "globalConfiguration": {
        "standardConfiguration": [{"key": "LOG_LEVEL", "value": "info"}],
        "securedConfiguration": [{"key": "SHARED", "value": "******"}],
    },
    "details": {},
    "deployedRegion": "europe-west1.gcp",
    "applications": [
        {
            "id": "a-1",
            "applicationName": "processor",
            "standardConfiguration": [{"key": "MERCHANT", "value": "Acme"}],
            "securedConfiguration": [{"key": "API_KEY", "value": "********"}],
            "url": "https://example.invalid",
        },
        {"applicationName": "sync", "schedule": "0 * * * *"},
    ],
    "preview": False,
    "status": "Deployed",
}


def test_deployment_from_api_keeps_keys_of_masked_secrets() -> None:
    live = live_deployment(Deployment.model_validate(DEPLOYMENT))
    assert (live.id, live.key, live.version, live.status) == ("d-1", "pay", 3, "Deployed")
    assert (live.connector_id, live.connector_version, live.region, live.type) == (
        "c-1",
        7,
        "europe-west1.gcp",
        "sandbox",
    )
    assert live.global_configuration.standard == {"LOG_LEVEL": "info"}
    assert live.global_configuration.secured == frozenset({"SHARED"})
    assert live.applications["processor"].standard == {"MERCHANT": "Acme"}
    assert live.applications["processor"].secured == frozenset({"API_KEY"})
    assert live.applications["sync"].schedule == "0 * * * *"
    assert "******" not in repr(live)
    assert live.keyless is False


def test_deployment_without_key_type_or_region() -> None:
    data = {k: v for k, v in DEPLOYMENT.items() if k not in ("key", "type", "deployedRegion", "preview")}
    live = live_deployment(Deployment.model_validate(data | {"globalConfiguration": None}))
    assert (
        live.key == "id=d-1"
        and live.keyless
        and live.type is None
        and live.region is None
        and live.preview is False
    )
    assert live.global_configuration.standard == {} and live.global_configuration.secured == frozenset()


CONNECTOR = {
    "id": "c-1",
    "key": "adyen",
    "version": 7,
    "configurations": [
        {
            "applicationName": "processor",
            "applicationType": "service",
            "standardConfiguration": [
                {"key": "ENV", "description": "env", "default": "TEST"},
                {"key": "MERCHANT", "description": "m", "default": None, "required": True},
            ],
            "securedConfiguration": [{"key": "API_KEY", "description": "k"}],
        },
        {"applicationName": "sync", "applicationType": "job", "schedule": "0 2 * * *"},
    ],
    "globalConfiguration": {"standardConfiguration": [{"key": "LOG", "description": "l", "default": "info"}]},
}


def test_connector_from_api_keeps_defaults_only_where_set() -> None:
    info = connector_info(Connector.model_validate(CONNECTOR))
    assert (info.id, info.key, info.version, info.staged) == ("c-1", "adyen", 7, False)
    assert info.applications == ("processor", "sync")
    assert info.defaults == {"processor": {"ENV": "TEST"}, "sync": {}}
    assert info.global_defaults == {"LOG": "info"}
    assert info.schedules == {"sync": "0 2 * * *"}  # an extra field of the answer, where it carries one


def test_staged_connector_and_lookup() -> None:
    info = connector_info(ConnectorStaged.model_validate(CONNECTOR), staged=True)
    assert info.staged and info.global_defaults == {"LOG": "info"}
    lookup = ConnectorLookup.of(ConnectorRef(key="adyen", staged=True))
    assert lookup == ConnectorLookup("key=adyen", True)
    assert str(lookup) == "staged connector key=adyen"
    assert ConnectorLookup.of(ConnectorRef(id="c-1")) == ConnectorLookup("id=c-1", False)


def test_deployment_carries_its_build_report_entries() -> None:
    entry = {
        "type": "Error",
        "application": "processor",
        "title": "Build failed",
        "message": "npm ci exited 1",
        "createdAt": "2026-01-01T00:00:00Z",
    }
    details = {"build": {"id": "b-1", "report": {"entries": [entry, {"type": "Info"}]}}}
    live = live_deployment(Deployment.model_validate(DEPLOYMENT | {"details": details}))
    assert live.build_report == (
        BuildReportEntry("Error", "processor", "Build failed", "npm ci exited 1"),
        BuildReportEntry("Info"),
    )
    assert live_deployment(Deployment.model_validate(DEPLOYMENT)).build_report == ()


def test_the_connector_key_is_kept_where_the_api_gives_it() -> None:
    data = {**DEPLOYMENT, "connector": {"id": "c-1", "version": 7, "key": "adyen"}}
    assert live_deployment(Deployment.model_validate(data)).connector_key == "adyen"
    assert live_deployment(Deployment.model_validate(DEPLOYMENT)).connector_key is None
