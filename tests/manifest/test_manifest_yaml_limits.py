"""YAML guard rails that need no corpus file: size, unreadable paths, positions of loaded values."""

from __future__ import annotations

from pathlib import Path

from gitsync.manifest.yamlfile import MAX_BYTES, read_document


def test_a_file_over_one_mib_is_refused_without_parsing(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    big.write_text("key: x\n" + "# padding\n" * (MAX_BYTES // 10 + 1))
    doc = read_document(big, "big.yaml")
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("file-too-large", 1, 1)]
    assert doc.value is None


def test_an_unreadable_path_is_a_problem(tmp_path: Path) -> None:
    folder = tmp_path / "folder.yaml"
    folder.mkdir()
    doc = read_document(folder, "folder.yaml")
    assert [p.code for p in doc.problems] == ["unreadable"]
    assert "cannot read the file" in doc.problems[0].message


def test_positions_of_values_and_keys(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_text("a:\n  b: [x, 'y']\n")
    doc = read_document(path, "m.yaml")
    assert doc.value == {"a": {"b": ["x", "y"]}}
    assert doc.where(("a", "b", 1)) == (2, 10)
    assert doc.where(("a", "b"), key=True) == (2, 3)
    assert doc.where(("a", "missing")) == (2, 3)


def test_a_control_character_is_a_syntax_problem_at_its_position(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes(b"key: abc\nregion: a\x07b\n")
    doc = read_document(path, "m.yaml")
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("yaml-syntax", 2, 10)]
    assert "U+0007" in doc.problems[0].message
    assert doc.value is None


def test_a_control_character_after_non_ascii_text_is_placed_by_characters(tmp_path: Path) -> None:
    path = tmp_path / "m.yaml"
    path.write_bytes("key: üü\x00\n".encode())
    doc = read_document(path, "m.yaml")
    assert [(p.code, p.line, p.col) for p in doc.problems] == [("yaml-syntax", 1, 8)]
