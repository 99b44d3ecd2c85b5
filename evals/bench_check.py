"""Throughput of the review engine per input form, a whole batch on all cores, and the cold start.

    .venv/bin/python evals/bench_check.py [--runs 9] [--forms text,html] [--batch 1000] [--batch-runs 3]

Renders synthetic reports (our own, ``assistant.testing.synth``) as text dump, HTML, DOCX, PDF and
Markdown, then times read + map + all rules on one core, median of several runs. Cold start is the
wall time of a fresh ``xxgk check <sample.txt> --format json`` process (median of several runs).
Targets (issue 3): ≥200 text/HTML reports/s, ≥10 PDF/s, cold start < 1 s.

The batch (issue 14): a folder of ``--batch`` HTML reports reviewed as ``xxgk check`` does it
(``review_paths``: pairing with last year's reports, batch rules such as COPY-PEER included), once in
one process and once with every core, each run in a fresh process (no warm caches), taking turns;
target ≥ 1.7× on 2 cores. ``--batch 0`` skips it.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.report import read_report  # noqa: E402
from assistant.rules.engine import check_report  # noqa: E402
from assistant.testing.synth import clean_report, render  # noqa: E402

FORMS = ("text", "html", "docx", "pdf", "markdown")
TARGETS = {"text": 200, "html": 200, "pdf": 10}


def _rate(batch: list[Path]) -> float:
    t0 = time.perf_counter()
    for f in batch:
        check_report(read_report(f))
    return len(batch) / (time.perf_counter() - t0)


def bench_forms(batches: dict[str, list[list[Path]]]) -> dict[str, float]:
    """Median reports/s per form over the batches after the first (the warm-up: imports, regex
    compilation).

    Every timed batch holds reports not read before in this process, as in a real review batch:
    memoised work on one report's text never makes another report look fast. Forms take turns
    batch by batch, so a slow spell of this shared VM falls on all of them alike."""
    for form, form_batches in batches.items():
        _rate(form_batches[0])
    rates: dict[str, list[float]] = {form: [] for form in batches}
    runs = min(len(b) for b in batches.values())
    for i in range(1, runs):
        for form, form_batches in batches.items():
            rates[form].append(_rate(form_batches[i]))
    return {form: statistics.median(r) for form, r in rates.items()}


def cold_start(sample: Path, runs: int) -> float:
    exe = Path(sys.executable).parent / "xxgk"
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        subprocess.run([str(exe), "check", str(sample), "--format", "json"], capture_output=True, check=False)
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


_BATCH_RUN = """
import sys, time
sys.path.insert(0, {root!r})
from assistant.review import review_paths
t0 = time.perf_counter()
results = review_paths([{folder!r}], workers={workers})
print(time.perf_counter() - t0, sum(len(r.findings) for r in results))
"""


def bench_batch(folder: Path, n: int, runs: int) -> tuple[float, float, int]:
    """Median reports/s of ``review_paths`` on ``folder`` with one process and with every core."""
    cores = os.cpu_count() or 1
    times: dict[int, list[float]] = {1: [], cores: []}
    findings: set[int] = set()
    for _ in range(runs):
        for workers in times:  # taking turns: a slow spell of the machine hits both
            code = _BATCH_RUN.format(root=str(ROOT), folder=str(folder), workers=workers)
            out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
            times[workers].append(float(out[0]))
            findings.add(int(out[1]))
    assert len(findings) == 1, f"different findings with 1 and {cores} processes: {findings}"
    single, parallel = (n / statistics.median(times[w]) for w in times)
    return single, parallel, cores


def make_batch(folder: Path, n: int) -> None:
    """``n`` HTML reports of different agencies (a county's departments, towns and streets) in ``folder``."""
    kinds = ("局", "镇人民政府", "街道办事处", "委员会")
    for i in range(n):
        agency = f"青禾县第{i}{kinds[i % len(kinds)]}" if i % len(kinds) != 1 else f"青禾县第{i}镇人民政府"
        render(clean_report(agency=agency, year=2024, seed=5000 + i), "html", folder)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--reports", type=int, default=20, help="distinct reports per form")
    ap.add_argument("--forms", default=",".join(FORMS), help="comma-separated subset of " + ",".join(FORMS))
    ap.add_argument("--batch", type=int, default=1000, help="HTML reports in the batch run (0: skip)")
    ap.add_argument("--batch-runs", type=int, default=3)
    args = ap.parse_args()
    forms = [f for f in args.forms.split(",") if f in FORMS]
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        batches: dict[str, list[list[Path]]] = {f: [] for f in forms}
        for b in range(args.runs + 1):  # batch 0 warms up; each run reads its own, unseen reports
            for form in forms:
                batches[form].append([])
            for i in range(args.reports):
                n = b * args.reports + i
                r = clean_report(agency=f"青禾县第{n}局" if n % 2 else "青禾县人民政府", year=2024, seed=100 + n)
                for form in forms:
                    batches[form][b].append(render(r, form, d / f"r{n}_{form}"))
        print(f"| form | reports/s (median of {args.runs}) | target |")
        print("|---|---|---|")
        rates = bench_forms(batches)
        for form in forms:
            rate = rates[form]
            target = TARGETS.get(form)
            mark = "" if target is None else (" ✓" if rate >= target else " ✗")
            print(f"| {form} | {rate:.0f} | {'≥' + str(target) if target else '—'}{mark} |")
        sample = render(clean_report(agency="青禾县人民政府", year=2024, seed=99), "text", d / "cold_text")
        cs = cold_start(sample, args.runs)
        print(f"| cold start `xxgk check` (s) | {cs:.2f} | <1{' ✓' if cs < 1 else ' ✗'} |")
        if args.batch:
            folder = d / "batch"
            folder.mkdir()
            make_batch(folder, args.batch)
            single, parallel, cores = bench_batch(folder, args.batch, args.batch_runs)
            ratio = parallel / single
            print(f"\n| batch of {args.batch} HTML reports (`review_paths`, median of {args.batch_runs}) | reports/s |")
            print("|---|---|")
            print(f"| one process | {single:.0f} |")
            print(f"| {cores} processes | {parallel:.0f} ({ratio:.2f}×; target ≥ 1.7×{' ✓' if ratio >= 1.7 else ' ✗'}) |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
