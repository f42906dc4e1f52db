"""The .fieldsync format, and every kind of bad file refused with exit 1 and no change at all."""

from __future__ import annotations

import hashlib
import json
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtui import sync
from fieldtui.cli import main
from fieldtui.domain.records import Enterprise
from fieldtui.store.db import latest_schema_version
from fieldtui.sync import fileformat
from fieldtui.sync.fileformat import MAGIC, read_sync_file
from fieldtui.sync.opcheck import decode_ops
from sync_support import file_digest, replica

# -- the format -----------------------------------------------------------------------------


def split(data: bytes) -> tuple[bytes, dict[str, object], bytes]:
    header, rest = data.split(b"\n", 1)
    line, payload = rest.split(b"\n", 1)
    return header, json.loads(line), payload


def assemble(manifest: dict[str, object], payload: bytes, fmt: int = 1) -> bytes:
    """A file as fieldtui writes it, from any manifest and payload (hashes made to match)."""
    line = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    raw = line.encode()
    return MAGIC + f"{fmt} {hashlib.sha256(raw).hexdigest()}\n".encode() + raw + b"\n" + payload


def with_ops(manifest: dict[str, object], lines: list[str], declared: int | None = None) -> bytes:
    raw = "".join(line + "\n" for line in lines).encode()
    payload = zlib.compress(raw)
    m = dict(manifest)
    m.update(
        ops=len(lines),
        raw_bytes=len(raw) if declared is None else declared,
        payload_bytes=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
    )
    return assemble(m, payload)


def test_written_file_has_header_manifest_and_compressed_json_lines(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    hub.enterprises.create(Enterprise(name="智盛自动化设备", address="大旺"))
    (exported,) = sync.export(hub, tmp_path / "out.fieldsync", full=True)
    data = exported.path.read_bytes()
    header, manifest, payload = split(data)
    assert header.startswith(b"FIELDSYNC/1 ")
    assert set(manifest) >= {
        "format",
        "schema",
        "app_version",
        "file_id",
        "source",
        "vector",
        "ops",
        "payload_sha256",
        "codec",
    }
    assert manifest["schema"] == latest_schema_version()
    assert manifest["source"] == {
        "replica_id": hub.replica_id,
        "name": "office",
        "role": "hub",
        "hub_id": None,
    }
    assert manifest["vector"] == {hub.replica_id: exported.ops}
    assert hashlib.sha256(payload).hexdigest() == manifest["payload_sha256"]
    lines = zlib.decompress(payload).decode().splitlines()
    assert len(lines) == manifest["ops"] == exported.ops
    first = json.loads(lines[0])
    assert len(first) == 9 and first[1] == hub.replica_id and first[4] == "enterprise"
    ops = decode_ops(read_sync_file(exported.path, latest_schema_version()))
    assert {op[7] for op in ops} >= {"智盛自动化设备", "大旺"}
    assert [p.name for p in tmp_path.iterdir() if ".tmp" in p.name] == []
    hub.close()


def test_a_failed_write_leaves_neither_file_nor_temporary(tmp_path: Path) -> None:
    def lines() -> Iterator[str]:
        yield "[]"
        raise OSError("stick pulled out")

    target = tmp_path / "x.fieldsync"
    manifest = fileformat.Manifest(
        file_id="f",
        source_id="s",
        source_name="n",
        source_role="hub",
        vector={},
        op_count=0,
        schema=1,
        app_version="t",
        created_at="now",
    )
    with pytest.raises(OSError):
        fileformat.write_sync_file(target, manifest, lines())
    assert list(tmp_path.iterdir()) == []


def test_empty_export_round_trips(tmp_path: Path) -> None:
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    (exported,) = sync.export(hub, tmp_path / "e.fieldsync", full=True)
    assert exported.ops == 0
    assert decode_ops(read_sync_file(exported.path, latest_schema_version())) == []
    hub.close()


# -- bad files ------------------------------------------------------------------------------


@dataclass
class Setting:
    dir: Path
    db: Path
    good: bytes

    def manifest(self) -> dict[str, object]:
        return split(self.good)[1]

    def lines(self) -> list[str]:
        return zlib.decompress(split(self.good)[2]).decode().splitlines()


@pytest.fixture
def setting(tmp_path: Path) -> Setting:
    """A hub database with data and a valid laptop file for it; every store closed."""
    hub = replica(tmp_path / "hub.db", sync.HUB, "office")
    laptop = replica(tmp_path / "laptop.db", sync.LAPTOP, "张三")
    hub.enterprises.create(Enterprise(name="浩海环保"))
    full = sync.export(hub, tmp_path / "full.fieldsync", full=True)[0].path
    sync.import_files(laptop, [full], make_backup=False)
    laptop.enterprises.create(Enterprise(name="博俊", notes="x" * 200))
    good = sync.export(laptop, tmp_path / "good.fieldsync")[0].path.read_bytes()
    hub.close()
    laptop.close()
    return Setting(tmp_path, tmp_path / "hub.db", good)


def _truncated(s: Setting) -> bytes:
    return s.good[:-7]


def _flipped_payload_byte(s: Setting) -> bytes:
    data = bytearray(s.good)
    data[-20] ^= 0x01
    return bytes(data)


def _flipped_manifest_byte(s: Setting) -> bytes:
    data = bytearray(s.good)
    data[s.good.index(b'"ops":') + 6] ^= 0x01  # a digit of the op count
    return bytes(data)


def _wrong_hash(s: Setting) -> bytes:
    _header, manifest, payload = split(s.good)
    manifest["payload_sha256"] = "0" * 64
    return assemble(manifest, payload)


def _not_a_sync_file(s: Setting) -> bytes:
    return b"PK\x03\x04 this is a spreadsheet, not a sync file"


def _empty(s: Setting) -> bytes:
    return b""


def _newer_format(s: Setting) -> bytes:
    _header, manifest, payload = split(s.good)
    return assemble(manifest, payload, fmt=3)


def _newer_schema(s: Setting) -> bytes:
    _header, manifest, payload = split(s.good)
    manifest["schema"] = latest_schema_version() + 1
    return assemble(manifest, payload)


def _unknown_table(s: Setting) -> bytes:
    lines = s.lines()
    op = json.loads(lines[-1])
    op[4] = "salary"
    return with_ops(s.manifest(), [*lines[:-1], json.dumps(op)])


def _unknown_field(s: Setting) -> bytes:
    lines = s.lines()
    op = json.loads(lines[-1])
    op[6] = "password"
    return with_ops(s.manifest(), [*lines[:-1], json.dumps(op)])


def _malformed_op(s: Setting) -> bytes:
    lines = s.lines()
    op = json.loads(lines[0])
    op[2] = "seven"
    return with_ops(s.manifest(), [json.dumps(op), *lines[1:]])


def _decompression_bomb(s: Setting) -> bytes:
    """64 MiB of zeros in ~64 KiB, declared as a few hundred bytes."""
    c = zlib.compressobj(9)
    chunk = b"\0" * (1 << 20)
    payload = b"".join(c.compress(chunk) for _ in range(64)) + c.flush()
    m = s.manifest()
    m.update(
        raw_bytes=300,
        payload_bytes=len(payload),
        payload_sha256=hashlib.sha256(payload).hexdigest(),
    )
    return assemble(m, payload)


def _declared_too_big(s: Setting) -> bytes:
    _header, manifest, payload = split(s.good)
    manifest["raw_bytes"] = 50 * 1024**3
    return assemble(manifest, payload)


def _oversized_value(s: Setting) -> bytes:
    lines = s.lines()
    op = json.loads(lines[-1])
    op[7] = "x" * (fileformat.MAX_VALUE_CHARS + 1)
    return with_ops(s.manifest(), [*lines[:-1], json.dumps(op)])


def _seq_twice(s: Setting) -> bytes:
    lines = s.lines()
    first, last = json.loads(lines[0]), json.loads(lines[-1])
    assert first[1] == last[1]  # one replica's file: the check on seqs alone
    last[2] = first[2]
    return with_ops(s.manifest(), [*lines[:-1], json.dumps(last)])


def _delete_of_two(s: Setting) -> bytes:
    lines = s.lines()
    op = json.loads(lines[-1])
    op[6], op[7] = "_deleted", 2
    return with_ops(s.manifest(), [*lines[:-1], json.dumps(op)])


def _empty_op_id(s: Setting) -> bytes:
    lines = s.lines()
    op = json.loads(lines[-1])
    op[0] = ""
    return with_ops(s.manifest(), [*lines[:-1], json.dumps(op)])


def _count_mismatch(s: Setting) -> bytes:
    lines = s.lines()
    data = with_ops(s.manifest(), lines[:-1])
    _header, manifest, payload = split(data)
    manifest["ops"] = len(lines)
    return assemble(manifest, payload)


BAD: dict[str, tuple[Callable[[Setting], bytes], str]] = {
    "truncated": (_truncated, "truncated"),
    "flipped payload byte": (_flipped_payload_byte, "checksum"),
    "flipped manifest byte": (_flipped_manifest_byte, "checksum"),
    "wrong hash": (_wrong_hash, "checksum"),
    "not a sync file": (_not_a_sync_file, "not a fieldtui sync file"),
    "empty": (_empty, "empty file"),
    "newer format": (_newer_format, "format 3"),
    "newer schema": (_newer_schema, f"schema {latest_schema_version() + 1}"),
    "unknown table": (_unknown_table, "unknown table 'salary'"),
    "unknown field": (_unknown_field, "unknown field 'password'"),
    "malformed op": (_malformed_op, "seq must be a positive integer"),
    "decompression bomb": (_decompression_bomb, "decompression bomb"),
    "declared too big": (_declared_too_big, "limit"),
    "oversized value": (_oversized_value, "character limit"),
    "op count mismatch": (_count_mismatch, "the manifest says"),
    "seq twice": (_seq_twice, "a replica's sequence number appears twice"),
    "delete of 2": (_delete_of_two, "a delete op must carry 0 or 1"),
    "empty op id": (_empty_op_id, "op id must be a string"),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_file_is_refused_and_the_database_is_byte_identical(
    setting: Setting, case: str, capsys: pytest.CaptureFixture[str]
) -> None:
    make, expected = BAD[case]
    bad = setting.dir / "bad.fieldsync"
    bad.write_bytes(make(setting))
    before = file_digest(setting.db)
    code = main(["--db", str(setting.db), "sync", "import", str(bad)])
    captured = capsys.readouterr()
    assert code == 1
    assert str(bad) in captured.err and expected in captured.err, captured.err
    assert file_digest(setting.db) == before
    assert not (setting.dir / "backups").exists()  # nothing was even backed up


def test_bad_file_refusal_in_json(setting: Setting, capsys: pytest.CaptureFixture[str]) -> None:
    bad = setting.dir / "bad.fieldsync"
    bad.write_bytes(_truncated(setting))
    code = main(["--db", str(setting.db), "sync", "import", str(bad), "--json"])
    data = json.loads(capsys.readouterr().out)
    assert code == 1
    (outcome,) = data["files"]
    assert outcome["status"] == "refused" and "truncated" in outcome["reason"]


def test_good_files_go_in_while_a_bad_one_is_refused(
    setting: Setting, capsys: pytest.CaptureFixture[str]
) -> None:
    good = setting.dir / "good.fieldsync"
    good.write_bytes(setting.good)
    bad = setting.dir / "bad.fieldsync"
    bad.write_bytes(_flipped_payload_byte(setting))
    code = main(["--db", str(setting.db), "sync", "import", str(bad), str(good)])
    out = capsys.readouterr().out
    assert code == 1
    assert "Refused" in out and "Imported" in out
    assert list((setting.dir / "backups").glob("hub-*-before-sync-import.db"))
    before = file_digest(setting.db)
    assert main(["--db", str(setting.db), "sync", "import", str(good)]) == 0
    assert "Already imported" in capsys.readouterr().out
    assert file_digest(setting.db) == before


def test_missing_file_is_refused(setting: Setting, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["--db", str(setting.db), "sync", "import", str(setting.dir / "nope.fieldsync")])
    assert code == 1 and "cannot read" in capsys.readouterr().err


def test_limits_apply_to_the_whole_file(
    setting: Setting, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(fileformat, "MAX_FILE_BYTES", 100)
    good = setting.dir / "good.fieldsync"
    good.write_bytes(setting.good)
    assert main(["--db", str(setting.db), "sync", "import", str(good)]) == 1
    assert "larger than" in capsys.readouterr().err
