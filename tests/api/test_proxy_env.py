"""Whatever the environment says a proxy is, the client starts or refuses with a ConfigError that names the
variable and never its password (exit 4 is never an answer to an environment value)."""

from __future__ import annotations

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
