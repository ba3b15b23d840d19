"""``daka sync``: mirror a corp of WeCom, or of another daka, into the local database."""

from daka.sync.runner import (
    DEFAULT_OVERLAP_DAYS,
    Progress,
    SyncError,
    SyncOptions,
    SyncReport,
    sync_corp,
)

__all__ = [
    "DEFAULT_OVERLAP_DAYS",
    "Progress",
    "SyncError",
    "SyncOptions",
    "SyncReport",
    "sync_corp",
]
