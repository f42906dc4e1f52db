"""The local drafts table and the database-change watcher (store level, no Textual)."""

from __future__ import annotations

from pathlib import Path

from fieldtui.domain.records import Enterprise, Officer
from fieldtui.store import Store
from fieldtui.store.drafts import Draft, delete_draft, get_draft, list_drafts, save_draft
from fieldtui.store.watch import ChangeWatcher


def test_a_draft_round_trips_and_the_newest_rev_wins(tmp_store: Store) -> None:
    draft = Draft(
        id="f1",
        kind="enterprise",
        row_id="r1",
        title="浩海 ab[/]c",
        fields={"name": "浩海 ab[/]c", "industry": None, "notes": "一\n二"},
        base={"name": "浩海", "industry": None, "notes": ""},
        heads={"name": ["op1", "op2"]},
        rev=2,
    )
    save_draft(tmp_store, draft)
    got = get_draft(tmp_store, "f1")
    assert got is not None
    assert (got.kind, got.row_id, got.title, got.rev) == ("enterprise", "r1", "浩海 ab[/]c", 2)
    assert got.fields == draft.fields and got.base == draft.base
    assert got.heads == {"name": ("op1", "op2")}
    assert got.saved_at
    # an older write arriving late (a slower worker) does not overwrite a newer one
    save_draft(tmp_store, Draft(id="f1", kind="enterprise", fields={"name": "浩"}, rev=1))
    got = get_draft(tmp_store, "f1")
    assert got is not None and got.fields["name"] == "浩海 ab[/]c"
    save_draft(tmp_store, Draft(id="f2", kind="officer", fields={"name": "李明"}, rev=1))
    assert {d.id for d in list_drafts(tmp_store)} == {"f1", "f2"}
    assert [d.id for d in list_drafts(tmp_store, "officer")] == ["f2"]
    delete_draft(tmp_store, "f1")
    assert get_draft(tmp_store, "f1") is None


def test_drafts_are_local_never_ops(tmp_store: Store) -> None:
    save_draft(tmp_store, Draft(id="f", kind="profile", fields={"name": "李明"}))
    assert tmp_store.is_empty()  # still a first run: a draft is not work recorded
    assert tmp_store.db.execute_sql("SELECT COUNT(*) FROM op").fetchone()[0] == 0


def test_watcher_reports_rows_changed_by_other_connections(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Store(path) as app_store, ChangeWatcher(path) as watcher:
        assert watcher.poll() is None
        with Store(path) as cli:  # another process: its own connection
            e = cli.enterprises.create(Enterprise(name="浩海"))
            o = cli.officers.create(Officer(name="张伟"))
        change = watcher.poll()
        assert change is not None
        assert change.touches("enterprise", e.id) and change.touches("officer", o.id)
        assert not change.touches("enterprise", "other") and not change.touches("visit")
        assert change.tables == {"enterprise", "officer"}
        assert watcher.poll() is None  # reported once
        # a write that makes no op (a draft, a setting) is not a change of records
        save_draft(app_store, Draft(id="d", kind="officer"))
        app_store.set_meta("officer_id", o.id)
        assert watcher.poll() is None
        app_store.enterprises.update(e.id, address="大旺")  # the app's own connection too
        change = watcher.poll()
        assert change is not None and change.rows == {"enterprise": frozenset({e.id})}


def test_watcher_reports_many_rows_as_everything(tmp_path: Path) -> None:
    path = tmp_path / "w.db"
    with Store(path) as store, ChangeWatcher(path, max_rows=3) as watcher:
        with store.batch():
            for i in range(5):
                store.enterprises.create(Enterprise(name=f"企业{i}"))
        change = watcher.poll()
        assert change is not None and change.rows is None
        assert change.touches("anything", "x")


def test_a_draft_of_a_running_process_is_not_abandoned(tmp_store: Store) -> None:
    import subprocess
    import sys

    from fieldtui.store.drafts import abandoned, this_process

    save_draft(tmp_store, Draft(id="mine", kind="officer"))
    mine = get_draft(tmp_store, "mine")
    assert mine is not None and mine.owner == this_process()
    assert not abandoned(mine)  # this process's own open form
    host = this_process().rpartition(":")[0]
    child = subprocess.Popen(
        [sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE
    )
    try:
        assert not abandoned(Draft(id="x", kind="officer", owner=f"{host}:{child.pid}"))
    finally:
        child.communicate(b"")
    assert abandoned(Draft(id="x", kind="officer", owner=f"{host}:{child.pid}"))
    assert abandoned(Draft(id="x", kind="officer", owner="another-laptop:1"))
    assert abandoned(Draft(id="x", kind="officer", owner=""))
