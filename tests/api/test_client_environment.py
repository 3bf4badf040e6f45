"""Whatever the environment says a proxy or the certificate authorities are, the client starts or refuses
with a ConfigError that names the variable and never a password (exit 4 is never an answer to an
environment value)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gitsync.api.cancel import CancelToken
from gitsync.api.wire import Wire
from gitsync.errors import ConfigError

NAMES = ("HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy", "NO_PROXY")
PASSWORD = "hunter2pw"
URLISH = st.one_of(
    st.text(max_size=40).filter(lambda text: PASSWORD not in text),
    st.builds(
        "{}://{}{}".format,
        st.sampled_from(["http", "https", "socks5", "ftp", "", "HTTP"]),
        st.sampled_from(["", f"user:{PASSWORD}@"]),
        st.text(alphabet="abc.:[]1@/%", max_size=20),
    ),
)


def _clear(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in NAMES:
        monkeypatch.delenv(name, raising=False)


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(NAMES[:-1]), value=URLISH)
def test_any_proxy_value_starts_the_client_or_is_a_config_error(name: str, value: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear(monkeypatch)
        if "\x00" in value:
            return  # no environment can hold a NUL
        monkeypatch.setenv(name, value)
        try:
            Wire(timeout=5, cancel=CancelToken()).close()
        except ConfigError as exc:
            assert name in str(exc) and "fix it or unset it" in str(exc)
            assert PASSWORD not in str(exc)


@pytest.mark.parametrize(
    ("value", "hint"),
    [
        (f"ftp://user:{PASSWORD}@proxy.example", "expected a proxy URL such as http://"),
        ("socks5://127.0.0.1:1080", "pip install 'httpx[socks]'"),
    ],
)
def test_an_unusable_proxy_is_named_with_what_to_do(
    value: str, hint: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear(monkeypatch)
    monkeypatch.setenv("HTTPS_PROXY", value)
    with pytest.raises(ConfigError) as caught:
        Wire(timeout=5, cancel=CancelToken())
    assert "HTTPS_PROXY=" in str(caught.value) and hint in str(caught.value)
    assert PASSWORD not in str(caught.value)


@pytest.mark.parametrize("kind", ["missing", "a folder", "not PEM"])
def test_certificate_authorities_that_cannot_be_loaded_are_a_config_error(
    kind: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _clear(monkeypatch)
    path = {"missing": tmp_path / "nope.pem", "a folder": tmp_path, "not PEM": tmp_path / "x.pem"}[kind]
    if kind == "not PEM":
        path.write_text("not a certificate\n")
    monkeypatch.setenv("SSL_CERT_FILE", str(path))
    with pytest.raises(ConfigError) as caught:
        Wire(timeout=5, cancel=CancelToken())
    assert f"SSL_CERT_FILE={str(path)!r}" in str(caught.value)
    assert "point SSL_CERT_FILE at a PEM bundle" in str(caught.value)


@settings(max_examples=100, deadline=None)
@given(value=st.text(max_size=30).filter(lambda text: "\x00" not in text))
def test_any_certificate_file_value_starts_the_client_or_is_a_config_error(value: str) -> None:
    with pytest.MonkeyPatch.context() as monkeypatch:
        _clear(monkeypatch)
        monkeypatch.setenv("SSL_CERT_FILE", value)
        try:
            Wire(timeout=5, cancel=CancelToken()).close()
        except ConfigError as exc:
            assert "SSL_CERT_FILE" in str(exc)
