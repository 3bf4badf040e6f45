"""Query Deployments (facts §1.7) and the logs endpoint (facts §8.2): parameters, filters, paging."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from gitsync.emulator.deployments import Deployment
from gitsync.emulator.errors import bad_request, invalid_query
from gitsync.emulator.validation import DEPLOYMENT_TYPES, INTEGRATION_TYPES

JSON = dict[str, Any]
Params = dict[str, list[str]]

MAX_LIMIT, DEFAULT_LIMIT, MAX_OFFSET = 500, 20, 10000
SORT_FIELDS = ("createdAt", "lastModifiedAt", "key", "id", "version")
LOG_PAGE = 50
LOG_DAYS_BACK = 30  # startDate may reach at most 30 days back (facts §8.2)


@dataclass(frozen=True)
class Query:
    """What a GET /{projectKey}/deployments asks for, checked."""

    limit: int
    offset: int
    sort: tuple[tuple[str, bool], ...]  # (field, descending)
    integration_types: tuple[str, ...]
    deployment_type: str | None


def _integer(params: Params, name: str, default: int, maximum: int) -> int:
    values = params.get(name)
    if not values:
        return default
    try:
        value = int(values[-1])
    except ValueError:
        raise invalid_query(name, f"'{values[-1]}' is not an integer between 0 and {maximum}") from None
    if not 0 <= value <= maximum:
        raise invalid_query(name, f"{value} is out of range; it must be between 0 and {maximum}")
    return value


def _sort(values: list[str]) -> tuple[tuple[str, bool], ...]:
    sort = []
    for value in values:
        parts = value.split()
        if (
            not parts
            or len(parts) > 2
            or parts[0] not in SORT_FIELDS
            or parts[1:] not in ([], ["asc"], ["desc"])
        ):
            detail = f"'{value}' is not '<field> asc|desc' with a field of {', '.join(SORT_FIELDS)}"
            raise invalid_query("sort", detail)
        sort.append((parts[0], parts[1:] == ["desc"]))
    return tuple(sort)


def parse_query(params: Params) -> Query:
    """Check every parameter; InvalidQueryParam (400) names the first bad one."""
    types = tuple(params.get("integrationTypes", []))
    for value in types:
        if value not in INTEGRATION_TYPES:
            raise invalid_query("integrationTypes", f"'{value}' is not one of {', '.join(INTEGRATION_TYPES)}")
    deployment_type = params.get("deploymentType", [None])[-1]
    if deployment_type is not None and deployment_type not in DEPLOYMENT_TYPES:
        raise invalid_query(
            "deploymentType", f"'{deployment_type}' is not one of {', '.join(DEPLOYMENT_TYPES)}"
        )
    return Query(
        limit=_integer(params, "limit", DEFAULT_LIMIT, MAX_LIMIT),
        offset=_integer(params, "offset", 0, MAX_OFFSET),
        sort=_sort(params.get("sort", [])),
        integration_types=types,
        deployment_type=deployment_type,
    )


def _sort_value(deployment: Deployment, field: str) -> Any:
    if field == "createdAt":
        return (deployment.created_at, deployment.sequence)
    if field == "lastModifiedAt":
        return (deployment.last_modified_at, deployment.sequence)
    if field == "key":
        return deployment.key or ""
    return getattr(deployment, field)


def select(query: Query, found: list[tuple[Deployment, str]]) -> tuple[int, list[tuple[Deployment, str]]]:
    """Filter, sort and page; returns the total before paging and the page."""
    if query.integration_types:
        wanted = set(query.integration_types)
        found = [item for item in found if wanted & set(item[0].connector.get("integrationTypes", []))]
    if query.deployment_type is not None:
        found = [item for item in found if item[0].type == query.deployment_type]
    found = sorted(found, key=lambda item: item[0].sequence)
    for field, descending in reversed(query.sort):
        found.sort(key=lambda item, f=field: _sort_value(item[0], f), reverse=descending)  # type: ignore[misc]
    return len(found), found[query.offset : query.offset + query.limit]


def _date(params: Params, name: str) -> datetime | None:
    value = params.get(name, [None])[-1]
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise bad_request(
            "DeploymentLogInvalidDate", f"{name} '{value}' is not an ISO 8601 date-time"
        ) from None
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def logs_page(deployment: Deployment, params: Params, iso: Any, now: str) -> JSON:
    """A page of DeploymentLog entries, one per application and lifecycle event, with a ``next`` token."""
    names = [a["applicationName"] for a in deployment.applications]
    wanted = params.get("applicationName", [None])[-1]
    if wanted is None and deployment.region.endswith(".aws"):
        message = "Deployments in AWS regions need the applicationName query parameter to read logs"
        raise bad_request("DeploymentLogMissingApplicationName", message)
    if wanted is not None and wanted not in names:
        raise bad_request("DeploymentApplicationDoesNotExist", f"Application '{wanted}' does not exist")
    start, end = _date(params, "startDate"), _date(params, "endDate")
    earliest = datetime.fromisoformat(now.replace("Z", "+00:00")) - timedelta(days=LOG_DAYS_BACK)
    if start is not None and start < earliest:
        message = f"startDate may be at most {LOG_DAYS_BACK} days back (not before {earliest.isoformat()})"
        raise bad_request("DeploymentLogInvalidDate", message)
    entries = [
        {"type": "APPLICATION_TEXT", "deploymentId": deployment.id, "applicationName": name,
         "severity": severity, "timestamp": iso(at), "details": f"{name}: {text}"}
        for at, severity, text in deployment.events for name in names if wanted in (None, name)
    ]  # fmt: skip
    entries = [e for e in entries if _in_range(e["timestamp"], start, end)]
    token = params.get("pageToken", ["0"])[-1]
    if not token.isdigit() or int(token) > len(entries):
        raise bad_request(
            "DeploymentLogInvalidPageToken", f"pageToken '{token}' is not a token this API issued"
        )
    offset = int(token)
    more = offset + LOG_PAGE < len(entries)
    return {"data": entries[offset : offset + LOG_PAGE], "next": str(offset + LOG_PAGE) if more else None}


def _in_range(timestamp: str, start: datetime | None, end: datetime | None) -> bool:
    moment = datetime.fromisoformat(timestamp.replace("Z", "+00:00"))
    return (start is None or moment >= start) and (end is None or moment <= end)
