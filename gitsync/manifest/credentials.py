"""API credentials and URLs of a target, resolved from ``${NAME}`` templates only when a command needs the
API (validate and the other offline paths never look a variable up)."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

from gitsync.errors import ConfigError, VariableError
from gitsync.manifest.config import DEFAULT_TARGET
from gitsync.manifest.interpolate import bad_reference, reference_names, resolve
from gitsync.manifest.target import Target
from gitsync.secret import Secret

_DEFAULT_VARIABLES = {"clientId": "CTP_CLIENT_ID", "clientSecret": "CTP_CLIENT_SECRET"}


@dataclass(frozen=True)
class Credentials:
    """API client credentials, after ``${NAME}`` resolution. ``client_secret`` never prints."""

    client_id: str
    client_secret: Secret
    scopes: tuple[str, ...] = ()


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


def resolve_urls(target: Target, env: Mapping[str, str]) -> Target:
    """``target`` with ``${NAME}`` in connectUrl / authUrl resolved (vars, then env), e.g. an emulator's port.

    Raises VariableError naming the variable when one is unset or empty: a URL never half-resolves.
    """
    urls = {"connectUrl": target.connect_url, "authUrl": target.auth_url}
    resolved = {name: _url(target, env, name, url) for name, url in urls.items()}
    return dataclasses.replace(target, connect_url=resolved["connectUrl"], auth_url=resolved["authUrl"])


def _url(target: Target, env: Mapping[str, str], name: str, template: str | None) -> str | None:
    if template is None or "$" not in template:
        return template
    if bad_reference(template) is not None:
        raise ConfigError(f"target {target.name!r}: {name} has a malformed ${{…}} reference; write ${{NAME}}")
    value, missing = resolve(template, lambda variable: _lookup(target, env, variable))
    _raise_unset(target, name, missing, _empty(target, env, template))
    return value


def _lookup(target: Target, env: Mapping[str, str], variable: str) -> str | None:
    return target.vars.get(variable, env.get(variable))


def _empty(target: Target, env: Mapping[str, str], template: str) -> list[str]:
    """The variables ``template`` references that are set, but to an empty string."""
    return [name for name in reference_names(template) if _lookup(target, env, name) == ""]


def _raise_unset(target: Target, field: str, missing: list[str], empty: list[str]) -> None:
    if missing:
        raise VariableError(
            f"target {target.name!r}: {field} needs {', '.join(missing)}; set it in the environment"
        )
    if empty:
        them = "them" if len(empty) > 1 else "it"
        raise VariableError(
            f"target {target.name!r}: {field} uses {', '.join(empty)}, which is set but empty; set {them} "
            "to a value"
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
    missing = [] if target.project_key else [_named("CTP_PROJECT_KEY", env)]
    if not target.region:
        urls = [("CTP_CONNECT_URL", target.connect_url), ("CTP_AUTH_URL", target.auth_url)]
        lacking = [name for name, url in urls if not url]
        if lacking:
            missing.append(f"CTP_REGION (or {' and '.join(lacking)})")
    for field, variable in _DEFAULT_VARIABLES.items():
        template = target.credentials.get(field, f"${{{variable}}}")
        value, unresolved = resolve(template, lambda name: _lookup(target, env, name))
        if not unresolved and not value:
            unresolved = [f"{name} (set but empty)" for name in _empty(target, env, template)]
        missing += [name for name in unresolved if name not in missing]
    return missing


def _named(variable: str, env: Mapping[str, str]) -> str:
    """The variable's name, saying so when it is set but empty (the fix differs from an unset one)."""
    return f"{variable} (set but empty)" if env.get(variable) == "" else variable


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

    value, missing = resolve(template, lambda variable: _lookup(target, env, variable))
    _raise_unset(target, f"credentials.{name}", missing, _empty(target, env, template) if not value else [])
    if required and not value:
        raise ConfigError(f"target {target.name!r}: credentials.{name} is empty; {_hint(target, name)}")
    return value


def _hint(target: Target, name: str) -> str:
    if target.implicit or target.name == DEFAULT_TARGET:
        variable = _DEFAULT_VARIABLES.get(name, "CTP_SCOPES")
        return f"set {variable} (or write a gitsync.yaml)"
    return f"add credentials.{name} to the target in gitsync.yaml"
