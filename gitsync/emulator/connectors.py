"""Connectors and ConnectorStaged from the seed: lookup, references and their representations."""

from __future__ import annotations

import copy
import uuid
from typing import Any

from gitsync.emulator.errors import ApiError, bad_request, invalid_json
from gitsync.emulator.seed import SeedError, require

JSON = dict[str, Any]

# Seed-only fields that steer the emulator; never part of a response.
EMULATOR_FIELDS = ("staged", "failDeploy", "failOnConfiguration", "failUndeploy")
PREVIEWABLE = ("true", "false", "pending", "none")  # ConnectorStaged.isPreviewable is a string (facts §2.3)


def normalize_connector(raw: JSON, where: str) -> JSON:
    """A seed connector with every representation field filled in."""
    key = require(raw, "key", str, where)
    require(raw, "version", int, where)
    connector = copy.deepcopy(raw)
    connector.setdefault("id", str(uuid.uuid4()))
    connector.setdefault("name", key)
    connector["staged"] = bool(raw.get("staged", False))
    connector.setdefault("integrationTypes", ["other"])
    connector["supportedRegions"] = list(raw.get("supportedRegions") or [])
    connector["configurations"] = list(raw.get("configurations") or [])
    global_configuration = raw.get("globalConfiguration") or {}
    connector["globalConfiguration"] = {
        "standardConfiguration": list(global_configuration.get("standardConfiguration") or []),
        "securedConfiguration": list(global_configuration.get("securedConfiguration") or []),
    }
    connector.setdefault(
        "creator", {"email": "connectors@example.com", "name": "Emulator", "company": "Emulator"}
    )
    connector.setdefault(
        "repository", {"url": f"https://github.com/example/{key}.git", "tag": f"v{raw['version']}"}
    )
    connector.setdefault("certified", False)
    connector.setdefault("private", True)
    _check_configurations(connector, where)
    _check_preview_fields(connector, where)
    return connector


def _check_preview_fields(connector: JSON, where: str) -> None:
    if "isPreviewable" in connector and connector["isPreviewable"] not in PREVIEWABLE:
        raise SeedError(f"{where}: 'isPreviewable' must be one of {', '.join(PREVIEWABLE)} (strings)")
    if "privateProjects" in connector:
        projects = connector["privateProjects"]
        if not isinstance(projects, list) or not all(isinstance(p, str) and ":" in p for p in projects):
            raise SeedError(f"{where}: 'privateProjects' must be a list of '<region>:<projectKey>' strings")


def check_preview(connector: JSON, project_key: str, region: str) -> None:
    """A staged connector deploys only when previewable, and only into its ``privateProjects`` (facts §2.4).

    A seed connector without ``privateProjects`` may be deployed by every project (a seed convenience);
    once the seed lists them, only those projects may. UNCONFIRMED: the code for a project that is not
    listed; the emulator answers ConnectorStagedNotPreviewable, the create error the reference lists.
    """
    if not connector["staged"]:
        return
    previewable = connector.get("isPreviewable", "true")
    if previewable != "true":
        message = (
            f"The staged connector '{connector['key']}' is not previewable (isPreviewable={previewable!r})."
        )
        raise bad_request("ConnectorStagedNotPreviewable", message)
    projects = connector.get("privateProjects")
    if projects is not None and f"{region}:{project_key}" not in projects:
        message = (
            f"Project '{region}:{project_key}' is not in the privateProjects of the staged connector "
            f"'{connector['key']}', so it cannot deploy its preview."
        )
        raise bad_request("ConnectorStagedNotPreviewable", message, privateProjects=list(projects))


def _check_configurations(connector: JSON, where: str) -> None:
    for application in connector["configurations"]:
        require(application, "applicationName", str, f"{where}: configurations")
        application.setdefault("applicationType", "service")
        if "schedule" in application:
            require(application, "schedule", str, f"{where}: {application['applicationName']}")
        application["standardConfiguration"] = list(application.get("standardConfiguration") or [])
        application["securedConfiguration"] = list(application.get("securedConfiguration") or [])
        for entry in application["standardConfiguration"] + application["securedConfiguration"]:
            require(entry, "key", str, f"{where}: {application['applicationName']}")


class ConnectorCatalog:
    """Published connectors and staged ones, each by id with a key index; the latest version wins."""

    def __init__(self) -> None:
        self._by_id: dict[bool, dict[str, JSON]] = {False: {}, True: {}}

    def upsert(self, raw: JSON, where: str) -> JSON:
        """Add a connector, or replace one of the same key with a version at least as high."""
        connector = normalize_connector(raw, where)
        existing = self.find(connector["staged"], key=connector["key"])
        if existing is not None:
            if connector["version"] < existing["version"]:
                raise SeedError(
                    f"{where}: connector '{connector['key']}' version {connector['version']} is below "
                    f"the current version {existing['version']}; seed a higher version to replace it"
                )
            if "id" not in raw:
                connector["id"] = existing["id"]
            del self._by_id[connector["staged"]][existing["id"]]
        self._by_id[connector["staged"]][connector["id"]] = connector
        return connector

    def find(self, staged: bool, *, id: str | None = None, key: str | None = None) -> JSON | None:
        """The current connector with that id or key, or None."""
        catalog = self._by_id[staged]
        if id is not None:
            return catalog.get(id)
        return next((c for c in catalog.values() if c["key"] == key), None)

    def resolve(self, reference: Any) -> JSON:
        """The connector a ConnectorReference points to; 400 ConnectorReferenceNotFound otherwise."""
        if not isinstance(reference, dict):
            raise invalid_json("connector: must be an object with id or key")
        id_, key, version = reference.get("id"), reference.get("key"), reference.get("version")
        if (id_ is None) == (key is None) or not isinstance(id_ or key, str):
            raise invalid_json("connector: exactly one of 'id' or 'key' (a string) is required")
        if version is not None and (not isinstance(version, int) or isinstance(version, bool)):
            raise invalid_json("connector.version: must be an integer")
        staged = reference.get("staged", False)
        if not isinstance(staged, bool):
            raise invalid_json("connector.staged: must be a boolean")
        connector = self.find(staged, id=id_, key=key)
        # Documented choice: only the connector's current version is deployable.
        if connector is None or (version is not None and version != connector["version"]):
            raise connector_not_found(str(id_ or key), version)
        return connector


def connector_not_found(identifier: str, version: int | None) -> ApiError:
    """ConnectorReferenceNotFound, worded as the API's error template."""
    shown = "latest" if version is None else str(version)
    return bad_request(
        "ConnectorReferenceNotFound", f"Connector '{identifier}' with version {shown} not found"
    )


def connector_representation(connector: JSON) -> JSON:
    """A Connector (facts §2.2) or ConnectorStaged (facts §2.3) as GET /connectors returns it."""
    body = {k: copy.deepcopy(v) for k, v in connector.items() if k not in EMULATOR_FIELDS}
    body["configurations"] = _public_configurations(connector)
    if connector["staged"]:
        body.setdefault("privateProjects", [])
        body.setdefault("status", "Draft")
        body.setdefault("alreadyListed", False)
        body.setdefault("hasChanges", False)
        body.setdefault("isPreviewable", "true")
    return body


def deployment_connector(connector: JSON) -> JSON:
    """The DeploymentConnector snapshot embedded in a Deployment; real responses omit ``key``."""
    fields = (
        "id", "version", "name", "description", "integrationTypes", "creator", "repository",
        "configurations", "globalConfiguration", "supportedRegions", "certified", "documentationUrl",
    )  # fmt: skip
    body = {field: copy.deepcopy(connector[field]) for field in fields if field in connector}
    body["configurations"] = _public_configurations(connector)
    return body


def _public_configurations(connector: JSON) -> list[JSON]:
    """The connector's applications without the seed-only ``schedule`` (the RAML's
    ConnectorConfigurationApplication has none; the schedule shows on the deployed job application)."""
    return [
        {k: copy.deepcopy(v) for k, v in application.items() if k != "schedule"}
        for application in connector["configurations"]
    ]
