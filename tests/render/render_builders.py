"""Plans built by hand from the model: every action, sensitive reasons, a replace, an error."""

from __future__ import annotations

from gitsync.manifest.interpolate import single_reference
from gitsync.plan.model import Change, LiveState, Plan, Reason, Request, SecretRef, TargetInfo
from gitsync.plan.secured import secured_places, value_at
from gitsync.secret import SENSITIVE

STAGING = TargetInfo(name="staging", project_key="acme-staging", region="europe-west1.gcp")
PRODUCTION = TargetInfo(name="production", project_key="acme-prod", region="us-central1.gcp")
CREATED_AT = "2026-11-26T12:00:00Z"


def live(version: int = 4, status: str = "Deployed") -> LiveState:
    return LiveState(id=f"id-{version}", version=version, status=status)


def post(project: str, key: str | None = None, body: dict[str, object] | None = None) -> Request:
    path = f"/{project}/deployments" + (f"/key={key}" if key else "")
    body = body or {"key": key or "new"}
    return Request(method="POST", path=path, body=body, secrets=marks(body))


def marks(body: dict[str, object]) -> tuple[SecretRef, ...]:
    """Every secured ``${NAME}`` of ``body`` marked, as the planner does (at a made-up position)."""
    names = [(place, single_reference(value_at(body, place)) or "") for place in secured_places(body)]
    return tuple(SecretRef(place, name, "deployments/x.yaml", 9, 7) for place, name in names)


def secured_body(key: str, reference: str = "${ADYEN_API_KEY}") -> dict[str, object]:
    secured = [{"key": "ADYEN_API_KEY", "value": reference}]
    app = {"applicationName": "processor", "standardConfiguration": [], "securedConfiguration": secured}
    return {"key": key, "connector": {"key": "adyen", "version": 7}, "configurations": [app]}


def every_action_changes() -> tuple[Change, ...]:
    """One Change per action in staging, and a redeploy in production."""
    s = "acme-staging"
    return (
        Change("staging", "new-one", "create", "deployments/staging/new.yaml", None, (), post(s)),
        Change(
            "staging",
            "pay",
            "redeploy",
            "deployments/staging/pay.yaml",
            live(),
            (
                Reason("configurations.processor.standardConfiguration.ADYEN_ENV", "TEST", "LIVE"),
                Reason("configurations.processor.securedConfiguration.NEW_KEY", None, SENSITIVE),
                Reason("connector.version", 6, 7, "updateConnector"),
            ),
            post(s, "pay", {"version": 4, "actions": [{"action": "redeploy"}]}),
            manifest_digest="d" * 64,
        ),
        Change(
            "staging",
            "moved",
            "replace",
            "deployments/staging/moved.yaml",
            live(2),
            (Reason("region", "europe-west1.gcp", "us-central1.gcp", "forces replacement"),),
            post(s, body=secured_body("moved")),
            delete_request=Request("DELETE", f"/{s}/deployments/key=moved"),
        ),
        Change(
            "staging",
            "old",
            "delete",
            live=live(1),
            reasons=(Reason("manifest", "old", None, "no manifest; the target prunes"),),
            request=Request("DELETE", f"/{s}/deployments/key=old"),
        ),
        Change("staging", "same", "noop", "deployments/staging/same.yaml", live(3)),
        Change(
            "staging",
            "busy",
            "wait",
            "deployments/staging/busy.yaml",
            live(5, "Deploying"),
            (Reason("status", "Deploying", None, "busy: apply waits for it to settle, then plans it"),),
        ),
        Change("staging", "stray", "unmanaged", live=live(9)),
        Change(
            "staging",
            "payments-main",
            "error",
            "deployments/staging/payments.yaml",
            live(2),
            (Reason("type", "sandbox", "production", "forces replacement"),),
            error="payments-main is protected (protect: payments-*); it cannot be replaced",
        ),
        Change(
            "production",
            "pay",
            "redeploy",
            "deployments/production/pay.yaml",
            live(8, "Failed"),
            (Reason("status", "Failed", "Deployed", "status Failed: redeploy to recover"),),
            post("acme-prod", "pay"),
        ),
    )


def every_action_plan() -> Plan:
    return Plan(targets=(STAGING, PRODUCTION), changes=every_action_changes(), created_at=CREATED_AT)


def noop_plan() -> Plan:
    changes = (Change("staging", "same", "noop", "deployments/staging/same.yaml", live()),)
    return Plan(targets=(STAGING,), changes=changes, created_at=CREATED_AT)
