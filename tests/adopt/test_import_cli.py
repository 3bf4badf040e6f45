"""`gitsync import` in-process (``gitsync.cli.run``) against the emulator on loopback: the command's wiring
(targets, clients, writing, --add-to-config, the report) measured by coverage, which the e2e subprocesses
are not."""

from __future__ import annotations

from pathlib import Path

import pytest

from gitsync.cli import run
from tests.e2e.e2e_support import CLIENT_SECRET, running_emulator, write_repo
from tests.e2e.test_import_e2e import EXAMPLE_CONNECTORS, LIVE, PROJECT


def test_import_writes_adds_the_folder_and_reports(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    seed = {"connectors": EXAMPLE_CONNECTORS, "deployments": LIVE[1:3]}
    with running_emulator(seed) as emulator:
        repo = write_repo(tmp_path, emulator.url, {"staging": {"projectKey": PROJECT}}, {})
        monkeypatch.chdir(repo)
        monkeypatch.setenv("CTP_CLIENT_SECRET", CLIENT_SECRET)
        code = run(["import", "--out", "adopted", "--add-to-config", "--env-example", ".env.example"])
        err = capsys.readouterr().err
        assert code == 0, err
        assert sorted(path.name for path in (repo / "adopted").iterdir()) == [
            "order-export-nightly.yaml",
            "order-export.yaml",
        ]
        assert "    - adopted\n" in (repo / "gitsync.yaml").read_text()
        assert "Added adopted to targets.staging.manifests in gitsync.yaml." in err
        assert "  ORDER_EXPORT_EXPORTER_SFTP_PASSWORD  (staging/order-export exporter SFTP_PASSWORD)" in err
        assert err.endswith("Imported 2 deployment(s) into adopted; 0 error(s).\n")
        assert (repo / ".env.example").read_text().endswith("ORDER_EXPORT_EXPORTER_SFTP_PASSWORD=\n")

        again = run(["import", "order-export", "--out", "adopted"])
        assert again == 1 and "already exist(s); nothing was written" in capsys.readouterr().err
        printed = run(["import", "order-*", "--out", "-"])
        out = capsys.readouterr().out
        assert printed == 0 and out.count("\n---\n") == 1 and 'key: "order-export"' in out
