"""A target: one project to sync, as gitsync.yaml (or the CTP_* environment) declares it.

Its own module, apart from the desired model: ``gitsync validate`` needs targets, never the model it
would build and throw away (a pre-commit start-up pays for every class it defines).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path


@dataclass(frozen=True)
class Target:
    """One project to sync: a ``targets.<name>`` entry of gitsync.yaml, or the implicit ``default``."""

    name: str
    project_key: str
    region: str
    manifests: tuple[str, ...] = ()
    """Files, folders or globs, relative to ``base_dir``."""
    base_dir: Path = Path(".")
    prune: bool = False
    protect: tuple[str, ...] = ()
    max_deletes: int | None = None
    vars: Mapping[str, str] = field(default_factory=dict, repr=False)  # may hold a secured ${NAME} value
    credentials: Mapping[str, str] = field(default_factory=dict)
    """Raw ``credentials`` templates (clientId, clientSecret, scopes): resolved only when a command needs
    the API, so validate works with no credentials set."""
    connect_url: str | None = None
    auth_url: str | None = None
    implicit: bool = False
    """True for the implicit ``default`` target built from CTP_* variables (no gitsync.yaml)."""

    def variable(self, name: str, env: Mapping[str, str]) -> str | None:
        """The value of ``${name}`` for this target: its ``vars`` first, then ``env`` (SPEC §1.2); None if
        unset. The one lookup: manifests resolve with it, apply reveals secured values with it."""
        return self.vars.get(name, env.get(name))
