"""Problems: what is wrong with a manifest, as values collected for a report, never exceptions.

Problems and notes are named tuples: a run of a thousand manifests creates, hashes and sorts them by the
thousand (tuples compare in C), and a pre-commit run pays for each dataclass it defines (SPEC §7).
"""

from __future__ import annotations

from typing import NamedTuple


class Problem(NamedTuple):
    """One thing wrong at ``file:line:col`` (1-based); ``code`` is stable, documented in docs/manifests.md."""

    file: str
    line: int
    col: int
    code: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: error[{self.code}]: {self.message}"


class Note(NamedTuple):
    """Something worth knowing at ``file:line:col`` that is not wrong (e.g. a secret plan does not need)."""

    file: str
    line: int
    col: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}: note: {self.message}"


# Every code a Problem can carry, with its meaning (docs/manifests.md's table mirrors it; tests/test_docs.py).
CODES: dict[str, str] = {
    "unreadable": "the file cannot be read (missing, a folder, FIFO, device, broken link, no permission), "
    "or a manifest folder cannot be listed",
    "not-utf8": "the file is not UTF-8 text",
    "file-too-large": "the file is over 1 MiB",
    "empty-file": "the file holds no YAML document",
    "yaml-syntax": "the YAML does not parse",
    "multi-document": "the file holds more than one YAML document (`---`)",
    "not-a-mapping": "the document is not a mapping of field: value",
    "duplicate-key": "a mapping repeats a key",
    "yaml-limits": "alias or merge expansion, nesting or a number's length over the bound (YAML bomb guard)",
    "yaml-tag": "an explicit YAML tag (`!!python/…`, `!custom`) the safe loader refuses",
    "not-a-string": "a YAML number, boolean, date or null stands where a string is required",
    "schema": "the manifest does not match schemas/deployment.schema.json",
    "duplicate-deployment-key": "two manifests of one target, or two targets of one project, declare the "
    "same deployment key",
    "unreadable-key": "a manifest of another target of a pruned project has no readable key",
    "duplicate-application": "`configurations` names one applicationName twice",
    "duplicate-config-key": "a configuration key repeats within a section or across standard/secured",
    "plaintext-secret": "a securedConfiguration value is not exactly one `${NAME}` reference",
    "bad-interpolation": "a `${` is not a valid `${NAME}` reference (use `$${` for a literal `${`)",
    "staged-needs-preview": "connector.staged: true needs type: preview",
    "missing-variable": "a `${NAME}` has no value in the target's vars nor the environment",
    "no-manifests": "a manifest path or glob matches no file",
    "unknown-application": "the connector has no application of that name",
    "unknown-config-key": "the connector declares no such configuration key",
    "missing-required-key": "a key the connector requires (and gives no default) is absent",
    "wrong-section": "a key sits under standardConfiguration but is secured, or the reverse",
    "unsupported-region": "the connector does not support the deployment's region",
    "connector-schema": "schemas/connectors/<key>.schema.json cannot be read",
}
