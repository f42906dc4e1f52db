"""What an open form does when its record changes elsewhere (the CLI, a sync import, another
window), decided without Textual.

A field the officer has not touched takes the new value at once, with its new heads: the
form shows what is stored and saving leaves it alone. A field changed both here and elsewhere
keeps what the officer typed and the heads the form loaded, so saving writes a conflict that
keeps both values for the office to settle; the form says so above its fields. A record
deleted elsewhere is said too (saving then keeps the edit and the delete as a conflict).

A list of references kept in a link table (a visit's officers) is saved link by link, so a
list changed on both sides needs no conflict: the form shows what is stored now with the
officer's additions and removals applied on top, and saving writes just those.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field

from fieldtui.domain.forms import join_items, split_items
from fieldtui.i18n import _
from fieldtui.store.models import DELETED_FIELD
from fieldtui.store.repos import Heads

__all__ = ["OutsideMerge", "merge_outside", "notice_text"]

Texts = Mapping[str, str | None]


@dataclass(slots=True)
class OutsideMerge:
    refreshed: list[str] = field(default_factory=list)
    """Fields that take the stored value (not touched here)."""
    disputed: list[str] = field(default_factory=list)
    """Fields changed here and elsewhere: saving makes a conflict."""
    texts: dict[str, str | None] = field(default_factory=dict)
    """The stored text of each refreshed field (the form's new baseline)."""
    typed: dict[str, str | None] = field(default_factory=dict)
    """Refreshed link fields the officer had changed too: the stored list with the officer's
    additions and removals applied (what the form shows now, over the new baseline)."""
    heads: Heads = field(default_factory=dict)
    """The heads of each refreshed field now."""
    deleted: bool = False
    """Deleted elsewhere since the form loaded."""


def merge_outside(
    fields: Sequence[str],
    shown_heads: Heads,
    shown_text: Texts,
    typed: Texts,
    now_heads: Heads,
    now_text: Texts,
    now_deleted: bool,
    sets: Collection[str] = (),
) -> OutsideMerge:
    """Compare what the form showed with what is stored now, field by field. ``sets``: the
    fields that are sets of ids saved one by one (link fields)."""
    merge = OutsideMerge()
    for name in fields:
        now = tuple(now_heads.get(name, ()))
        if now == tuple(shown_heads.get(name, ())):
            continue
        if name in sets and typed.get(name) != shown_text.get(name):
            shown_ids, typed_ids = split_items(shown_text.get(name)), split_items(typed.get(name))
            removed = set(shown_ids) - set(typed_ids)
            added = [i for i in typed_ids if i not in shown_ids]
            stored = [i for i in split_items(now_text.get(name)) if i not in removed]
            merge.refreshed.append(name)
            merge.texts[name] = now_text.get(name)
            merge.typed[name] = join_items(dict.fromkeys([*stored, *added]))
            merge.heads[name] = now
            continue
        if typed.get(name) == shown_text.get(name) or typed.get(name) == now_text.get(name):
            # untouched here (or typed to what is stored anyway): take the stored value
            merge.refreshed.append(name)
            merge.texts[name] = now_text.get(name)
            merge.heads[name] = now
        else:
            merge.disputed.append(name)
    merge.deleted = now_deleted and tuple(now_heads.get(DELETED_FIELD, ())) != tuple(
        shown_heads.get(DELETED_FIELD, ())
    )
    return merge


def notice_text(disputed_labels: Sequence[str], deleted: bool) -> str:
    """The form's notice (empty when there is nothing to say)."""
    parts: list[str] = []
    if deleted:
        parts.append(
            _(
                "This record was deleted elsewhere since this form opened. Saving keeps "
                "your edit and the delete as a conflict for the office to settle."
            )
        )
    if disputed_labels:
        parts.append(
            _(
                "Also changed elsewhere while you edited it: {fields}. Saving keeps both "
                "values as a conflict for the office to settle."
            ).format(fields="、".join(disputed_labels))
        )
    return "\n".join(parts)
