"""API credentials of a target, resolved from ``${NAME}`` templates only when a command needs the API."""

from __future__ import annotations

from collections.abc import Mapping

from gitsync.errors import ConfigError, VariableError
from gitsync.manifest.interpolate import bad_reference, resolve
from gitsync.manifest.model import Credentials, Target
from gitsync.secret import Secret


def resolve_credentials(target: Target, env: Mapping[str, str]) -> Credentials:
    """clientId, clientSecret and scopes of ``target`` with variables resolved (vars, then env)."""
    client_id = _field(target, env, "clientId")
    secret = _field(target, env, "clientSecret")
    scopes = _field(target, env, "scopes", required=False)
    template = target.credentials.get("clientSecret", "")
    return Credentials(
        client_id=client_id, client_secret=Secret(template, secret), scopes=tuple(scopes.split())
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
    if target.name == "default":
        variable = {"clientId": "CTP_CLIENT_ID", "clientSecret": "CTP_CLIENT_SECRET"}.get(name, "CTP_SCOPES")
        return f"set {variable} (or write a gitsync.yaml)"
    return f"add credentials.{name} to the target in gitsync.yaml"
