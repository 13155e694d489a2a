"""The hash chain that makes the audit log tamper-evident, and its verification.

- Chaining happens at flush time under a transaction lock (`db.transaction_lock`), so
  concurrent writers are serialised and the chain never forks: each row gets the next `seq`
  and `row_hash = SHA-256(prev_hash + canonical content)`.
- `verify_chain()` walks the rows in `seq` order and names the first altered, missing or
  reordered row.
- Checkpoints (the chain head written to a file kept elsewhere) expose a chain that was cut
  short or rebuilt since.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from healix.db import transaction_lock
from healix.models.audit_log import AuditLog
from healix.utils.time import utcnow

GENESIS_HASH = "0" * 64
CHAIN_LOCK = "healix.audit_chain"
#: where `audit.logger.record()` notes the order rows were created in, to chain them so
CREATION_ORDER_KEY = "_audit_order"


def canonical_content(row: AuditLog) -> str:
    """The row's content as stable JSON: what its hash covers."""
    content = {
        "seq": row.seq,
        "id": str(row.id),
        "created_at": row.created_at.isoformat(),
        "actor_id": str(row.actor_id) if row.actor_id else None,
        "actor_role": row.actor_role,
        "action": row.action,
        "resource_type": row.resource_type,
        "resource_id": row.resource_id,
        "patient_id": str(row.patient_id) if row.patient_id else None,
        "outcome": row.outcome,
        "severity": row.severity,
        "ip_address": row.ip_address,
        "user_agent": row.user_agent,
        "request_id": row.request_id,
        "details": row.details or {},
    }
    return json.dumps(content, sort_keys=True, separators=(",", ":"), default=str)


def compute_hash(prev_hash: str, row: AuditLog) -> str:
    return hashlib.sha256((prev_hash + canonical_content(row)).encode()).hexdigest()


def chain_head(session: Session) -> tuple[int, str]:
    """(seq, row_hash) of the newest row, or (0, genesis) for an empty log."""
    head = session.execute(
        select(AuditLog.seq, AuditLog.row_hash).order_by(AuditLog.seq.desc()).limit(1)
    ).first()
    return (head.seq, head.row_hash) if head else (0, GENESIS_HASH)


@event.listens_for(Session, "before_flush")
def _chain_new_rows(session: Session, _context: Any, _instances: Any) -> None:
    pending = [obj for obj in session.new if isinstance(obj, AuditLog) and obj.seq is None]
    if not pending:
        return
    pending.sort(key=lambda row: int(row.__dict__.get(CREATION_ORDER_KEY, 0)))
    with session.no_autoflush:
        transaction_lock(session, CHAIN_LOCK)
        seq, prev_hash = chain_head(session)
    for row in pending:
        seq += 1
        row.seq = seq
        row.prev_hash = prev_hash
        row.row_hash = compute_hash(prev_hash, row)
        prev_hash = row.row_hash


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows_checked: int
    first_bad_row: int | None = None
    problem: str | None = None


def _iter_rows(session: Session, batch: int = 2000) -> Iterator[AuditLog]:
    last_seq = 0
    while True:
        rows = session.scalars(
            select(AuditLog).where(AuditLog.seq > last_seq).order_by(AuditLog.seq).limit(batch)
        ).all()
        if not rows:
            return
        yield from rows
        last_seq = rows[-1].seq
        session.expunge_all()


def verify_chain(session: Session) -> VerifyResult:
    """Walk the chain; report the first row that was altered, deleted or moved."""
    expected_seq, prev_hash, checked = 1, GENESIS_HASH, 0
    for row in _iter_rows(session):
        checked += 1
        if row.seq != expected_seq:
            return VerifyResult(False, checked, expected_seq, "row missing or reordered")
        if row.prev_hash != prev_hash:
            return VerifyResult(False, checked, row.seq, "chain link broken (row removed or moved)")
        if compute_hash(prev_hash, row) != row.row_hash:
            return VerifyResult(False, checked, row.seq, "row content altered")
        prev_hash, expected_seq = row.row_hash, expected_seq + 1
    return VerifyResult(True, checked)


@dataclass(frozen=True)
class Checkpoint:
    """The chain head at a moment, kept outside the database (see `write_checkpoint`)."""

    seq: int
    row_hash: str
    taken_at: str


def write_checkpoint(session: Session, path: str | Path) -> Checkpoint:
    """Append the current chain head to `path` as one JSON line.

    The chain proves that no row inside it was altered, but someone with write access to the
    database could drop the newest rows or rebuild the whole chain. Head hashes kept elsewhere
    (another host, write-once storage) expose both: see `verify_checkpoints`.
    """
    seq, row_hash = chain_head(session)
    checkpoint = Checkpoint(seq, row_hash, utcnow().isoformat())
    with Path(path).open("a", encoding="utf-8") as file:
        file.write(json.dumps(asdict(checkpoint), sort_keys=True) + "\n")
    return checkpoint


def read_checkpoints(path: str | Path) -> list[Checkpoint]:
    """The checkpoints in `path`; a malformed line raises ValueError naming its line number."""
    checkpoints = []
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            checkpoints.append(Checkpoint(int(raw["seq"]), str(raw["row_hash"]), raw["taken_at"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"checkpoint line {number} is malformed") from exc
    return checkpoints


def verify_checkpoints(session: Session, checkpoints: list[Checkpoint]) -> VerifyResult:
    """Check that every checkpointed head still exists with the same hash.

    A missing row means the chain was truncated after the checkpoint; a different hash means
    it was rebuilt.
    """
    for number, checkpoint in enumerate(checkpoints, start=1):
        if checkpoint.seq == 0:
            continue
        stored = session.scalar(select(AuditLog.row_hash).where(AuditLog.seq == checkpoint.seq))
        if stored is None:
            problem = f"checkpointed row missing (chain truncated after {checkpoint.taken_at})"
            return VerifyResult(False, number, checkpoint.seq, problem)
        if stored != checkpoint.row_hash:
            problem = (
                f"checkpointed row has another hash (chain rebuilt after {checkpoint.taken_at})"
            )
            return VerifyResult(False, number, checkpoint.seq, problem)
    return VerifyResult(True, len(checkpoints))
