"""Whose database this is: the officer remembered as this laptop's user (``meta.officer_id``).

The first-run screen makes a new officer and remembers them, but it only appears on an empty
database. A laptop set up from the hub's file already holds the whole roster, so its officer
is chosen among the officers it received (``fieldtui profile set NAME``). The choice is local
(meta, not synced): every laptop remembers its own user. The settings file's ``officer`` still
wins over it (see :mod:`fieldtui.startup`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldtui.domain.records import Officer
from fieldtui.i18n import _

if TYPE_CHECKING:
    from fieldtui.store import Store

META_OFFICER = "officer_id"


class ProfileError(Exception):
    """No officer, or several, answer to the name or id given; the message lists them."""


def current_officer(store: Store) -> Officer | None:
    """The remembered officer, if any and still live."""
    officer_id = store.meta(META_OFFICER)
    if not officer_id:
        return None
    officer = store.officers.get(officer_id)
    return officer if officer is not None and not officer.deleted else None


def find_officers(store: Store, ref: str) -> list[Officer]:
    """Live officers with this id, else ending with it (8 or more characters), else with
    this exact name (ignoring spaces around it)."""
    ref = ref.strip()
    if not ref:
        return []
    officers = store.officers.list()
    by_id = [o for o in officers if o.id == ref]
    if by_id:
        return by_id
    if len(ref) >= 8:
        by_end = [o for o in officers if o.id.endswith(ref.lower())]
        if by_end:
            return by_end
    return sorted((o for o in officers if o.name.strip() == ref), key=lambda o: o.id)


def describe(officer: Officer) -> str:
    """``张伟（经发局）``: a name with its unit tells same-named officers apart."""
    return f"{officer.name}（{officer.unit}）" if officer.unit else officer.name


def set_current_officer(store: Store, ref: str) -> Officer:
    """Remember the officer named ``ref`` (a name, an id or the end of one) as this
    database's user; refuses a name nobody has or several have, listing the candidates."""
    with store.writer.transaction():
        found = find_officers(store, ref)
        if not found:
            names = [describe(o) for o in store.officers.list()]
            if not names:
                raise ProfileError(
                    _(
                        "there are no officers in this database yet: import the hub's sync "
                        "file first (or the roster: fieldtui sheet import officers FILE)"
                    )
                )
            shown = "、".join(sorted(names)[:30]) + ("……" if len(names) > 30 else "")
            raise ProfileError(
                _("no officer {ref} in this database; the officers are: {names}").format(
                    ref=f"“{ref}”", names=shown
                )
            )
        if len(found) > 1:
            shown = "、".join(f"{describe(o)} {o.id[-8:]}" for o in found)
            raise ProfileError(
                _("{n} officers are named {ref}: {names}; give the end of the id instead").format(
                    n=len(found), ref=f"“{ref}”", names=shown
                )
            )
        officer = found[0]
        store.set_meta(META_OFFICER, officer.id)
    return officer
