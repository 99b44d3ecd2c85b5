"""Reviewing reports: read, pair with last year's report, run the catalogue. The API behind CLI and UI."""

from __future__ import annotations

import functools
import gc
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .errors import InputError
from .report import Report, read_report
from .rules._peers import INDEX_FROM, Peers, SectionText, section_texts
from .rules.base import Finding
from .rules.copied import COMPARED
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
    previous: Report | None = field(default=None, repr=False)  # last year's report it was checked against

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


def _report_files(d: Path, listings: dict, year: str) -> list[Path]:
    """Report-like files under ``d`` with ``year`` in their name, listed once per review however many
    reports look there (a batch of 1,000 reports of one year looks for last year's 1,000 times)."""
    if d not in listings:
        listings[d] = [f for f in d.rglob("*") if f.is_file() and f.suffix.lower() in REPORT_SUFFIXES] if d.is_dir() else []
    if (d, year) not in listings:
        listings[d, year] = [f for f in listings[d] if year in f.name]
    return listings[d, year]


PEER_SECTIONS = tuple(num for num, _threshold in COMPARED)  # the sections COPY-PEER compares across the batch
PARALLEL_FROM = 8  # with ``workers=None``, smaller batches stay in one process (starting workers costs more)


def default_workers(n_files: int) -> int:
    """Processes for a batch of ``n_files``: every core for a batch of ``PARALLEL_FROM`` or more, else one."""
    return max(1, min(os.cpu_count() or 1, n_files)) if n_files >= PARALLEL_FROM else 1


def review_paths(
    paths: Sequence[str | Path],
    *,
    previous: Sequence[str | Path] = (),
    corpus: Sequence[str | Path] = (),
    progress: Callable[[int, int, str], None] | None = None,
    workers: int | None = None,
) -> list[ReviewResult]:
    """Review every report under ``paths``.

    Last year's report of the same agency is found among ``previous`` (files or folders), the batch
    itself, the report's own folder and ``corpus`` folders (by agency name and year in the file name).
    ``workers``: processes that read and check the batch (``None``: all cores for a batch of 8 files or
    more; 1: this process only). The results are the same, in the same order, whatever the number.
    ``progress(done, total, next file)`` is called as files are read.
    """
    with _gc_paused():
        return _review(expand_paths(paths), previous, corpus, progress, workers)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """The reports of a batch stay in memory to the end: the cyclic garbage collector would scan them again
    and again as more arrive (a third of the time of receiving 1,000 reports from the workers). Reports
    hold no reference cycles; collection resumes when the batch is done (also in forked workers, which
    inherit the paused state and so do not copy the pages the collector would touch)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            # what the batch allocated would otherwise make the first collection after this a full one
            # (0.1 s for 1,000 reports); frozen objects are still freed by reference counting when dropped
            gc.freeze()
            gc.enable()


def _review(
    files: list[Path],
    previous: Sequence[str | Path],
    corpus: Sequence[str | Path],
    progress: Callable[[int, int, str], None] | None,
    workers: int | None,
) -> list[ReviewResult]:
    n_workers = default_workers(len(files)) if workers is None else max(1, min(workers, len(files)))
    results: list[ReviewResult] = []
    reports: list[Report] = []
    if progress and files:
        progress(0, len(files), str(files[0]))
    indexed = PEER_SECTIONS if len(files) >= INDEX_FROM else ()
    texts: list[dict[str, SectionText | None]] = []  # the peer index's share of each report, as it was read
    reading = _read_all(files, n_workers, indexed)
    for i, (report, err, its_texts) in enumerate(reading):
        results.append(ReviewResult(source=str(files[i]), report=report, error=err))
        if report is not None:
            reports.append(report)
            texts.append(its_texts)
        if progress:
            progress(i + 1, len(files), str(files[i + 1]) if i + 1 < len(files) else "")

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
    listings: dict = {}
    read_already: set[Path] | None = None  # files of the batch (their reports are in the pool), when needed
    todo: list[tuple[ReviewResult, Report | None]] = []
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
                cands = [f for d in (Path(res.source).parent, *extra_dirs) for f in _report_files(d, listings, want) if name in f.name]
                if cands:
                    read_already = read_already or {Path(x.source).resolve() for x in results}
                    cands = [f for f in cands if f.resolve() not in read_already]
                for cand in cands:
                    pr, _ = _read(cand)
                    if pr is not None and _key(pr) == (r.agency, r.year - 1):
                        prev = pr
                        break
        res.previous_source = prev.source if prev is not None else None
        res.previous = prev
        todo.append((res, prev))
    peers = Peers(reports).build(PEER_SECTIONS, texts if indexed else None)
    for (res, _prev), findings in zip(todo, _check_all(todo, peers, n_workers), strict=True):
        res.findings = findings
    return results


# ----------------------------------------------------------------------------- worker processes
# A batch is read by a pool of processes (each file's Report comes back pickled), then checked by a
# second pool that starts after the batch is paired with last year's reports: forked, it inherits the
# reports and the peer index instead of receiving them; tasks and answers are only indices and findings.
# This process is one of the ``n_workers``: it takes every n-th item itself while the pool of n-1
# does the rest, so the cores are never shared three ways and only the pool's items are pickled
# (1,000 HTML reports on 2 cores: 1.53× with a pool of 2, 1.64× this way). Each reader also computes
# its reports' share of the peer index (``section_texts``), so that little is left serial between
# reading and checking (0.22 → 0.07 s): 1.76×.

_STATE: tuple[list[Report], list[Report | None], Peers] | None = None  # set in each checking worker


def _pool(n: int, initializer: Callable | None = None, initargs: tuple = ()):
    import multiprocessing as mp

    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    return mp.get_context(method).Pool(n, initializer=initializer, initargs=initargs)


def _chunk(n_items: int, n_workers: int) -> int:
    return max(1, min(16, n_items // (n_workers * 8)))


Read = tuple[Report | None, InputError | None, dict[str, SectionText | None]]


def _read_indexed(path: Path, indexed: tuple[str, ...] = ()) -> Read:
    """``_read``, and the report's part of the peer index for sections ``indexed``."""
    report, err = _read(path)
    return report, err, (section_texts(report, indexed) if report is not None and indexed else {})


def _read_in_worker(path: Path, indexed: tuple[str, ...] = ()) -> Read:
    """``_read_indexed`` in a worker: the report comes back without the document it was mapped from
    (nothing after the mapping reads it, and it is a third of what would be pickled back)."""
    report, err, texts = _read_indexed(path, indexed)
    if report is not None:
        report.document = None
    return report, err, texts


def _mine(i: int, n_workers: int) -> bool:
    """Whether item ``i`` of a batch is this process's share."""
    return i % n_workers == 0


def _read_all(files: list[Path], n_workers: int, indexed: tuple[str, ...] = ()) -> Iterator[Read]:
    if n_workers <= 1:
        yield from (_read_indexed(f, indexed) for f in files)
        return
    theirs = [f for i, f in enumerate(files) if not _mine(i, n_workers)]
    with _pool(n_workers - 1) as pool:
        work = functools.partial(_read_in_worker, indexed=indexed)
        done = pool.imap(work, theirs, chunksize=_chunk(len(theirs), n_workers - 1))
        for i, f in enumerate(files):
            yield _read_indexed(f, indexed) if _mine(i, n_workers) else next(done)


def _init_checker(state: tuple[list[Report], list[Report | None], Peers]) -> None:
    global _STATE
    _STATE = state


def _check_one(i: int) -> list[Finding]:
    assert _STATE is not None
    reports, previous, peers = _STATE
    return check_report(reports[i], previous=previous[i], peers=peers)


def _check_all(todo: list[tuple[ReviewResult, Report | None]], peers: Peers, n_workers: int) -> list[list[Finding]]:
    reports = [res.report for res, _prev in todo]
    previous = [prev for _res, prev in todo]
    if n_workers <= 1 or len(todo) < 2:
        return [check_report(r, previous=p, peers=peers) for r, p in zip(reports, previous, strict=True)]  # type: ignore[arg-type]
    theirs = [i for i in range(len(todo)) if not _mine(i, n_workers)]
    with _pool(n_workers - 1, _init_checker, ((reports, previous, peers),)) as pool:
        pending = pool.map_async(_check_one, theirs, chunksize=_chunk(len(theirs), n_workers - 1))
        out: list[list[Finding]] = [
            check_report(reports[i], previous=previous[i], peers=peers) if _mine(i, n_workers) else []  # type: ignore[arg-type]
            for i in range(len(todo))
        ]
        for i, findings in zip(theirs, pending.get(), strict=True):
            out[i] = findings
    return out


def exit_code(results: Sequence[ReviewResult]) -> int:
    """2 when a file could not be read, 1 when any finding is an error, else 0."""
    if any(r.error is not None for r in results):
        return 2
    if any(r.has_errors for r in results):
        return 1
    return 0


__all__ = ["ReviewResult", "default_workers", "exit_code", "expand_paths", "review_paths"]
