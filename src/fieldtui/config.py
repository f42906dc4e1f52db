"""User settings: a small TOML file (``paths.config_file()``, ``$FIELDTUI_CONFIG`` overrides).

```toml
language = "zh"          # "zh" or "en"; leave out to follow the locale ($FIELDTUI_LANG, $LANG)
officer = "张伟"          # the officer using this laptop: a name or an officer id
visit_interval_days = 7  # "my week" marks assigned enterprises not visited for this long

[ranking]                # weights of the yearly ranking (fieldtui report ranking)
satisfaction = 30        # any of: visits resolution on_time satisfaction projects monthly_report

[keys]                   # binding id = key(s); F1 in the app shows every binding's id
"app.help" = "f1"
"area.ledger" = "1,f2"   # several keys: comma-separated
```

A missing file means defaults. A broken one raises :class:`ConfigError` whose message names
the file and the line/column or the key at fault; callers show it as one line.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldtui import paths

LANGUAGES = ("zh", "en")
KNOWN_KEYS = ("language", "officer", "visit_interval_days", "keys", "ranking")
RANKING_WEIGHTS = ("visits", "resolution", "on_time", "satisfaction", "projects", "monthly_report")
"""The components of the yearly ranking a ``[ranking]`` table may weigh
(:data:`fieldtui.reports.ranking.COMPONENTS`; config may not import reports, a test keeps the
two equal)."""
DEFAULT_VISIT_INTERVAL_DAYS = 7
"""The zone's visit rule: every assigned enterprise every week (每周深入园区企业走访)."""
MAX_VISIT_INTERVAL_DAYS = 366


class ConfigError(Exception):
    """A settings file that cannot be used; the message names the file and the problem."""


@dataclass(slots=True)
class Settings:
    language: str | None = None
    """"zh", "en" or None (follow the locale)."""
    officer: str | None = None
    """The current officer's name or id; None: ask the database (first-run profile)."""
    visit_interval_days: int = DEFAULT_VISIT_INTERVAL_DAYS
    """Days after which "my week" marks an assigned enterprise as due for a visit."""
    keys: dict[str, str] = field(default_factory=dict)
    """Binding id → key or comma-separated keys, overriding the built-in bindings."""
    ranking: dict[str, float] = field(default_factory=dict)
    """Ranking component → weight, overriding the defaults (domain.md's suggestion)."""


def load_settings(path: Path | None = None) -> Settings:
    """Read settings; a missing file gives defaults, a broken one raises :class:`ConfigError`."""
    path = paths.config_file() if path is None else path
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return Settings()
    except IsADirectoryError:
        raise ConfigError(f"{path}: is a directory, not a settings file") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read settings: {exc.strerror or exc}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{path}: not UTF-8 text (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        # tomllib's message already ends with "(at line L, column C)"
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    return _settings_from(data, path)


def _settings_from(data: dict[str, Any], path: Path) -> Settings:
    unknown = sorted(set(data) - set(KNOWN_KEYS))
    if unknown:
        raise ConfigError(
            f"{path}: unknown setting {', '.join(map(repr, unknown))}; "
            f"known settings: {', '.join(KNOWN_KEYS)}"
        )
    settings = Settings()
    language = data.get("language")
    if language is not None:
        if not isinstance(language, str):
            raise ConfigError(f'{path}: \'language\' must be a string ("zh" or "en")')
        if language not in LANGUAGES:
            raise ConfigError(f'{path}: \'language\' = {language!r}: choose "zh" or "en"')
        settings.language = language
    officer = data.get("officer")
    if officer is not None:
        if not isinstance(officer, str):
            raise ConfigError(f"{path}: 'officer' must be a string (a name or an officer id)")
        settings.officer = officer.strip() or None
    interval = data.get("visit_interval_days")
    if interval is not None:
        if (
            not isinstance(interval, int)
            or isinstance(interval, bool)
            or not 1 <= interval <= MAX_VISIT_INTERVAL_DAYS
        ):
            raise ConfigError(
                f"{path}: 'visit_interval_days' = {interval!r}: give a whole number of days "
                f"from 1 to {MAX_VISIT_INTERVAL_DAYS} (e.g. 7)"
            )
        settings.visit_interval_days = interval
    keys = data.get("keys")
    if keys is not None:
        if not isinstance(keys, dict):
            raise ConfigError(f"{path}: 'keys' must be a table ([keys] binding-id = \"key\")")
        for binding_id, value in keys.items():
            if not isinstance(value, str) or not value.strip():
                raise ConfigError(
                    f'{path}: keys.{binding_id} must be a key name such as "f2" or "ctrl+n"'
                    ' (several keys: "f2,ctrl+n")'
                )
            settings.keys[binding_id] = ",".join(k.strip() for k in value.split(",") if k.strip())
    ranking = data.get("ranking")
    if ranking is not None:
        if not isinstance(ranking, dict):
            raise ConfigError(f"{path}: 'ranking' must be a table ([ranking] satisfaction = 25)")
        for name, weight in ranking.items():
            if name not in RANKING_WEIGHTS:
                raise ConfigError(
                    f"{path}: ranking.{name}: unknown weight; known: {', '.join(RANKING_WEIGHTS)}"
                )
            if isinstance(weight, bool) or not isinstance(weight, int | float) or weight < 0:
                raise ConfigError(f"{path}: ranking.{name} = {weight!r}: give a number, 0 or more")
            settings.ranking[name] = float(weight)
        if settings.ranking and not any(settings.ranking.get(n, 1) for n in RANKING_WEIGHTS):
            raise ConfigError(f"{path}: [ranking]: every weight is 0")
    return settings


def save_settings(settings: Settings, path: Path | None = None) -> Path:
    """Write settings as TOML (to a temporary file, then renamed); returns the path."""
    import tomli_w

    path = paths.config_file() if path is None else path
    data: dict[str, Any] = {}
    if settings.language is not None:
        if settings.language not in LANGUAGES:
            raise ConfigError(f'language {settings.language!r}: choose "zh" or "en"')
        data["language"] = settings.language
    if settings.officer:
        data["officer"] = settings.officer
    if settings.visit_interval_days != DEFAULT_VISIT_INTERVAL_DAYS:
        data["visit_interval_days"] = settings.visit_interval_days
    if settings.keys:
        data["keys"] = dict(settings.keys)
    if settings.ranking:
        data["ranking"] = dict(settings.ranking)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(tomli_w.dumps(data), encoding="utf-8")
    tmp.replace(path)
    return path


def resolve_language(cli_lang: str | None, settings: Settings) -> str:
    """``--lang`` wins over the settings file, which wins over $FIELDTUI_LANG and the locale."""
    from fieldtui.i18n import detect_language

    return cli_lang or settings.language or detect_language()
