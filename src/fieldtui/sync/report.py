"""What an import did, file by file and as a whole: the dataclasses :func:`import_files` returns.

A sync screen shows them as they are: each file's fate (imported, already imported, written
by this database, refused with the reason, cancelled), its values held aside and clock
warnings; for the run, the ops merged, the records created, updated, deleted and restored per
table, the conflicts opened and settled, the backup taken, an identity change, and the team a
laptop joined.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from fieldtui.sync.continuity import IdentityChange
from fieldtui.sync.held import HeldValue
from fieldtui.sync.merge import TableChanges

IMPORTED = "imported"
ALREADY = "already imported"
OWN = "own file"
REFUSED = "refused"
CANCELLED = "cancelled"
PENDING = "pending"
"""A file read and verified, its fate not decided yet (never in a finished report)."""


@dataclass(slots=True)
class Flagged:
    """Ops from one replica stamped more than a day ahead of this computer's clock."""

    replica_id: str
    name: str
    ops: int
    latest: str


@dataclass(slots=True)
class FileOutcome:
    path: Path
    status: str
    reason: str = ""
    file_id: str | None = None
    source_id: str | None = None
    source_name: str = ""
    source_role: str = ""
    ops: int = 0
    added: int = 0
    flagged: list[Flagged] = field(default_factory=list)
    held: list[HeldValue] = field(default_factory=list)
    """Values of this file that do not fit their fields: held aside, never in a row."""
    device: str | None = None
    """The device that signed the file (a team's files), as its fingerprint."""


@dataclass(slots=True)
class JoinedTeam:
    """The team a laptop joined by an import, and the hub device it now takes files from."""

    team_id: str
    name: str
    hub_fingerprint: str


@dataclass(slots=True)
class ImportReport:
    files: list[FileOutcome] = field(default_factory=list)
    added: int = 0
    rows_created: int = 0
    rows_updated: int = 0
    conflicts_opened: int = 0
    conflicts_closed: int = 0
    open_conflicts: int = 0
    backup: Path | None = None
    identity_change: IdentityChange | None = None
    """Set when a file showed this database was put back from a copy (``sync.continuity``)."""
    tables: dict[str, TableChanges] = field(default_factory=dict)
    """Table → records created, updated, deleted and restored by this import."""
    cancelled: bool = False
    """Stopped by the caller's cancel check: nothing was written."""
    joined: JoinedTeam | None = None
    """Set when a hub file made this laptop a member of the office's team."""

    @property
    def refused(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == REFUSED]

    @property
    def already(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == ALREADY]

    @property
    def held(self) -> list[HeldValue]:
        return [h for f in self.files for h in f.held]
