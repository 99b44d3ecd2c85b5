"""Reviewer decisions on findings (确认 / 驳回 / 备注), kept in SQLite under the app's data dir.

A decision is keyed by a finding's **fingerprint**: what the finding is about, not how it was
found or worded. It is built from

- the reporting agency (normalised) and the report's year;
- the rule id;
- the cells concerned (sorted), and/or the sentence quoted (normalised like the rules normalise
  it: NFKC digits, no inner spaces), or, for a finding about a whole section, its location;
- an occurrence number when one report has the same (rule, cells, sentence) twice.

It leaves out on purpose: the file name and upload path (a corrected report re-uploaded under
another name keeps its decisions), the message, expected and actual values (their numbers change
when a corrected table is re-uploaded but the finding is still the same finding), the severity
and the order of findings. Only when the agency cannot be read from the report does the file
name stand in for it.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
import unicodedata
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Literal

from ..rules._numbers import normalise
from ..rules.base import Finding

Status = Literal["confirmed", "dismissed"]
STATUS_LABELS: dict[str | None, str] = {"confirmed": "已确认", "dismissed": "已驳回", None: "未处理"}


def _norm(text: str | None) -> str:
    return "".join(unicodedata.normalize("NFKC", text or "").split())


def finding_subject(f: Finding) -> str:
    """What the finding is about: its cells, its sentence, or (neither) its location."""
    parts: list[str] = []
    if f.cells:
        parts.append("cells:" + ",".join(sorted(set(f.cells))))
    if f.quote:
        parts.append("quote:" + normalise(f.quote))
    if not parts:
        parts.append("where:" + _norm(f.location))
    return "|".join(parts)


def fingerprints(agency: str | None, year: int | None, findings: Sequence[Finding], *, fallback: str = "") -> list[str]:
    """One fingerprint per finding, in order (see the module docstring for what goes in).

    ``fallback`` (the file name) stands in for the agency only when the report names none."""
    who = _norm(agency) or "?file:" + _norm(fallback)
    seen: Counter[str] = Counter()
    out: list[str] = []
    for f in findings:
        base = "\x1f".join((who, str(year or "?"), f.rule, finding_subject(f)))
        seen[base] += 1
        key = base if seen[base] == 1 else f"{base}\x1f#{seen[base]}"
        out.append(hashlib.sha256(key.encode("utf-8")).hexdigest()[:24])
    return out


@dataclass(frozen=True)
class Decision:
    fingerprint: str
    status: Status | None = None
    note: str = ""
    updated_at: str = ""
    updated_by: str = ""

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass(frozen=True)
class FindingKey:
    """What the store keeps beside a decision so that the database reads on its own."""

    agency: str | None
    year: int | None
    rule: str
    subject: str
    message: str


_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE decisions (
        fingerprint TEXT PRIMARY KEY,
        status TEXT CHECK (status IN ('confirmed', 'dismissed')),
        note TEXT NOT NULL DEFAULT '',
        agency TEXT, year INTEGER, rule TEXT, subject TEXT, message TEXT,
        updated_at TEXT NOT NULL, updated_by TEXT NOT NULL DEFAULT '');
    CREATE TABLE history (
        id INTEGER PRIMARY KEY AUTOINCREMENT, fingerprint TEXT NOT NULL,
        status TEXT, note TEXT NOT NULL, at TEXT NOT NULL, by TEXT NOT NULL DEFAULT '');
    """,
)

_MAX_NOTE = 2000


class TriageStore:
    """Decisions by fingerprint. One short connection per call: safe from any worker thread."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()
        with self._connect() as db:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for i, script in enumerate(_MIGRATIONS[version:], start=version + 1):
                db.executescript(script)
                db.execute(f"PRAGMA user_version = {i}")

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.path), timeout=10, isolation_level=None)
        db.execute("PRAGMA journal_mode=WAL")
        return db

    def get_many(self, fps: Iterable[str]) -> dict[str, Decision]:
        """Decisions for these fingerprints (missing ones are simply absent)."""
        wanted = list(dict.fromkeys(fps))
        out: dict[str, Decision] = {}
        db = self._connect()
        try:
            for i in range(0, len(wanted), 500):
                part = wanted[i : i + 500]
                rows = db.execute(
                    f"SELECT fingerprint, status, note, updated_at, updated_by FROM decisions WHERE fingerprint IN ({','.join('?' * len(part))})",
                    part,
                )
                for fp, status, note, at, by in rows:
                    out[fp] = Decision(fp, status, note, at, by)
        finally:
            db.close()
        return out

    def get(self, fp: str) -> Decision:
        return self.get_many([fp]).get(fp, Decision(fp))

    def _write(self, fp: str, key: FindingKey | None, user: str, *, status: Status | None | object, note: str | object) -> Decision:
        now = datetime.now().strftime("%Y-%m-%d %H:%M:%S")
        with self._lock:
            db = self._connect()
            try:
                db.execute("BEGIN IMMEDIATE")
                row = db.execute("SELECT status, note FROM decisions WHERE fingerprint=?", (fp,)).fetchone()
                cur_status, cur_note = row if row else (None, "")
                new_status = cur_status if status is _KEEP else status
                new_note = cur_note if note is _KEEP else note
                meta = (key.agency, key.year, key.rule, key.subject, key.message) if key else (None, None, None, None, None)
                db.execute(
                    "INSERT INTO decisions (fingerprint, status, note, agency, year, rule, subject, message, updated_at, updated_by) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(fingerprint) DO UPDATE SET "
                    "status=excluded.status, note=excluded.note, updated_at=excluded.updated_at, updated_by=excluded.updated_by, "
                    "agency=coalesce(excluded.agency, agency), year=coalesce(excluded.year, year), rule=coalesce(excluded.rule, rule), "
                    "subject=coalesce(excluded.subject, subject), message=coalesce(excluded.message, message)",
                    (fp, new_status, new_note, *meta, now, user),
                )
                db.execute("INSERT INTO history (fingerprint, status, note, at, by) VALUES (?, ?, ?, ?, ?)", (fp, new_status, new_note, now, user))
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                raise
            finally:
                db.close()
        return Decision(fp, new_status, new_note, now, user)  # type: ignore[arg-type]

    def set_status(self, fp: str, status: Status | None, *, key: FindingKey | None = None, user: str = "") -> Decision:
        """确认 / 驳回 (``None`` clears the decision; a note stays)."""
        if status not in ("confirmed", "dismissed", None):
            raise ValueError(f"unknown status {status!r}")
        return self._write(fp, key, user, status=status, note=_KEEP)

    def set_note(self, fp: str, note: str, *, key: FindingKey | None = None, user: str = "") -> Decision:
        return self._write(fp, key, user, status=_KEEP, note=(note or "").strip()[:_MAX_NOTE])

    def history(self, fp: str) -> list[tuple[str | None, str, str, str]]:
        """(status, note, at, by) oldest first: who decided what, when."""
        db = self._connect()
        try:
            return list(db.execute("SELECT status, note, at, by FROM history WHERE fingerprint=? ORDER BY id", (fp,)))
        finally:
            db.close()


_KEEP = object()

__all__ = ["Decision", "FindingKey", "STATUS_LABELS", "Status", "TriageStore", "finding_subject", "fingerprints"]
