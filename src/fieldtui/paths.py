"""Where fieldtui keeps its files: the platform's data and config directories (platformdirs).

``FIELDTUI_DB`` and ``--db`` override the database path; ``FIELDTUI_CONFIG`` the settings file
(handy for tests and for offices that keep settings on a shared drive).
"""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_config_path, user_data_path

APP_NAME = "fieldtui"


def data_dir() -> Path:
    return user_data_path(APP_NAME, appauthor=False)


def config_file() -> Path:
    env = os.environ.get("FIELDTUI_CONFIG")
    if env:
        return Path(env).expanduser()
    return user_config_path(APP_NAME, appauthor=False) / "settings.toml"


def default_db() -> Path:
    return data_dir() / "fieldtui.db"


def demo_db() -> Path:
    return data_dir() / "demo.db"


def resolve_db(cli_value: str | os.PathLike[str] | None) -> Path:
    """``--db`` wins over ``FIELDTUI_DB``, which wins over the platform default."""
    if cli_value:
        return Path(cli_value).expanduser()
    env = os.environ.get("FIELDTUI_DB")
    if env:
        return Path(env).expanduser()
    return default_db()


def backup_dir(db_path: Path) -> Path:
    """Backups sit beside the database they protect, so moving a database moves its backups."""
    return db_path.parent / "backups"
