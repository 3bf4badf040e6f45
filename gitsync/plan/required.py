"""Keys the live connector requires that a manifest to be created leaves unset (SPEC §3: ``error``).

validate checks the same against a pulled connector schema (``missing-required-key``); plan reads the
connector anyway, so a create that the API would refuse (``DeploymentEmptyRequired…ConfigurationKey``) is
an error in the plan, not a failed apply. Only creates (and the create half of a replace) are checked: a
redeploy keeps the live values of keys it does not send.
"""

from __future__ import annotations

from gitsync.live.state import ConnectorInfo
from gitsync.manifest.model import ConfigurationSet, DesiredDeployment


def missing_required(desired: DesiredDeployment, connector: ConnectorInfo) -> str | None:
    """Why the create cannot succeed (every required key left unset, by place), or None."""
    by_name = {app.application_name: app.values for app in desired.configurations}
    places = [
        f"{name}: {', '.join(sorted(keys))}"
        for name in connector.applications
        if (keys := _unset(connector.required.get(name, frozenset()), by_name.get(name)))
    ]
    global_unset = _unset(connector.global_required, desired.global_configuration)
    if global_unset:
        places.append(f"globalConfiguration: {', '.join(sorted(global_unset))}")
    if not places:
        return None
    return (
        f"the connector requires keys {desired.source} does not set ({'; '.join(places)}), so the API would "
        "refuse the create; set each one in the manifest (a secured one as a ${NAME} reference)"
    )


def _unset(required: frozenset[str], values: ConfigurationSet | None) -> set[str]:
    if values is None:
        return set(required)
    standard = {key for key, value in values.standard.items() if value != ""}
    return set(required) - standard - set(values.secured)
