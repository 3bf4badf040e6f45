"""The HTTP calls a plan records: create, redeploy and delete, as the API's JSON bodies.

Secured values are their ``${NAME}`` reference, never the value: a plan is reviewed and saved, and apply
resolves references at send time (SPEC §3.1). Each one is marked in ``Request.secrets`` (its place, its
variable, where the manifest writes it), so apply never tells a secret from a standard value by its text.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from gitsync.live.state import ConnectorInfo, LiveApplication, LiveConfiguration, LiveDeployment
from gitsync.manifest.interpolate import single_reference
from gitsync.manifest.model import ApplicationConfiguration, ConfigurationSet, DesiredDeployment, Position
from gitsync.plan.compare import application_names
from gitsync.plan.model import Request, SecretRef
from gitsync.plan.secured import pointer

LiveValues = LiveApplication | LiveConfiguration


def deployments_path(project_key: str) -> str:
    return f"/{project_key}/deployments"


def deployment_path(project_key: str, key: str) -> str:
    return f"/{project_key}/deployments/key={key}"


def create_request(project_key: str, desired: DesiredDeployment, connector: ConnectorInfo) -> Request:
    """POST the DeploymentDraft; an omitted or ``latest`` version means the connector's latest now."""
    ref = desired.connector
    reference: dict[str, Any] = {"key": ref.key} if ref.key is not None else {"id": ref.id}
    reference["version"] = ref.version if isinstance(ref.version, int) else connector.version
    if ref.staged:
        reference["staged"] = True
    body: dict[str, Any] = {"key": desired.key, "connector": reference}
    if desired.type is not None:
        body["type"] = desired.type
    body["region"] = desired.region
    marks = _Marks(desired)
    body["configurations"] = _applications(desired, connector, marks, ("configurations",))
    if desired.global_configuration is not None:
        body["globalConfiguration"] = marks.section(desired.global_configuration, ("globalConfiguration",))
    return Request(method="POST", path=deployments_path(project_key), body=body, secrets=marks.refs())


def redeploy_request(
    project_key: str,
    desired: DesiredDeployment,
    live: LiveDeployment,
    connector: ConnectorInfo,
    *,
    update_connector: bool,
) -> Request:
    """POST a redeploy carrying the complete desired configuration (right whether the API merges or not)."""
    marks = _Marks(desired)
    at = ("actions", 0)
    action: dict[str, Any] = {
        "action": "redeploy",
        "configurationValues": _applications(desired, connector, marks, (*at, "configurationValues")),
    }
    for app in action["configurationValues"]:
        live_app = live.applications.get(app["applicationName"])
        _restore_defaults(app, connector.defaults.get(app["applicationName"], {}), live_app)
    if desired.global_configuration is not None:
        action["globalConfiguration"] = marks.section(
            desired.global_configuration, (*at, "globalConfiguration")
        )
        _restore_defaults(action["globalConfiguration"], connector.global_defaults, live.global_configuration)
    action["updateConnector"] = update_connector
    action["skipScripts"] = desired.lifecycle.skip_scripts
    body = {"version": live.version, "actions": [action]}
    path = deployment_path(project_key, desired.key)
    return Request(method="POST", path=path, body=body, secrets=marks.refs())


def _restore_defaults(section: dict[str, Any], defaults: Mapping[str, str], live: LiveValues | None) -> None:
    """Send the default of a key the manifest left out but the live side still holds.

    The plan compares such a key as its default; if a redeploy merged values per key (facts §1.8,
    UNCONFIRMED), leaving it out would keep the old value and every later plan would redeploy again.
    """
    sent = {entry["key"] for entry in section["standardConfiguration"]}
    held = live.standard if live is not None else {}
    for key, value in defaults.items():
        if key not in sent and key in held:
            section["standardConfiguration"].append({"key": key, "value": value})


def delete_request(project_key: str, key: str) -> Request:
    """DELETE by key; the API takes no version on delete (facts §1.1)."""
    return Request(method="DELETE", path=deployment_path(project_key, key))


Parts = tuple[str | int, ...]


class _Marks:
    """Builds configuration sections and marks each secured value it writes (pointer, variable, position)."""

    def __init__(self, desired: DesiredDeployment) -> None:
        self.fallback = desired.position or Position(desired.source, 1, 1)
        self._refs: list[SecretRef] = []

    def refs(self) -> tuple[SecretRef, ...]:
        return tuple(self._refs)

    def section(self, values: ConfigurationSet, at: Parts) -> dict[str, Any]:
        secured = []
        for index, (key, secret) in enumerate(values.secured.items()):
            secured.append({"key": key, "value": secret.reference})
            where = values.secured_at.get(key, self.fallback)
            place = pointer(*at, "securedConfiguration", index, "value")
            self._refs.append(
                SecretRef(place, _variable(secret.reference, where), where.file, where.line, where.col)
            )
        return {
            "standardConfiguration": [{"key": key, "value": value} for key, value in values.standard.items()],
            "securedConfiguration": secured,
        }


def _variable(reference: str, where: Position) -> str:
    """The variable of a secured ``${NAME}``; plan refuses literal secrets before requests are built."""
    name = single_reference(reference)
    if name is None:
        raise ValueError(f"{where}: a secured value reached the plan without a ${{NAME}} reference")
    return name


def _applications(
    desired: DesiredDeployment, connector: ConnectorInfo, marks: _Marks, at: Parts
) -> list[dict[str, Any]]:
    # one entry per application of the connector, empty when the manifest has none (as the official CLI)
    by_name = {app.application_name: app for app in desired.configurations}
    names = application_names(desired, connector)
    return [_application(name, by_name.get(name), marks, (*at, i)) for i, name in enumerate(names)]


def _application(name: str, app: ApplicationConfiguration | None, marks: _Marks, at: Parts) -> dict[str, Any]:
    entry: dict[str, Any] = {"applicationName": name}
    entry.update(marks.section(app.values if app else ConfigurationSet(), at))
    if app is not None and app.schedule is not None:
        entry["schedule"] = app.schedule
    return entry
