"""What screens may ask of the running app, without importing ``fieldtui.app`` (no cycles)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, cast

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from fieldtui.store import Store


class AppContext(Protocol):
    """Implemented by ``FieldApp``. ``store`` is shared; the Writer serialises writes."""

    store: Store
    lang: str
    """"zh" or "en": which enum label to show."""
    officer_id: str | None
    """The officer using this laptop (from settings), the default for new visits."""


def ctx(node: DOMNode) -> AppContext:
    return cast("AppContext", node.app)
