"""Demo data: two years of one zone's work, written through the store like real work.

``build_demo(store, size, seed, progress)`` is the whole public interface (the CLI's ``demo``
command, ``fieldtui --demo`` and the benchmarks use it). The package's modules:
:mod:`~fieldtui.demo.zone` (the running build's state and write helpers),
:mod:`~fieldtui.demo.build` (the ledger: officers, enterprises, projects, activities, plans),
:mod:`~fieldtui.demo.work` (visits, problems, meetings, checklist answers) and
:mod:`~fieldtui.demo.data` (word lists and small generators).
"""

from fieldtui.demo.build import DemoBuild, build_demo
from fieldtui.demo.zone import Progress

__all__ = ["DemoBuild", "Progress", "build_demo"]
