"""Reviewing reports: read, pair with last year's report, run the catalogue. The API behind CLI and UI."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .report import Report, read_report
from .rules.base import Finding
from .rules.engine import check_report

# .doc/.wps/.rtf are included so that a folder batch says "save as .docx" instead of skipping them silently
REPORT_SUFFIXES = {".txt", ".text", ".html", ".htm", ".shtml", ".xhtml", ".mht", ".mhtml", ".docx", ".doc", ".wps", ".rtf", ".pdf", ".md", ".markdown"}


@dataclass
class ReviewResult:
    source: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    error: InputError | None = None  # the file could not be read as a report
    previous_source: str | None = None

    @property
    def has_errors(self) -> bool:
        return any(f.severity == "error" for f in self.findings)

    def counts(self) -> dict[str, int]:
        out = {"error": 0, "warning": 0, "info": 0}
        for f in self.findings:
            out[f.severity] += 1
        return out


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders recursed (report-like suffixes only), sorted, without duplicates."""
    out: list[Path] = []
    seen: set[Path] = set()
    for p in map(Path, paths):
        if p.is_dir():
            found = sorted(
                f for f in p.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES and not f.name.startswith(".")
            )
        else:
            found = [p]
        for f in found:
            key = f.resolve()
            if key not in seen:
                seen.add(key)
                out.append(f)
    return out


def _read(path: Path) -> tuple[Report | None, InputError | None]:
    try:
        return read_report(path), None
    except InputError as e:
        return None, e
    except (OSError, ValueError) as e:  # unreadable file system entry
        return None, InputError(f"无法读取文件：{e.__class__.__name__}", path=str(path))


def _key(report: Report) -> tuple[str, int] | None:
    if report.agency and report.year:
        return report.agency, report.year
    return None


def _report_files(d: Path, listings: dict[Path, list[Path]]) -> list[Path]:
    """Report-like files under ``d``, listed once per review however many reports look there."""
    if d not in listings:
        listings[d] = [f for f in d.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES] if d.is_dir() else []
    return listings[d]


def review_paths(
    paths: Sequence[str | Path],
    *,
    previous: Sequence[str | Path] = (),
    corpus: Sequence[str | Path] = (),
    progress: Callable[[int, int, str], None] | None = None,
) -> list[ReviewResult]:
    """Review every report under ``paths``.

    Last year's report of the same agency is found among ``previous`` (files or folders), the batch
    itself, the report's own folder and ``corpus`` folders (by agency name and year in the file name).
    """
    files = expand_paths(paths)
    results: list[ReviewResult] = []
    reports: list[Report] = []
    for i, f in enumerate(files):
        if progress:
            progress(i, len(files), str(f))
        report, err = _read(f)
        results.append(ReviewResult(source=str(f), report=report, error=err))
        if report is not None:
            reports.append(report)
    if progress:
        progress(len(files), len(files), "")

    given_prev: list[Report] = []
    for p in expand_paths(previous):
        pr, err = _read(p)
        if pr is not None:
            given_prev.append(pr)
        else:  # an unreadable --previous is reported like any unreadable input
            results.append(ReviewResult(source=str(p), error=err))
    pool: dict[tuple[str, int], Report] = {}
    for r in [*given_prev, *reports]:
        if (k := _key(r)) is not None:
            pool.setdefault(k, r)
    # one report and one --previous: the user paired them, whatever their names say
    explicit_single = len(reports) == 1 and len(given_prev) == 1
    extra_dirs = [Path(c) for c in corpus]
    listings: dict[Path, list[Path]] = {}
    read_already = {Path(x.source).resolve() for x in results}  # their reports are in the pool
    for res in results:
        r = res.report
        if r is None:
            continue
        prev = None
        if explicit_single:
            prev = given_prev[0]
        elif r.agency and r.year:
            prev = pool.get((r.agency, r.year - 1))
            if prev is None:
                want, name = str(r.year - 1), r.agency[:4]  # cheap filter on the file name before parsing
                cands = [
                    f
                    for d in (Path(res.source).parent, *extra_dirs)
                    for f in _report_files(d, listings)
                    if want in f.name and name in f.name and f.resolve() not in read_already
                ]
                for cand in cands:
                    pr, _ = _read(cand)
                    if pr is not None and _key(pr) == (r.agency, r.year - 1):
                        prev = pr
                        break
        res.previous_source = prev.source if prev is not None else None
        res.findings = check_report(r, previous=prev, peers=reports)
    return results


def exit_code(results: Sequence[ReviewResult]) -> int:
    """2 when a file could not be read, 1 when any finding is an error, else 0."""
    if any(r.error is not None for r in results):
        return 2
    if any(r.has_errors for r in results):
        return 1
    return 0


__all__ = ["ReviewResult", "expand_paths", "review_paths", "exit_code"]
