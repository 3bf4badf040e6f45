"""The per-call time limit every command's clients get from GITSYNC_HTTP_TIMEOUT."""

from __future__ import annotations

import pytest

from gitsync.api.client import CALL_TIMEOUT
from gitsync.core.clients import call_timeout_from
from gitsync.errors import ConfigError


def test_unset_or_blank_means_the_default() -> None:
    assert call_timeout_from({}) == CALL_TIMEOUT
    assert call_timeout_from({"GITSYNC_HTTP_TIMEOUT": "  "}) == CALL_TIMEOUT


def test_a_positive_number_of_seconds() -> None:
    assert call_timeout_from({"GITSYNC_HTTP_TIMEOUT": "2.5"}) == 2.5


@pytest.mark.parametrize("raw", ["abc", "0", "-1", "inf", "nan"])
def test_anything_else_is_an_error_naming_the_variable(raw: str) -> None:
    with pytest.raises(ConfigError, match=r"GITSYNC_HTTP_TIMEOUT=.* is not a number of seconds"):
        call_timeout_from({"GITSYNC_HTTP_TIMEOUT": raw})
