"""Progress of long commands (demo, sheet import, sync import) on the terminal's stderr.

Shown only when both stdout and stderr are a terminal and ``--json`` is off: a script reading
stdout, or a log file, gets the result and nothing else. The line is Rich's progress bar,
drawn on stderr and cleared when the command ends, so the result printed after it stands alone.
"""

from __future__ import annotations

import sys
from types import TracebackType
from typing import TYPE_CHECKING

from fieldtui.cli.common import Output

if TYPE_CHECKING:
    from rich.progress import Progress, TaskID


def on_terminal() -> bool:
    return sys.stdout.isatty() and sys.stderr.isatty()


class ProgressLine:
    """``with ProgressLine(out, _("Reading…")) as bar: bar.update(label, done, total)``.

    Does nothing at all (not even import Rich) when progress is not to be shown.
    """

    def __init__(self, out: Output, label: str) -> None:
        self.enabled = not out.as_json and on_terminal()
        self._label = label
        self._progress: Progress | None = None
        self._task: TaskID | None = None

    def __enter__(self) -> ProgressLine:
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TaskProgressColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self._progress = Progress(
                SpinnerColumn(),
                TextColumn("{task.description}"),
                BarColumn(),
                TaskProgressColumn(),
                TimeElapsedColumn(),
                console=Console(file=sys.stderr),
                transient=True,
            )
            self._progress.start()
            self._task = self._progress.add_task(self._label, total=None)
        return self

    def update(self, label: str, done: float, total: float | None = None) -> None:
        """Show ``label`` with ``done`` of ``total`` (no total: a spinner, no bar).

        A new label is a new phase: the bar starts again, with its own elapsed time (Rich
        freezes a task's clock once it is complete, as the phase before may have been).
        """
        if self._progress is None or self._task is None:
            return
        if label != self._label:
            self._label = label
            self._progress.reset(self._task, start=True, total=total, description=label)
            if total is None:  # reset() keeps the old total when given None
                for task in self._progress.tasks:
                    if task.id == self._task:
                        task.total = None
        self._progress.update(self._task, completed=done, total=total)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if self._progress is not None:
            self._progress.stop()
            self._progress = None
