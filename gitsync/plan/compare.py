"""Configuration comparison: desired vs live configuration maps, as plan reasons.

Both sides are normalized to the same nested shape first, so deepdiff only ever reports leaf keys:
entry order never matters, a key the connector declares with a ``default`` and absent from either side
compares as that default, and secured values are compared by key only (the API masks them, facts §7).
deepdiff stays inside this module: callers get our own ``Reason`` values.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from gitsync.live.state import ConnectorInfo, LiveApplication, LiveDeployment
from gitsync.manifest.model import ApplicationConfiguration, ConfigurationSet, DesiredDeployment
from gitsync.plan.model import Reason
from gitsync.secret import SENSITIVE

Tree = dict[str, Any]

DeepDiff: Any = None
"""``deepdiff.DeepDiff``, imported at the first difference (``_differ``): a plan of noops, the usual CI
case, never pays for importing deepdiff (SPEC §7)."""


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


# Every DeepDiff option that could hide a difference or reshape a reason, set to the safe value: a library
# default on the path to a decision is not trusted (issue 7: the default ignore_private_variables=True made
# a `__LOG_LEVEL` change plan "No changes"). The trees hold only dicts, strings and None.
DIFF_OPTIONS: dict[str, Any] = {
    "view": "tree",
    "ignore_private_variables": False,  # `__KEY` is a valid configuration key and applicationName
    "threshold_to_diff_deeper": 0,  # always down to leaf keys: never a whole section as one dict reason
    "ignore_order": False,
    "ignore_order_func": None,
    "ignore_string_case": False,  # `debug` → `DEBUG` is a change
    "ignore_string_type_changes": False,
    "ignore_numeric_type_changes": False,
    "ignore_type_in_groups": None,
    "ignore_type_subclasses": False,
    "ignore_nan_inequality": False,
    "ignore_encoding_errors": False,
    "ignore_uuid_types": False,
    "use_enum_value": False,
    "use_log_scale": False,  # would count near numbers as equal
    "significant_digits": None,  # would round numbers
    "math_epsilon": None,
    "truncate_datetime": None,
    "exclude_paths": None,
    "exclude_regex_paths": None,
    "exclude_types": None,
    "exclude_obj_callback": None,
    "exclude_obj_callback_strict": None,
    "include_paths": None,
    "include_obj_callback": None,
    "include_obj_callback_strict": None,
    "custom_operators": None,
    "iterable_compare_func": None,
    "group_by": None,
    "zip_ordered_iterables": False,
    "max_diffs": None,  # no cap: every differing key is a reason
}
# Options that cannot hide a difference in these trees (caching, logging, parallelism, distance, output
# formats of options not used). A deepdiff release that adds an option fails a test until it is audited.
HARMLESS_DEEPDIFF_OPTIONS = frozenset(
    {
        "_original_type",
        "_parameters",
        "_shared_parameters",
        "cache_purge_level",
        "cache_size",
        "cache_tuning_sample_size",
        "cutoff_distance_for_pairs",
        "cutoff_intersection_for_pairs",
        "default_timezone",
        "encodings",
        "get_deep_distance",
        "group_by_sort_key",
        "hasher",
        "hashes",
        "log_frequency_in_sec",
        "log_scale_similarity_threshold",
        "log_stacktrace",
        "max_passes",
        "multiprocessing",
        "multiprocessing_threshold",
        "multiprocessing_workers",
        "number_format_notation",
        "number_to_string_func",
        "progress_logger",
        "report_repetition",
        "verbose_level",
    }
)


def _reasons(before: Tree, after: Tree) -> list[Reason]:
    """Plain equality decides; deepdiff only explains which leaf keys differ."""
    if before == after:
        return []  # the usual case: plain equality is ~100x cheaper than building a DeepDiff
    diff = _differ()(before, after, **DIFF_OPTIONS)
    reasons = []
    for items in diff.values():
        for item in items:
            path = ".".join(str(part) for part in item.path(output_format="list"))
            reasons.append(Reason(path=path, before=_value(item.t1), after=_value(item.t2)))
    # the trees differ, so a diff that explains nothing must still redeploy, never read as "no changes"
    return reasons or [Reason(path="configurations", note="differs (the diff found no key); please report")]


def _differ() -> Any:
    global DeepDiff  # set once, on first use; a test can still replace it
    if DeepDiff is None:
        from deepdiff import DeepDiff as loaded

        DeepDiff = loaded
    return DeepDiff


def _value(value: Any) -> Any:
    from deepdiff.helper import NotPresent  # loaded with DeepDiff: this only runs on a difference

    return None if isinstance(value, NotPresent) else value
