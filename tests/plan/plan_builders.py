"""Small builders of desired and live state for planner tests."""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from typing import Any

from gitsync.live.state import (
    ConnectorInfo,
    ConnectorLookup,
    LiveApplication,
    LiveConfiguration,
    LiveDeployment,
)
from gitsync.manifest.model import (
    ApplicationConfiguration,
    ConfigurationSet,
    ConnectorRef,
    DesiredDeployment,
    Lifecycle,
)
from gitsync.manifest.target import Target
from gitsync.plan.model import Plan
from gitsync.plan.planner import build_plan
from gitsync.plan.state import ConnectorCatalog, TargetState
from gitsync.secret import Secret

CONNECTOR = ConnectorInfo(
    id="c-1",
    key="adyen",
    version=7,
    applications=("processor", "job"),
    defaults={"processor": {"ADYEN_ENV": "TEST"}},
    global_defaults={"LOG_LEVEL": "info"},
)
CATALOG = {ConnectorLookup("key=adyen"): CONNECTOR, ConnectorLookup("id=c-1"): CONNECTOR}
TARGET = Target(name="staging", project_key="acme", region="europe-west1.gcp")


def plan_from_maps(
    targets: Sequence[Target],
    desired_by_target: Mapping[str, Sequence[DesiredDeployment]],
    live_by_target: Mapping[str, Sequence[LiveDeployment]],
    connectors: Mapping[str, ConnectorCatalog],
    *,
    foreign_keys: Mapping[str, Collection[str]] | None = None,
    **options: Any,
) -> Plan:
    """``build_plan`` from maps keyed by target name (the tests' compact form) → one TargetState each."""
    states = [
        TargetState(
            target,
            tuple(desired_by_target.get(target.name, ())),
            tuple(live_by_target.get(target.name, ())),
            connectors.get(target.name, {}),
            frozenset((foreign_keys or {}).get(target.name, ())),
        )
        for target in targets
    ]
    return build_plan(states, **options)


def secret(name: str, value: str = "s3cr3t") -> Secret:
    return Secret(reference="${" + name + "}", _value=value)


def desired(
    key: str = "pay",
    *,
    standard: dict[str, str] | None = None,
    secured: tuple[str, ...] = ("API_KEY",),
    secret_value: str = "s3cr3t",
    schedule: str | None = None,
    glob: ConfigurationSet | None = None,
    **overrides: Any,
) -> DesiredDeployment:
    values = ConfigurationSet(
        standard={"MERCHANT": "Acme"} if standard is None else standard,
        secured={name: secret(name, secret_value) for name in secured},
    )
    fields: dict[str, Any] = {
        "key": key,
        "connector": ConnectorRef(key="adyen", version=7),
        "region": "europe-west1.gcp",
        "configurations": (ApplicationConfiguration("processor", values, schedule),),
        "global_configuration": glob,
        "source": f"deployments/{key}.yaml",
        "digest": "d" * 64,
        "lifecycle": Lifecycle(),
    }
    fields.update(overrides)
    return DesiredDeployment(**fields)


def live(
    key: str = "pay",
    *,
    standard: dict[str, str] | None = None,
    secured: tuple[str, ...] = ("API_KEY",),
    schedule: str | None = None,
    glob: LiveConfiguration | None = None,
    **overrides: Any,
) -> LiveDeployment:
    app = LiveApplication(
        standard={"MERCHANT": "Acme"} if standard is None else standard,
        secured=frozenset(secured),
        schedule=schedule,
    )
    fields: dict[str, Any] = {
        "id": f"id-{key}",
        "key": key,
        "version": 4,
        "status": "Deployed",
        "connector_id": "c-1",
        "connector_version": 7,
        "region": "europe-west1.gcp",
        "type": "sandbox",
        "preview": False,
        "global_configuration": glob or LiveConfiguration(),
        "applications": {"processor": app, "job": LiveApplication()},
    }
    fields.update(overrides)
    return LiveDeployment(**fields)
