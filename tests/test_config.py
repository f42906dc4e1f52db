"""Settings file: defaults, round trip, and one clear message for each kind of breakage."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtui.config import ConfigError, Settings, load_settings, resolve_language, save_settings


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_missing_file_means_defaults(tmp_path: Path) -> None:
    assert load_settings(tmp_path / "nope.toml") == Settings()


def test_default_path_comes_from_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "s.toml", 'language = "zh"\n')
    monkeypatch.setenv("FIELDTUI_CONFIG", str(path))
    assert load_settings().language == "zh"


def test_full_file(tmp_path: Path) -> None:
    path = write(
        tmp_path / "s.toml",
        'language = "en"\nofficer = " 张伟 "\n[keys]\n"app.help" = "f2"\n"area.ledger" = "1, f3"\n',
    )
    settings = load_settings(path)
    assert settings.language == "en"
    assert settings.officer == "张伟"
    assert settings.keys == {"app.help": "f2", "area.ledger": "1,f3"}


def test_round_trip(tmp_path: Path) -> None:
    settings = Settings(language="zh", officer="李明", keys={"app.quit": "ctrl+x"})
    path = save_settings(settings, tmp_path / "sub" / "settings.toml")
    assert load_settings(path) == settings
    assert not list(path.parent.glob("*.tmp"))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('language = "zh"\nofficer = \n', "invalid TOML"),
        ('language = "zh"\nofficer = \n', "line 2"),
        ('language = "fr"\n', "'language' = 'fr'"),
        ("language = 1\n", "'language' must be a string"),
        ("officer = 42\n", "'officer' must be a string"),
        ('keys = "f1"\n', "'keys' must be a table"),
        ('[keys]\n"app.help" = 1\n', "keys.app.help"),
        ('[keys]\n"app.help" = ""\n', "keys.app.help"),
        ('langauge = "zh"\n', "unknown setting 'langauge'"),
    ],
)
def test_broken_file_gives_one_clear_line(tmp_path: Path, text: str, expected: str) -> None:
    path = write(tmp_path / "settings.toml", text)
    with pytest.raises(ConfigError) as info:
        load_settings(path)
    message = str(info.value)
    assert str(path) in message
    assert expected in message
    assert "\n" not in message


def test_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    path.write_bytes('language = "中"'.encode("gbk"))
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_settings(path)


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_settings(tmp_path)


def test_language_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FIELDTUI_LANG", "zh_CN.UTF-8")
    assert resolve_language(None, Settings()) == "zh"
    assert resolve_language(None, Settings(language="en")) == "en"
    assert resolve_language("zh", Settings(language="en")) == "zh"
    monkeypatch.setenv("FIELDTUI_LANG", "en_US")
    assert resolve_language(None, Settings()) == "en"


def test_visit_interval(tmp_path: Path) -> None:
    assert Settings().visit_interval_days == 7
    path = write(tmp_path / "s.toml", "visit_interval_days = 14\n")
    assert load_settings(path).visit_interval_days == 14
    again = save_settings(Settings(visit_interval_days=10), tmp_path / "t.toml")
    assert load_settings(again).visit_interval_days == 10
    assert "visit_interval_days" not in save_settings(Settings(), tmp_path / "u.toml").read_text()
    for bad in ("0", "-3", "7.5", '"7"', "true", "400"):
        write(path, f"visit_interval_days = {bad}\n")
        with pytest.raises(ConfigError, match="visit_interval_days"):
            load_settings(path)
