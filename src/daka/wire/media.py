"""The media endpoints' JSON (docs/wecom-api.md §15.1)."""

from __future__ import annotations

from typing import Any


def upload_view(media_type: str, media_id: str, created_at: int) -> dict[str, Any]:
    """media/upload's answer; ``created_at`` is a string, as in WeCom's example."""
    return {"type": media_type, "media_id": media_id, "created_at": str(created_at)}
