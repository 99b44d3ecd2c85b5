"""The 审核 workspace as plain functions: review uploads, list and filter findings, record decisions.

Nothing here imports Gradio; :mod:`assistant.app.tabs.review` wires these to the page and the
tests call them directly. A :class:`ReviewSession` is one reviewed batch (kept per browser
session); decisions live in the :class:`~assistant.app.triage.TriageStore`, looked up by
fingerprint every time a table is drawn, so what another reviewer decided shows up too.
"""

from __future__ import annotations

import shutil
import time
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from ..review import REPORT_SUFFIXES, ReviewResult, review_paths
from ..rules.base import SEVERITIES, SEVERITY_LABELS, Finding
from .triage import STATUS_LABELS, Decision, FindingKey, Status, TriageStore, finding_subject, fingerprints
from .uploads import UploadLimits, display_names, stage

ProgressFn = Callable[[int, int, str], None]  # (done, total, file) like review_paths
STATUS_FILTERS: tuple[str, ...] = ("全部", "未处理", "已确认", "已驳回")
TABLE_HEADERS: tuple[str, ...] = ("#", "文件", "单位", "年度", "级别", "规则", "位置", "问题", "处理", "备注")
_ACCEPTED = frozenset(REPORT_SUFFIXES)
REPORT_SUFFIXES_UI = _ACCEPTED | {".zip"}  # what the upload boxes offer


@dataclass(frozen=True)
class Row:
    """One finding of the batch, numbered from 1 (``key``) as shown in the table."""

    key: int
    result: int  # index into ReviewSession.results
    finding: Finding
    fingerprint: str
    name: str  # the file as the user named it
    agency: str
    year: int | None

    def finding_key(self) -> FindingKey:
        return FindingKey(self.agency or None, self.year, self.finding.rule, finding_subject(self.finding), self.finding.message)


@dataclass
class ReviewSession:
    results: list[ReviewResult] = field(default_factory=list)  # .source is the name the user gave
    rows: list[Row] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)  # files refused or unreadable, Chinese
    previous: list[ReviewResult] = field(default_factory=list)  # last year's reports as read (for year-over-year figures)
    seconds: float = 0.0
    label: str = ""

    def row(self, key: int | None) -> Row | None:
        if key is None or not 1 <= key <= len(self.rows):
            return None
        return self.rows[key - 1]


@dataclass(frozen=True)
class Filters:
    severities: tuple[str, ...] = ()  # "error" | "warning" | "info"; empty = all
    rules: tuple[str, ...] = ()
    agencies: tuple[str, ...] = ()
    status: str = "全部"

    def accepts(self, row: Row, decision: Decision | None) -> bool:
        if self.severities and row.finding.severity not in self.severities:
            return False
        if self.rules and row.finding.rule not in self.rules:
            return False
        if self.agencies and row.agency not in self.agencies:
            return False
        if self.status != "全部":
            return STATUS_LABELS[decision.status if decision else None] == self.status
        return True


def _rename(results: list[ReviewResult], names: dict[str, str]) -> None:
    """Our staging paths mean nothing to the user (and are deleted): show the names they gave."""
    for res in results:
        res.source = names.get(res.source, Path(res.source).name)
        if res.report is not None:
            res.report.source = res.source
        if res.previous_source is not None:
            res.previous_source = names.get(res.previous_source, Path(res.previous_source).name)


def _read_previous(paths: Sequence[Path], names: dict[str, str]) -> list[ReviewResult]:
    """Last year's reports, read once more for the year-over-year chart (unreadable ones are skipped:
    the review has already said so)."""
    from ..errors import InputError
    from ..report import read_report

    out: list[ReviewResult] = []
    for p in paths:
        try:
            rep = read_report(p)
        except (InputError, OSError, ValueError):
            continue
        out.append(ReviewResult(source=names.get(str(p), Path(p).name), report=rep))
    return out


def build_session(
    results: list[ReviewResult], notices: Sequence[str] = (), seconds: float = 0.0, label: str = "", previous: Sequence[ReviewResult] = ()
) -> ReviewSession:
    """Number the findings and fingerprint them (agency, year, rule, cells or sentence)."""
    s = ReviewSession(results=results, notices=list(notices), seconds=seconds, label=label, previous=list(previous))
    for i, res in enumerate(results):
        r = res.report
        if r is None:
            s.notices.append(f"「{res.source}」无法审核：{res.error.message if res.error else '读取失败'}"
                             + (f"（{res.error.hint}）" if res.error and res.error.hint else ""))
            continue
        fps = fingerprints(r.agency, r.year, res.findings, fallback=Path(res.source).name)
        for f, fp in zip(res.findings, fps, strict=True):
            s.rows.append(Row(len(s.rows) + 1, i, f, fp, res.source, r.agency or "", r.year))
    return s


def review_files(
    reports: Sequence[str | Path],
    previous: Sequence[str | Path],
    *,
    work_dir: Path,
    limits: UploadLimits,
    progress: ProgressFn | None = None,
    keep_files: bool = False,
    label: str = "",
) -> ReviewSession:
    """Stage uploads (zip archives opened, names made safe, limits applied) and review them.

    The staged copies are deleted afterwards unless ``keep_files``: the session keeps the parsed
    reports, not the files."""
    t0 = time.perf_counter()
    batch = work_dir / uuid.uuid4().hex[:12]
    try:
        cur = stage(reports, batch / "本批报告", allowed=_ACCEPTED, limits=limits)
        prev = stage(previous, batch / "上年报告", allowed=_ACCEPTED, limits=limits)
        notices = cur.notices + prev.notices
        if not cur.files:
            return ReviewSession(notices=notices + ["没有可以审核的报告：请上传报告文件（或包含报告的 .zip 压缩包），或点「载入示例」。"])
        results = review_paths(cur.files, previous=prev.files, progress=progress)
        names = display_names(cur.files, batch / "本批报告") | {
            p: f"上年/{n}" for p, n in display_names(prev.files, batch / "上年报告").items()
        }
        _rename(results, names)
        prev_reports = _read_previous(prev.files, names)
        return build_session(results, notices, time.perf_counter() - t0, label, prev_reports)
    finally:
        if not keep_files:
            shutil.rmtree(batch, ignore_errors=True)


def review_folder(reports: Sequence[Path], previous: Sequence[Path], root: Path, progress: ProgressFn | None = None, label: str = "") -> ReviewSession:
    """Review files already on our side (the example batch): no staging."""
    t0 = time.perf_counter()
    results = review_paths(list(reports), previous=list(previous), progress=progress)
    names = display_names(list(reports), root) | display_names(list(previous), root)
    _rename(results, names)
    return build_session(results, (), time.perf_counter() - t0, label, _read_previous(previous, names))


# ----------------------------------------------------------------------------- table and filters


def decisions_for(store: TriageStore, session: ReviewSession) -> dict[str, Decision]:
    return store.get_many(r.fingerprint for r in session.rows)


def choices(session: ReviewSession) -> dict[str, list[str]]:
    """Values for the filter dropdowns, in a stable order."""
    rules = sorted({r.finding.rule for r in session.rows})
    agencies = sorted({r.agency for r in session.rows if r.agency})
    return {"rules": rules, "agencies": agencies}


def _short(text: str, n: int = 46) -> str:
    text = " ".join(text.split())
    return text if len(text) <= n else text[: n - 1] + "…"


def table_rows(session: ReviewSession, decisions: dict[str, Decision], filters: Filters = Filters()) -> list[list]:
    """The findings table (columns :data:`TABLE_HEADERS`), filtered; column 0 is the row key."""
    out: list[list] = []
    for row in session.rows:
        d = decisions.get(row.fingerprint)
        if not filters.accepts(row, d):
            continue
        f = row.finding
        out.append([
            row.key, row.name, row.agency or "（未识别）", row.year or "", SEVERITY_LABELS[f.severity], f.rule,
            f.location or "", _short(f.message), STATUS_LABELS[d.status if d else None], _short(d.note, 30) if d else "",
        ])
    return out


def severity_filter(labels: Sequence[str]) -> tuple[str, ...]:
    """Dropdown labels (错误/警告/提示) → severities."""
    by_label = {v: k for k, v in SEVERITY_LABELS.items()}
    return tuple(by_label[x] for x in labels if x in by_label)


def summary_markdown(session: ReviewSession, decisions: dict[str, Decision]) -> str:
    """One paragraph: how many reports, findings by severity, how many decided, how long it took."""
    if not session.results and not session.notices:
        return "尚未审核。上传报告（可多选，或上传 .zip 压缩包）后点「开始审核」，或点「载入示例」先看看效果。"
    readable = [r for r in session.results if r.report is not None]
    counts = {s: sum(1 for r in session.rows if r.finding.severity == s) for s in SEVERITIES}
    decided = {k: sum(1 for r in session.rows if (d := decisions.get(r.fingerprint)) and d.status == k) for k in ("confirmed", "dismissed")}
    with_errors = sum(1 for r in readable if r.has_errors)
    paired = sum(1 for r in readable if r.previous_source)
    parts = [
        f"**{session.label or '本批'}**：审核 {len(readable)} 份报告（{with_errors} 份有错误"
        + (f"，{paired} 份对照了上年报告" if paired else "") + f"），用时 {session.seconds:.1f} 秒。",
        f"问题 {len(session.rows)} 条：错误 {counts['error']}、警告 {counts['warning']}、提示 {counts['info']}；"
        f"已确认 {decided['confirmed']}，已驳回 {decided['dismissed']}，未处理 {len(session.rows) - sum(decided.values())}。",
    ]
    if session.notices:
        parts.append("\n".join(f"- {n}" for n in session.notices))
    return "\n\n".join(parts)


# ----------------------------------------------------------------------------- decisions

ACTIONS: dict[str, Status | None] = {"确认": "confirmed", "驳回": "dismissed", "撤销": None}


def decide(store: TriageStore, session: ReviewSession, key: int | None, action: str, user: str = "") -> Decision | None:
    """确认 / 驳回 / 撤销 the finding numbered ``key``; ``None`` when no finding is chosen."""
    row = session.row(key)
    if row is None:
        return None
    return store.set_status(row.fingerprint, ACTIONS[action], key=row.finding_key(), user=user)


def save_note(store: TriageStore, session: ReviewSession, key: int | None, note: str, user: str = "") -> Decision | None:
    row = session.row(key)
    if row is None:
        return None
    return store.set_note(row.fingerprint, note, key=row.finding_key(), user=user)


def triage_columns(session: ReviewSession, decisions: dict[str, Decision]) -> Callable[[int, int], tuple[str, str]]:
    """For :func:`assistant.export.write_xlsx`: (result index, finding index) → (处理, 备注)."""
    by_pos: dict[tuple[int, int], Row] = {}
    per_result: dict[int, int] = {}
    for row in session.rows:
        n = per_result.get(row.result, 0)
        by_pos[(row.result, n)] = row
        per_result[row.result] = n + 1

    def lookup(result: int, index: int) -> tuple[str, str]:
        row = by_pos.get((result, index))
        d = decisions.get(row.fingerprint) if row else None
        return STATUS_LABELS[d.status if d else None], (d.note if d else "")

    return lookup


def export_excel(session: ReviewSession, decisions: dict[str, Decision], out_dir: Path) -> Path:
    """The batch as Excel (``assistant.export.write_xlsx``) with each finding's 处理 and 备注."""
    from ..export import write_xlsx

    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / time.strftime("审核意见_%Y%m%d-%H%M%S.xlsx")
    n = 2
    while path.exists():
        path = path.with_name(time.strftime(f"审核意见_%Y%m%d-%H%M%S（{n}）.xlsx"))
        n += 1
    write_xlsx(session.results, path, triage=triage_columns(session, decisions))
    return path


__all__ = [
    "ACTIONS",
    "REPORT_SUFFIXES_UI",
    "export_excel",
    "Filters",
    "ReviewSession",
    "Row",
    "STATUS_FILTERS",
    "TABLE_HEADERS",
    "build_session",
    "choices",
    "decide",
    "decisions_for",
    "review_files",
    "review_folder",
    "save_note",
    "severity_filter",
    "summary_markdown",
    "table_rows",
    "triage_columns",
]
