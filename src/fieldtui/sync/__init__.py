"""Sync by file: the op log, sync files, merge, conflicts, roles (see design.md, "Sync model").

Depends on :mod:`fieldtui.domain` and :mod:`fieldtui.store` only (no Textual), so the CLI,
the UI's thread workers and tests all drive it the same way::

    from fieldtui.sync import export, import_files, init_role, list_conflicts, resolve

What a sync screen calls (all plain functions returning dataclasses, for thread workers):
:func:`export` (to a folder; :func:`export_targets` lists removable drives),
:func:`import_files` (``progress`` and ``cancel``; the report counts records per kind, files
already imported, values held aside), :func:`list_conflicts` and :func:`resolve`,
:func:`held_values`, :func:`file_history`, :func:`overview` (role, peers, conflicts, team) and
the team's steps (:func:`team_status`, :func:`create_team`, :func:`join_request`,
:func:`enroll`, :func:`revoke`).

The modules, bottom up: ``oplog`` (version vectors, ops a peer lacks), ``fileformat`` (the
``.fieldsync`` file), ``merge`` (set union of ops and row recomputation), ``peers`` (roles and
bookkeeping), ``conflicts`` (listing and settling), ``exporter``, ``importer`` and ``status``
(what the ``fieldtui sync`` commands do).
"""

from fieldtui.sync.conflicts import Conflict, Head, list_conflicts, resolve
from fieldtui.sync.dashboard import (
    Drive,
    HistoryEntry,
    Overview,
    export_targets,
    file_history,
    overview,
)
from fieldtui.sync.errors import SyncError, SyncFileError
from fieldtui.sync.exporter import Exported, Skipped, export
from fieldtui.sync.held import HeldValue, held_values
from fieldtui.sync.importer import import_files
from fieldtui.sync.merge import TableChanges
from fieldtui.sync.peers import HUB, LAPTOP, Identity, identity, init_role
from fieldtui.sync.report import (
    ALREADY,
    CANCELLED,
    IMPORTED,
    OWN,
    REFUSED,
    FileOutcome,
    ImportReport,
)
from fieldtui.sync.status import Status, status
from fieldtui.sync.team import (
    DeviceStatus,
    Enrolled,
    JoinRequest,
    Revoked,
    TeamStatus,
    create_team,
    enroll,
    join_request,
    revoke,
    team_status,
)

__all__ = [
    "ALREADY",
    "CANCELLED",
    "HUB",
    "IMPORTED",
    "LAPTOP",
    "OWN",
    "REFUSED",
    "Conflict",
    "DeviceStatus",
    "Drive",
    "Enrolled",
    "Exported",
    "FileOutcome",
    "Head",
    "HeldValue",
    "HistoryEntry",
    "Identity",
    "ImportReport",
    "JoinRequest",
    "Overview",
    "Revoked",
    "Skipped",
    "Status",
    "SyncError",
    "SyncFileError",
    "TableChanges",
    "TeamStatus",
    "create_team",
    "enroll",
    "export",
    "export_targets",
    "file_history",
    "held_values",
    "identity",
    "import_files",
    "init_role",
    "join_request",
    "list_conflicts",
    "overview",
    "resolve",
    "revoke",
    "status",
    "team_status",
]
