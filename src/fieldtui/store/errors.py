"""The store's errors: each carries a one-line message naming the file and what to do."""

from __future__ import annotations


class StoreError(Exception):
    """A database that cannot be opened or migrated; the message names the file and why."""


class StoreBusy(StoreError):
    """Another process held the write lock longer than this one would wait; nothing changed."""


class BackupError(StoreError):
    """A backup could not be written (disk full, no permission); the work it guarded was not
    done."""
