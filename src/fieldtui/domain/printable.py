"""Text other databases wrote, made safe to print on a terminal.

A laptop's name, a record's name or a value arrive in sync files from other computers. Printed
as they are, control characters act on the terminal instead of showing: ``\\x1b]0;…\\x07``
retitles the window, ``\\x1b[2J`` clears the screen, a carriage return overwrites the line,
and the bidirectional overrides (U+202E) show text in another order than it is. Everything of
that kind is shown as an escape (``\\x1b``, ``\\u202e``) instead, so the text stays readable
and nothing it holds is hidden; other text, Chinese included, is left as it is.
"""

from __future__ import annotations

import re

_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufff9-\ufffb]"
)


def _escape(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def printable(value: object) -> str:
    """``value`` as text with every control and direction-changing character escaped."""
    text = value if isinstance(value, str) else str(value)
    return _UNSAFE.sub(_escape, text)
