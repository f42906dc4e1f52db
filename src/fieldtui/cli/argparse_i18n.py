"""argparse in the user's language: its usage line, error messages and section titles.

argparse looks its strings up with the ``gettext`` and ``ngettext`` names it imported into its
own module, in the global ``messages`` domain, which follows only the locale variables. Pointing
those two names at fieldtui's catalog makes ``fieldtui --lang zh`` (or the settings file's
language) translate them too. The msgids are listed below so ``scripts/i18n.py`` extracts
them; they are argparse's own strings of Python 3.11 to 3.13, character for character.
"""

from __future__ import annotations

import argparse

from fieldtui.i18n import N_, _, ngettext

ARGPARSE_MSGIDS = [
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("show this help message and exit"),
    N_("%(prog)s: error: %(message)s\n"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("unrecognized arguments: %s"),
    N_("not allowed with argument %s"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("invalid %(type)s value: %(value)r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("ignored explicit argument %r"),
    N_("unexpected option string: %s"),
]


def install() -> None:
    """Route argparse's message lookups through fieldtui's current language."""
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
