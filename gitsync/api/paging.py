"""Offset paging over Query Deployments (limit ≤ 500, offset ≤ 10000: connect-api-facts §1.7)."""

from __future__ import annotations

from gitsync.api.models import DeploymentPagedQueryResponse

MAX_LIMIT = 500
MAX_OFFSET = 10_000


def next_offset(page: DeploymentPagedQueryResponse, page_size: int) -> int | None:
    """The offset of the following page, or None when this page was the last."""
    end = page.offset + page.count
    if page.count == 0:
        return None
    if page.total is not None:
        return end if end < page.total else None
    # Without a total, a short page is the last one.
    return end if page.count >= page_size else None
