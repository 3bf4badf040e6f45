"""Configuration keys removed from a manifest: a redeploy cannot remove them (SPEC §6, redeploy semantics).

The API merges a redeploy's configuration per key (UNCONFIRMED, the evidence points that way): a key left
out of the request keeps its live value. A key the manifest dropped that has a connector default is sent as
that default (``requests._restore_defaults``), so it converges; one without a default cannot be removed by
any redeploy, and planning one would redeploy on every plan without end. The rule:

- only removed keys differ → an ``error`` naming each key, with the remedy (``--replace KEY``, or put the
  key back): never a redeploy that cannot converge;
- other differences too → the redeploy for those, and each removed key as a reason whose note says it
  stays live; once the redeploy is applied, the next plan is that same ``error`` (stable, no loop).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from gitsync.plan.model import Reason

SECTIONS = {"standardConfiguration": "standard", "securedConfiguration": "secured"}
STAYS = "stays live: a redeploy cannot remove a key; gitsync plan --replace {key} removes it"


def removed_key(reason: Reason) -> str | None:
    """``application 'processor' standard key 'X'`` when ``reason`` is a configuration key set live and
    absent from the manifest, else None."""
    if reason.before is None or reason.after is not None:
        return None
    head, _, rest = reason.path.partition(".")
    if head == "configurations":
        application, _, rest = rest.partition(".")
        where = f"application {application!r}"
    elif head == "globalConfiguration":
        where = "globalConfiguration"
    else:
        return None
    section, _, key = rest.partition(".")
    if section not in SECTIONS or not key:
        return None
    return f"{where} {SECTIONS[section]} key {key!r}"


def settle_removed_keys(
    target: str, deployment: str, reasons: Sequence[Reason]
) -> tuple[tuple[Reason, ...], str | None]:
    """The reasons with a note on each removed key, and the error when nothing else would be redeployed."""
    removed = [reason for reason in reasons if removed_key(reason) is not None]
    if not removed:
        return tuple(reasons), None
    note = STAYS.format(key=deployment)
    marked = tuple(
        dataclasses.replace(reason, note=note) if removed_key(reason) is not None else reason
        for reason in reasons
    )
    if len(removed) < len(reasons):
        return marked, None
    return marked, _error(target, deployment, removed)


def _error(target: str, deployment: str, removed: Sequence[Reason]) -> str:
    keys = "; ".join(str(removed_key(reason)) for reason in removed)
    return (
        f"target {target!r}, deployment {deployment!r}: {keys} set live but not in the manifest; a "
        "redeploy cannot remove a key (the API keeps a key a redeploy leaves out), so no redeploy is "
        f"planned. Run `gitsync plan --replace {deployment}` to delete and re-create the Deployment "
        "without it, or put the key back in the manifest"
    )
