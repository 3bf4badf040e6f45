"""``-v``: one line per HTTP call on stderr, from the client's ``gitsync.api`` logger.

The client never logs headers, bodies or tokens, so this handler only chooses where its lines go.
"""

from __future__ import annotations

import logging
import sys

API_LOGGER = "gitsync.api"
_HANDLER_NAME = "gitsync-verbose"


def configure_verbose(verbose: bool) -> None:
    """Show the client's per-call lines on stderr when ``verbose``; idempotent across runs."""
    logger = logging.getLogger(API_LOGGER)
    for handler in [h for h in logger.handlers if h.get_name() == _HANDLER_NAME]:
        logger.removeHandler(handler)
    if not verbose:
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.set_name(_HANDLER_NAME)
    handler.setFormatter(logging.Formatter("%(message)s"))
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
