"""`gitsync import` end to end: live Deployments of every example connector shape → manifests that
validate and plan all `noop` (issue 11 "Done when"), and every case it cannot express reported."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from tests.e2e.e2e_support import gitsync, plan_json, running_emulator, write_repo

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE_CONNECTORS: list[dict[str, Any]] = yaml.safe_load(
    (ROOT / "examples" / "emulator-seed.yaml").read_text()
)["connectors"]
PROJECT = "acme"
CANARY = "CANARY-s3cr3t-7f3a9e"


def _live(key: str, connector: str, version: int, **draft: Any) -> dict[str, Any]:
    body = {"key": key, "connector": {"key": connector, "version": version}, "region": "europe-west1.gcp"}
    body.update(draft)
    return {"projectKey": PROJECT, "status": "Deployed", "draft": body}


def _values(**values: str) -> list[dict[str, str]]:
    return [{"key": key, "value": value} for key, value in values.items()]


LIVE = [
    _live(
        "payments-adyen",
        "adyen-connector",
        7,
        type="sandbox",
        globalConfiguration={
            "standardConfiguration": _values(CTP_PROJECT_KEY="acme", CTP_REGION="europe-west1.gcp"),
            "securedConfiguration": _values(CTP_CLIENT_ID=CANARY, CTP_CLIENT_SECRET=CANARY),
        },
        configurations=[
            {
                "applicationName": "processor",
                "standardConfiguration": _values(
                    ADYEN_ENVIRONMENT="TEST", ADYEN_MERCHANT_ACCOUNT="0123", ADYEN_RETURN_URL="${HOME}/x$${y"
                ),
                "securedConfiguration": _values(ADYEN_API_KEY=CANARY),
            },
            {
                "applicationName": "notification",
                "standardConfiguration": _values(NOTIFICATION_LOG_LEVEL="true"),
                "securedConfiguration": _values(ADYEN_HMAC_KEY=CANARY),
            },
        ],
    ),
    _live(
        "order-export",
        "order-export-job",
        3,
        type="production",
        configurations=[
            {
                "applicationName": "exporter",
                "schedule": "*/30 * * * *",
                "standardConfiguration": _values(
                    EXPORT_BUCKET="2026-11-30", EXPORT_FORMAT="null", EXPORT_SINCE_HOURS="1e3"
                ),
                "securedConfiguration": _values(SFTP_PASSWORD=CANARY),
            }
        ],
    ),
    _live(
        "order-export-nightly",  # no schedule of its own: the connector's shows on the job
        "order-export-job",
        3,
        configurations=[
            {"applicationName": "exporter", "standardConfiguration": _values(EXPORT_BUCKET="yes")}
        ],
    ),
    _live(
        "store-locator",
        "store-locator-app",
        2,
        configurations=[
            {
                "applicationName": "store-locator",
                "standardConfiguration": _values(
                    CUSTOM_APPLICATION_ID="Zürich ✓ 日本 \u202e",
                    ENTRY_POINT_URI_PATH="a: b # c, [d] {e} &f *g !h |",
                    CLOUD_IDENTIFIER="  08 \n second line\t'\"\\ ~",
                ),
            }
        ],
    ),
    _live(
        "loyalty-preview",
        "loyalty-connector",
        12,
        type="preview",
        configurations=[
            {
                "applicationName": "loyalty-api",
                "standardConfiguration": _values(POINTS_PER_EURO="10.50"),
                "securedConfiguration": _values(LOYALTY_API_TOKEN=CANARY),
            }
        ],
    ),
]
# the staged loyalty connector is deployed as a preview by reference to its draft
LIVE[-1]["draft"]["connector"]["staged"] = True


def _variables(stderr: str) -> list[str]:
    return re.findall(r"^  ([A-Z_][A-Z0-9_]*)  \(", stderr, re.MULTILINE)


def test_import_round_trip_validates_and_plans_all_noop(tmp_path: Path) -> None:
    seed = {"connectors": EXAMPLE_CONNECTORS, "deployments": LIVE}
    with running_emulator(seed) as emulator:
        emulator.clock.advance(5)
        repo = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": PROJECT}}, {})
        imported = gitsync(repo, "import", "--out", "deployments/staging", "--env-example", ".env.example")
        assert imported.returncode == 0, imported.stderr
        files = sorted((repo / "deployments" / "staging").glob("*.yaml"))
        assert sorted(file.stem for file in files) == sorted(item["draft"]["key"] for item in LIVE)

        validated = gitsync(repo, "validate")
        assert validated.returncode == 0, validated.stdout + validated.stderr

        assert "does not read" not in imported.stderr  # deployments/staging is the target's folder
        names = _variables(imported.stderr)
        assert len(names) == 6 and len(set(names)) == 6
        assert "PAYMENTS_ADYEN_PROCESSOR_ADYEN_API_KEY" in names
        assert "PAYMENTS_ADYEN_CTP_CLIENT_SECRET" in names
        example = (repo / ".env.example").read_text()
        assert [line[:-1] for line in example.splitlines() if line.endswith("=")] == names
        planned = gitsync(
            repo, "plan", "--format", "json", "--detailed-exitcode", env=dict.fromkeys(names, "set")
        )
        assert planned.returncode == 0, planned.stdout + planned.stderr
        actions = {change["key"]: change["action"] for change in plan_json(planned)["changes"]}
        assert actions == dict.fromkeys(actions, "noop") and len(actions) == len(LIVE)

        outputs = [imported.stdout, imported.stderr, planned.stdout, planned.stderr, example]
        outputs += [file.read_text() for file in files]
        assert not any(CANARY in text for text in outputs)
        assert not any("*****" in file.read_text() for file in files)  # no masked value either


def test_imported_file_shape(tmp_path: Path) -> None:
    seed = {"connectors": EXAMPLE_CONNECTORS, "deployments": LIVE}
    with running_emulator(seed) as emulator:
        repo = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": PROJECT}}, {})
        (repo / "schemas" / "connectors").mkdir(parents=True)
        (repo / "schemas" / "connectors" / "store-locator-app.schema.json").write_text("{}")
        result = gitsync(repo, "import", "--out", "out")
        assert result.returncode == 0
        assert "note: targets.staging.manifests in gitsync.yaml does not read out;" in result.stderr
        text = (repo / "out" / "order-export.yaml").read_text()
        locator = (repo / "out" / "store-locator.yaml").read_text()
        nightly = (repo / "out" / "order-export-nightly.yaml").read_text()
        loyalty = (repo / "out" / "loyalty-preview.yaml").read_text()
    assert text == (
        "# yaml-language-server: $schema=../schemas/deployment.schema.json\n"
        'key: "order-export"\n'
        "connector:\n"
        '  key: "order-export-job"\n'
        "  version: 3\n"
        'type: "production"\n'
        'region: "europe-west1.gcp"\n'
        "configurations:\n"
        '  - applicationName: "exporter"\n'
        '    schedule: "*/30 * * * *"\n'
        "    standardConfiguration:\n"
        '      - {key: "EXPORT_BUCKET", value: "2026-11-30"}\n'
        '      - {key: "EXPORT_FORMAT", value: "null"}\n'
        '      - {key: "EXPORT_SINCE_HOURS", value: "1e3"}\n'
        "    securedConfiguration:\n"
        '      - {key: "SFTP_PASSWORD", value: "${ORDER_EXPORT_EXPORTER_SFTP_PASSWORD}"}\n'
    )
    assert locator.startswith(
        "# yaml-language-server: $schema=../schemas/connectors/store-locator-app.schema.json\n"
    )
    # escapes where a character cannot stand raw, YAML indicators inside quotes, unicode as it is
    assert locator.endswith(
        "configurations:\n"
        '  - applicationName: "store-locator"\n'
        "    standardConfiguration:\n"
        '      - {key: "CLOUD_IDENTIFIER", value: "  08 \\n second line\\t\'\\"\\\\ ~"}\n'
        '      - {key: "CUSTOM_APPLICATION_ID", value: "Zürich ✓ 日本 \u202e"}\n'
        '      - {key: "ENTRY_POINT_URI_PATH", value: "a: b # c, [d] {e} &f *g !h |"}\n'
    )
    assert 'schedule: "0 2 * * *"' in nightly  # the connector's schedule, as the live job shows it
    assert "  staged: true\n" in loyalty and 'type: "preview"' in loyalty


def test_import_reports_what_it_cannot_express(tmp_path: Path) -> None:
    """A keyless, an undeploying and a queued Deployment, and an unreadable connector: reported, exit 1,
    the rest written."""
    other = next(c for c in EXAMPLE_CONNECTORS if c["key"] == "store-locator-app")
    keyless = _live("x", "store-locator-app", 2)
    del keyless["draft"]["key"]
    seed = {
        "connectors": EXAMPLE_CONNECTORS,
        "deployments": [
            LIVE[1],
            {**LIVE[2], "status": "Queued"},
            {**LIVE[3]},
            {**_live("going-away", "order-export-job", 3), "status": "Undeploying"},
            keyless,
        ],
    }
    with running_emulator(seed) as emulator:
        emulator.admin(
            "POST",
            "faults",
            {"faults": [{"method": "GET", "path": f"/connectors/{other['id']}", "status": 404, "times": 0}]},
        )
        repo = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": PROJECT}}, {})
        result = gitsync(repo, "import", "--out", "out")
    assert result.returncode == 1, result.stderr
    assert sorted(path.name for path in (repo / "out").iterdir()) == [
        "order-export-nightly.yaml",
        "order-export.yaml",
    ]
    err = result.stderr
    assert f"error: staging/store-locator: not imported: connector id={other['id']} does not exist" in err
    assert "warning: staging/going-away: is Undeploying" in err
    assert "note: staging/order-export-nightly: is Queued" in err
    assert re.search(r"warning: staging/id=[^:]+: has no key", err)
    assert "Traceback" not in err


def test_existing_files_need_force_and_stdout_prints_a_stream(tmp_path: Path) -> None:
    seed = {"connectors": EXAMPLE_CONNECTORS, "deployments": LIVE[1:3]}
    with running_emulator(seed) as emulator:
        repo = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": PROJECT}}, {})
        assert gitsync(repo, "import", "order-*", "--out", "out").returncode == 0
        target = repo / "out" / "order-export.yaml"
        first = target.read_text()
        target.write_text("# mine\n")
        refused = gitsync(repo, "import", "--out", "out")
        assert refused.returncode == 1
        assert "out/order-export.yaml" in refused.stderr and "--force" in refused.stderr
        assert target.read_text() == "# mine\n"
        assert gitsync(repo, "import", "--out", "out", "--force").returncode == 0
        assert target.read_text() == first  # stable: the same live state gives the same bytes
        printed = gitsync(repo, "import", "order-export", "--out", "-")
        assert printed.returncode == 0
        # the same document; the modeline is relative to the current folder
        assert printed.stdout.splitlines()[1:] == first.splitlines()[1:]
        assert printed.stdout.startswith("# yaml-language-server: $schema=schemas/deployment.schema.json\n")
        both = gitsync(repo, "import", "--out", "-")
        assert both.stdout.count("\n---\n") == 1
        missing = gitsync(repo, "import", "nope-*", "--out", "-")
        assert missing.returncode == 1 and "staging/nope-*: no live Deployment matches" in missing.stderr
        exact = gitsync(repo, "import", "nope", "order-export", "--out", "-")
        assert exact.returncode == 1 and "staging/nope: no live Deployment matches" in exact.stderr
        assert 'key: "order-export"' in exact.stdout  # the others are still imported


def test_several_targets_write_one_folder_each_with_prefixed_variables(tmp_path: Path) -> None:
    export = LIVE[1]
    seed = {"connectors": EXAMPLE_CONNECTORS, "deployments": [export, {**export, "projectKey": "acme-prod"}]}
    with running_emulator(seed) as emulator:
        targets = {"staging": {"projectKey": PROJECT}, "production": {"projectKey": "acme-prod"}}
        repo = write_repo(tmp_path, emulator.url, targets, {})
        result = gitsync(repo, "import", "--out", "deployments")
        assert result.returncode == 0, result.stderr
        assert _variables(result.stderr) == [
            "STAGING_ORDER_EXPORT_EXPORTER_SFTP_PASSWORD",
            "PRODUCTION_ORDER_EXPORT_EXPORTER_SFTP_PASSWORD",
        ]
        assert gitsync(repo, "validate").returncode == 0
        planned = gitsync(repo, "plan", "--detailed-exitcode")
        assert planned.returncode == 0, planned.stdout + planned.stderr
        shared = {"staging": {"projectKey": PROJECT}, "again": {"projectKey": PROJECT}}
        write_repo(tmp_path, emulator.url, shared, {})
        refused = gitsync(repo, "import", "--out", "elsewhere")
    assert refused.returncode == 1 and "drive the same project" in refused.stderr
    assert not (repo / "elsewhere").exists()


def test_add_to_config_edits_gitsync_yaml_keeping_comments_or_prints_the_line(tmp_path: Path) -> None:
    seed = {"connectors": EXAMPLE_CONNECTORS, "deployments": LIVE[1:3]}
    with running_emulator(seed) as emulator:
        repo = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": PROJECT}}, {})
        config = repo / "gitsync.yaml"
        config.write_text("# adopted with gitsync import\n" + config.read_text())
        before = config.read_text()
        assert gitsync(repo, "import", "order-export", "--out", "deployments/staging").returncode == 0
        result = gitsync(repo, "import", "order-export-nightly", "--out", "adopted", "--add-to-config")
        assert result.returncode == 0, result.stderr
        assert "Added adopted to targets.staging.manifests in gitsync.yaml." in result.stderr
        assert "does not read" not in result.stderr
        after = config.read_text()
        assert after.startswith("# adopted with gitsync import\n")
        listed = "    - deployments/staging\n"
        assert listed in before and after == before.replace(listed, listed + "    - adopted\n")
        planned = gitsync(
            repo, "plan", "--detailed-exitcode", env={"ORDER_EXPORT_EXPORTER_SFTP_PASSWORD": "set"}
        )
        assert planned.returncode == 0, planned.stdout + planned.stderr  # plan reads them: all noop

        flow = after.replace(listed + "    - adopted\n", "").replace(
            "manifests:\n", "manifests: [deployments/staging, adopted]  # flow\n"
        )
        config.write_text(flow)
        printed = gitsync(repo, "import", "order-export", "--out", "more", "--add-to-config")
        assert printed.returncode == 0, printed.stderr
        assert config.read_text() == flow  # not edited
        assert "gitsync.yaml was not edited (the list is written in flow style" in printed.stderr
        assert "targets.staging.manifests yourself:\n    - more\n" in printed.stderr

        usage = gitsync(repo, "import", "--out", "-", "--add-to-config")
        assert usage.returncode == 64 and "--out - writes no folder" in usage.stderr
        config.unlink()
        implicit = gitsync(repo, "import", "--out", "x", "--add-to-config", env={"CTP_PROJECT_KEY": PROJECT})
        assert implicit.returncode == 1 and "no gitsync.yaml to add the folder to" in implicit.stderr
        assert not (repo / "x").exists()
