"""What a form is made of: its fields (:class:`FieldSpec`), what the database says about
them (:class:`Finding`), and how a save ended (:class:`SaveResult`).

Plain data, so a kind's form is mostly a declaration; the field schema (``domain``) will
produce the :class:`FieldSpec` list of each record kind.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from textual.widget import Widget
from textual.widgets import Input, Select, TextArea

from fieldtui.i18n import _

Texts = dict[str, str | None]
"""A form's contents as typed: field → text (a select's code; None for none)."""


@dataclass(frozen=True, slots=True)
class FieldSpec:
    """One field of a form."""

    name: str
    label: str
    """English msgid, shown translated."""
    widget: Literal["line", "text", "select"] = "line"
    required: bool = False
    """Marks the label; the field's check decides what is refused."""
    placeholder: str = ""
    """A msgid or an example (shown through ``_()`` either way)."""
    max_length: int = 0
    """Characters a line field takes (0: no limit)."""
    choices: Callable[[str], Sequence[tuple[str, str]]] | None = None
    """A select's ``(label, code)`` pairs in a language."""
    default: str | None = None
    """A select's code on a new record (None: not set)."""


def make_control(spec: FieldSpec, lang: str) -> Widget:
    """The input widget of a field; its id is the field's name."""
    if spec.widget == "select":
        choices = spec.choices(lang) if spec.choices else []
        return Select(
            choices,
            prompt=_("(not set)"),
            allow_blank=not spec.required,
            value=spec.default if spec.default is not None else Select.NULL,
            id=spec.name,
            compact=True,
        )
    if spec.widget == "text":
        return TextArea(id=spec.name, soft_wrap=True, tab_behavior="focus", compact=True)
    return Input(
        id=spec.name,
        placeholder=_(spec.placeholder) if spec.placeholder else "",
        max_length=spec.max_length,
        compact=True,
    )


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
