"""API credentials of a target, resolved from ``${NAME}`` templates only when a command needs the API."""

from __future__ import annotations

from collections.abc import Mapping

from gitsync.errors import ConfigError, VariableError
from gitsync.manifest.config import DEFAULT_TARGET
from gitsync.manifest.interpolate import bad_reference, resolve
from gitsync.manifest.model import Credentials, Target
from gitsync.secret import Secret

_DEFAULT_VARIABLES = {"clientId": "CTP_CLIENT_ID", "clientSecret": "CTP_CLIENT_SECRET"}


def resolve_credentials(target: Target, env: Mapping[str, str]) -> Credentials:
    """clientId, clientSecret and scopes of ``target`` with variables resolved (vars, then env).

    Raises ConfigError, before any network call, when the target cannot reach the API (no project key,
    no region nor URLs); for the implicit ``default`` target it names every CTP_* variable to set.
    """
    if target.implicit:
        _require_default_variables(target, env)
    require_endpoint(target)
    client_id = _field(target, env, "clientId")
    secret = _field(target, env, "clientSecret")
    scopes = _field(target, env, "scopes", required=False)
    template = target.credentials.get("clientSecret", "")
    return Credentials(
        client_id=client_id, client_secret=Secret(template, secret), scopes=tuple(scopes.split())
    )


def require_endpoint(target: Target) -> None:
    """A project key, and a region or both URLs: what a client needs to reach the API."""
    if not target.project_key:
        raise ConfigError(f"target {target.name!r} has no projectKey; add it to the target in gitsync.yaml")
    missing = [
        name for name, url in (("connectUrl", target.connect_url), ("authUrl", target.auth_url)) if not url
    ]
    if not target.region and missing:
        raise ConfigError(
            f"target {target.name!r} has no region and no {' nor '.join(missing)}; "
            "set its region (e.g. europe-west1.gcp) in gitsync.yaml"
        )


def missing_default_variables(target: Target, env: Mapping[str, str]) -> list[str]:
    """The CTP_* variables the implicit ``default`` target lacks to reach the API, in SPEC order."""
    missing = [] if target.project_key else ["CTP_PROJECT_KEY"]
    if not target.region:
        urls = [("CTP_CONNECT_URL", target.connect_url), ("CTP_AUTH_URL", target.auth_url)]
        lacking = [name for name, url in urls if not url]
        if lacking:
            missing.append(f"CTP_REGION (or {' and '.join(lacking)})")
    for field, variable in _DEFAULT_VARIABLES.items():
        template = target.credentials.get(field, f"${{{variable}}}")
        _, unresolved = resolve(template, lambda name: target.vars.get(name, env.get(name)) or None)
        missing += [name for name in unresolved if name not in missing]
    return missing


def _require_default_variables(target: Target, env: Mapping[str, str]) -> None:
    missing = missing_default_variables(target, env)
    if missing:
        them = "them" if len(missing) > 1 else "it"
        raise ConfigError(
            f"no gitsync.yaml and the environment lacks {', '.join(missing)}; "
            f"set {them} (or write a gitsync.yaml)"
        )


def _field(target: Target, env: Mapping[str, str], name: str, *, required: bool = True) -> str:
    template = target.credentials.get(name)
    if template is None:
        if not required:
            return ""
        raise ConfigError(f"target {target.name!r} has no credentials.{name}; {_hint(target, name)}")
    if bad_reference(template) is not None:
        raise ConfigError(f"target {target.name!r}: credentials.{name} has a malformed ${{…}} reference")

    def lookup(variable: str) -> str | None:
        return target.vars.get(variable, env.get(variable))

    value, missing = resolve(template, lookup)
    if missing:
        names = ", ".join(missing)
        raise VariableError(
            f"target {target.name!r}: credentials.{name} needs {names}; set it in the environment"
        )
    if required and not value:
        raise ConfigError(f"target {target.name!r}: credentials.{name} is empty; {_hint(target, name)}")
    return value


def _hint(target: Target, name: str) -> str:
    if target.implicit or target.name == DEFAULT_TARGET:
        variable = _DEFAULT_VARIABLES.get(name, "CTP_SCOPES")
        return f"set {variable} (or write a gitsync.yaml)"
    return f"add credentials.{name} to the target in gitsync.yaml"
