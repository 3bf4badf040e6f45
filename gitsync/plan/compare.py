"""Configuration comparison: desired vs live configuration maps, as plan reasons.

Both sides are normalized to the same nested shape first, so deepdiff only ever reports leaf keys:
entry order never matters, a key the connector declares with a ``default`` and absent from either side
compares as that default, and secured values are compared by key only (the API masks them, facts §7).
deepdiff stays inside this module: callers get our own ``Reason`` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from deepdiff import DeepDiff
from deepdiff.helper import NotPresent

from gitsync.manifest.model import ApplicationConfiguration, ConfigurationSet, DesiredDeployment
from gitsync.plan.live import ConnectorInfo, LiveApplication, LiveDeployment
from gitsync.plan.model import Reason
from gitsync.secret import SENSITIVE

Tree = dict[str, Any]


def application_names(desired: DesiredDeployment, connector: ConnectorInfo) -> tuple[str, ...]:
    """Every application a redeploy must carry: the connector's, then any the manifest adds."""
    names = list(connector.applications)
    names += [app.application_name for app in desired.configurations if app.application_name not in names]
    return tuple(names)


def configuration_reasons(
    desired: DesiredDeployment, live: LiveDeployment, connector: ConnectorInfo
) -> list[Reason]:
    """Reasons for a redeploy found in configuration values and schedules, sorted by path."""
    names = list(application_names(desired, connector))
    names += [name for name in live.applications if name not in names]
    scheduled = {app.application_name for app in desired.configurations if app.schedule is not None}
    before = _live_tree(live, connector, names, scheduled)
    after = _desired_tree(desired, connector, names)
    if desired.global_configuration is None:
        # no globalConfiguration in the manifest: the redeploy omits it, so it stays as it is
        before.pop("globalConfiguration")
        after.pop("globalConfiguration")
    return sorted(_reasons(before, after), key=lambda reason: reason.path)


def _desired_tree(desired: DesiredDeployment, connector: ConnectorInfo, names: list[str]) -> Tree:
    by_name = {app.application_name: app for app in desired.configurations}
    apps = {name: _desired_app(by_name.get(name), connector.defaults.get(name, {})) for name in names}
    glob = desired.global_configuration or ConfigurationSet()
    section = _section(connector.global_defaults, glob.standard, glob.secured)
    return {"configurations": apps, "globalConfiguration": section}


def _desired_app(app: ApplicationConfiguration | None, defaults: Mapping[str, str]) -> Tree:
    values = app.values if app else ConfigurationSet()
    tree = _section(defaults, values.standard, values.secured)
    if app is not None and app.schedule is not None:
        tree["schedule"] = app.schedule
    return tree


def _section(defaults: Mapping[str, str], standard: Mapping[str, str], secured: Iterable[str]) -> Tree:
    """One configuration set, either side: defaults filled in, secured values reduced to their keys."""
    return {
        "standardConfiguration": {**defaults, **standard},
        "securedConfiguration": dict.fromkeys(sorted(secured), SENSITIVE),
    }


def _live_tree(live: LiveDeployment, connector: ConnectorInfo, names: list[str], scheduled: set[str]) -> Tree:
    apps: Tree = {}
    for name in names:
        app = live.applications.get(name) or LiveApplication()
        apps[name] = _section(connector.defaults.get(name, {}), app.standard, app.secured)
        if name in scheduled:
            # compared only where the manifest sets one: otherwise the connector's own schedule stays
            apps[name]["schedule"] = app.schedule
    glob = live.global_configuration
    return {
        "configurations": apps,
        "globalConfiguration": _section(connector.global_defaults, glob.standard, glob.secured),
    }


def _reasons(before: Tree, after: Tree) -> list[Reason]:
    if before == after:
        return []  # the usual case: plain equality is ~100x cheaper than building a DeepDiff
    diff = DeepDiff(before, after, view="tree")
    reasons = []
    for items in diff.values():
        for item in items:
            path = ".".join(str(part) for part in item.path(output_format="list"))
            reasons.append(Reason(path=path, before=_value(item.t1), after=_value(item.t2)))
    return reasons


def _value(value: Any) -> Any:
    return None if isinstance(value, NotPresent) else value
