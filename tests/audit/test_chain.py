from __future__ import annotations

import json
from datetime import datetime

import pytest

from healix.audit import chain
from healix.audit.chain import Checkpoint
from healix.audit.events import AuditAction
from healix.extensions import db
from tests.factories.audit import audit_rows, bypass_append_only, record_events


def _events(app, count: int) -> None:
    record_events(
        app,
        *({"action": AuditAction.AUTH_LOGOUT, "resource_type": "session"} for _ in range(count)),
    )


def _cli(app, *args: str):
    """Run `flask audit ...` (the `flask` command pushes an app context; the runner does not)."""
    with app.app_context():
        result = app.test_cli_runner().invoke(args=["audit", *args])
        db.session.remove()
    return result


def test_write_and_read_checkpoints(app, tmp_path):
    path = tmp_path / "heads.jsonl"
    with app.app_context():
        empty = chain.write_checkpoint(db.session, path)
        db.session.remove()
    _events(app, 2)
    with app.app_context():
        head = chain.write_checkpoint(db.session, path)
        db.session.remove()
    assert (empty.seq, empty.row_hash) == (0, chain.GENESIS_HASH)
    assert head.seq == 2
    assert head.row_hash == audit_rows(app)[-1].row_hash
    assert datetime.fromisoformat(head.taken_at).utcoffset().total_seconds() == 0
    lines = path.read_text().splitlines()
    assert [json.loads(line)["seq"] for line in lines] == [0, 2]
    assert chain.read_checkpoints(path) == [empty, head]


def test_verify_checkpoints_against_the_chain(app):
    _events(app, 3)
    rows = audit_rows(app)
    with app.app_context():
        good = chain.verify_checkpoints(
            db.session, [Checkpoint(2, rows[1].row_hash, "t"), Checkpoint(0, "", "t")]
        )
        rebuilt = chain.verify_checkpoints(db.session, [Checkpoint(3, "f" * 64, "t")])
        truncated = chain.verify_checkpoints(db.session, [Checkpoint(9, "f" * 64, "t")])
        db.session.remove()
    assert good.ok
    assert good.rows_checked == 2
    assert not rebuilt.ok
    assert rebuilt.first_bad_row == 3
    assert "rebuilt" in rebuilt.problem
    assert not truncated.ok
    assert "truncated" in truncated.problem


def test_a_malformed_checkpoint_line_is_named(tmp_path):
    path = tmp_path / "heads.jsonl"
    path.write_text('{"seq": 1, "row_hash": "a", "taken_at": "t"}\nnot json\n')
    with pytest.raises(ValueError, match="line 2"):
        chain.read_checkpoints(path)


def test_cli_checkpoint_then_verify(app, tmp_path):
    path = tmp_path / "heads.jsonl"
    _events(app, 2)
    result = _cli(app, "checkpoint", str(path))
    assert result.exit_code == 0, result.output
    assert "seq=2" in result.output
    verified = _cli(app, "verify", "--checkpoints", str(path))
    assert verified.exit_code == 0, verified.output
    assert "OK: 2 rows verified." in verified.output
    assert "1 checkpoints match" in verified.output


def test_cli_detects_a_chain_truncated_after_a_checkpoint(app, tmp_path):
    path = tmp_path / "heads.jsonl"
    _events(app, 4)
    assert _cli(app, "checkpoint", str(path)).exit_code == 0
    bypass_append_only(app, "DELETE FROM audit_logs WHERE seq > 2")
    chain_only = _cli(app, "verify")
    assert chain_only.exit_code == 0, "a cut-off tail leaves a valid chain"
    result = _cli(app, "verify", "--checkpoints", str(path))
    assert result.exit_code == 1
    assert "FAILED at checkpoint seq=4" in result.output
    assert "truncated" in result.output


def test_cli_detects_a_chain_rebuilt_after_a_checkpoint(app, tmp_path):
    path = tmp_path / "heads.jsonl"
    _events(app, 2)
    assert _cli(app, "checkpoint", str(path)).exit_code == 0
    bypass_append_only(app, "DELETE FROM audit_logs")
    _events(app, 3)
    assert _cli(app, "verify").exit_code == 0
    result = _cli(app, "verify", "--checkpoints", str(path))
    assert result.exit_code == 1
    assert "rebuilt" in result.output


def test_cli_verify_reports_a_tampered_row(app):
    _events(app, 2)
    bypass_append_only(app, "UPDATE audit_logs SET resource_type = 'x' WHERE seq = 1")
    result = _cli(app, "verify")
    assert result.exit_code == 1
    assert "FAILED at row seq=1: row content altered" in result.output


def test_cli_refuses_a_malformed_checkpoint_file(app, tmp_path):
    path = tmp_path / "heads.jsonl"
    path.write_text("garbage\n")
    result = _cli(app, "verify", "--checkpoints", str(path))
    assert result.exit_code != 0
    assert "malformed" in result.output
