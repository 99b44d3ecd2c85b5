"""Throughput of the review engine per input form, and the cold start of ``xxgk check``.

    .venv/bin/python evals/bench_check.py [--runs 9] [--forms text,html]

Renders synthetic reports (our own, ``assistant.testing.synth``) as text dump, HTML, DOCX, PDF and
Markdown, then times read + map + all rules on one core, median of several runs. Cold start is the
wall time of a fresh ``xxgk check <sample.txt> --format json`` process (median of several runs).
Targets (issue 3): ≥200 text/HTML reports/s, ≥10 PDF/s, cold start < 1 s.
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


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--reports", type=int, default=20, help="distinct reports per form")
    ap.add_argument("--forms", default=",".join(FORMS), help="comma-separated subset of " + ",".join(FORMS))
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
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
