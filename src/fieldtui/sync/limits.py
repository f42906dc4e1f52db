"""How much one ``sync import`` run takes on, whatever its files say (issue 11, item 3).

Per-file limits alone let many files add up: three files of 550 KB, each with a few
million-character values, once took 4.5 GB of memory and grew the database by 1.5 GB. So the
budget below is for the whole run (every file of one call), charged as files are read, from the
sizes a manifest declares before anything is decompressed: a file that would take the run past
a limit is refused naming it ("import it on its own"), and the files before it still go in.

Memory follows from these: decompressed text is read in chunks of :data:`CHUNK_BYTES` with no
line (one change) longer than :data:`MAX_LINE_BYTES`, so what is held is the run's parsed
changes (bounded by the op and value budgets) and one chunk.

Generous for real offices: a laptop's season is a few thousand changes, and the hub's
everything-file for a new laptop in a zone of a few thousand enterprises a few hundred
thousand. Values have a limit per field too (:func:`fieldtui.sync.values.hard_limit`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from fieldtui.i18n import _
from fieldtui.sync.errors import SyncFileError

if TYPE_CHECKING:
    from fieldtui.sync.fileformat import SyncFile

RUN_MAX_OPS = 1_000_000
"""Changes (ops) in all the files of one run."""

RUN_MAX_RAW_BYTES = 256 * 1024 * 1024
"""Decompressed size of all the files' changes, as their manifests declare it."""

RUN_MAX_FILE_BYTES = 256 * 1024 * 1024
"""Size of the files themselves (what is read into memory before decompressing)."""

RUN_MAX_VALUE_CHARS = 64 * 1024 * 1024
"""Characters of text values in all the changes of one run."""

RUN_MAX_REPLICAS = 1_000
"""Different databases (replica ids) whose changes one run brings."""

MAX_PEERS_NAMED = 1_000
"""Entries of one manifest's version vector and of its names (an office has tens of laptops;
replica ids of databases that continued under a new one add a few more)."""

MAX_LINE_BYTES = 1024 * 1024
"""One change as a line of JSON (the longest value a field allows, escaped, fits easily)."""

CHUNK_BYTES = 8 * 1024 * 1024
"""Decompressed text parsed at a time."""


@dataclass(slots=True)
class Budget:
    """What the run has taken on so far, against the limits above (read each time, so a test
    may lower them)."""

    ops: int = 0
    raw_bytes: int = 0
    file_bytes: int = 0
    value_chars: int = 0
    replicas: set[str] = field(default_factory=set)

    def charge_file(self, sync_file: SyncFile) -> None:
        m, path = sync_file.manifest, sync_file.path
        over = [
            (self.ops + m.op_count, RUN_MAX_OPS, _("changes")),
            (self.raw_bytes + m.raw_bytes, RUN_MAX_RAW_BYTES, _("bytes of changes")),
            (self.file_bytes + sync_file.size, RUN_MAX_FILE_BYTES, _("bytes of files")),
        ]
        for total, limit, what in over:
            if total > limit:
                raise SyncFileError(path, over_budget(total, limit, what))
        self.ops += m.op_count
        self.raw_bytes += m.raw_bytes
        self.file_bytes += sync_file.size

    def charge_values(self, path: Path, chars: int, replicas: set[str]) -> None:
        total = self.value_chars + chars
        if total > RUN_MAX_VALUE_CHARS:
            raise SyncFileError(
                path, over_budget(total, RUN_MAX_VALUE_CHARS, _("characters of values"))
            )
        together = self.replicas | replicas
        if len(together) > RUN_MAX_REPLICAS:
            raise SyncFileError(path, over_budget(len(together), RUN_MAX_REPLICAS, _("databases")))
        self.value_chars = total
        self.replicas = together


def over_budget(total: int, limit: int, what: str) -> str:
    return _(
        "with this file, one import would take on {total} {what}, more than the {limit} it "
        "takes at a time; import this file on its own (or fewer files at once)"
    ).format(total=total, limit=limit, what=what)
