"""What a form is made of: its fields (:class:`~fieldtui.domain.forms.FieldSpec`, read from
the field schema by :func:`~fieldtui.domain.forms.form_specs`), what the database says about
them (:class:`Finding`), and how a save ended (:class:`SaveResult`).

Plain data, so a kind's form is mostly a declaration.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fieldtui.domain.forms import FieldSpec, form_specs

__all__ = ["FieldSpec", "Finding", "SaveResult", "Texts", "form_specs"]

Texts = dict[str, str | None]
"""A form's contents as typed: field → text (a select's code; None for none)."""


@dataclass(frozen=True, slots=True)
class Finding:
    """What a check against the database found about one field.

    An ``error`` blocks saving. A ``warning`` is shown under the field; with an ``ack`` key it
    also stops the first save that meets it (the officer saves again to go on), once per key.
    """

    field: str
    error: str | None = None
    warning: str | None = None
    ack: str | None = None
    notice: str | None = None
    """What the save notification says when this finding stops a save."""
    ref: Any = None
    """What the kind needs to act on it (e.g. the existing record to open)."""


@dataclass(slots=True)
class SaveResult:
    """How a save (or a delete) ended, sent back from the worker."""

    saved_id: str | None = None
    error: str | None = None
    deleted: bool = False
    findings: list[Finding] = field(default_factory=list)
    """Database findings that stopped the save (nothing was written)."""
    conflicts: list[str] = field(default_factory=list)
    """Fields saved while someone else's value was kept beside ours (a conflict)."""
