"""Sync by file: the op log, sync files, merge, conflicts, roles (see design.md, "Sync model").

Depends on :mod:`fieldtui.domain` and :mod:`fieldtui.store` only (no Textual), so the CLI,
the UI's thread workers and tests all drive it the same way::

    from fieldtui.sync import export, import_files, init_role, list_conflicts, resolve

The modules, bottom up: ``oplog`` (version vectors, ops a peer lacks), ``fileformat`` (the
``.fieldsync`` file), ``merge`` (set union of ops and row recomputation), ``peers`` (roles and
bookkeeping), ``conflicts`` (listing and settling), ``exporter``, ``importer`` and ``status``
(what the ``fieldtui sync`` commands do).
"""

from fieldtui.sync.conflicts import Conflict, Head, list_conflicts, resolve
from fieldtui.sync.errors import SyncError, SyncFileError
from fieldtui.sync.exporter import Exported, export
from fieldtui.sync.held import HeldValue, held_values
from fieldtui.sync.importer import (
    ALREADY,
    CANCELLED,
    IMPORTED,
    OWN,
    REFUSED,
    FileOutcome,
    ImportReport,
    import_files,
)
from fieldtui.sync.merge import TableChanges
from fieldtui.sync.peers import HUB, LAPTOP, Identity, identity, init_role
from fieldtui.sync.status import Status, status

__all__ = [
    "ALREADY",
    "CANCELLED",
    "HUB",
    "IMPORTED",
    "LAPTOP",
    "OWN",
    "REFUSED",
    "Conflict",
    "Exported",
    "FileOutcome",
    "Head",
    "HeldValue",
    "Identity",
    "ImportReport",
    "Status",
    "SyncError",
    "SyncFileError",
    "TableChanges",
    "export",
    "held_values",
    "identity",
    "import_files",
    "init_role",
    "list_conflicts",
    "resolve",
    "status",
]
