"""Throughput of the review engine per input form, and the cold start of ``xxgk check``.

    .venv/bin/python evals/bench_check.py [--runs 5]

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


def bench_form(files: list[Path], runs: int) -> float:
    for f in files:  # warm-up: imports, regex compilation, caches
        check_report(read_report(f))
    rates = []
    for _ in range(runs):
        t0 = time.perf_counter()
        for f in files:
            check_report(read_report(f))
        rates.append(len(files) / (time.perf_counter() - t0))
    return statistics.median(rates)


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
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--reports", type=int, default=20, help="distinct reports per form")
    args = ap.parse_args()
    os.environ.setdefault("OMP_NUM_THREADS", "1")
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        files: dict[str, list[Path]] = {f: [] for f in FORMS}
        for i in range(args.reports):
            r = clean_report(agency=f"青禾县第{i}局" if i % 2 else "青禾县人民政府", year=2024, seed=100 + i)
            for form in FORMS:
                files[form].append(render(r, form, d / f"r{i}_{form}"))
        print(f"| form | reports/s (median of {args.runs}) | target |")
        print("|---|---|---|")
        for form in FORMS:
            rate = bench_form(files[form], args.runs)
            target = TARGETS.get(form)
            mark = "" if target is None else (" ✓" if rate >= target else " ✗")
            print(f"| {form} | {rate:.0f} | {'≥' + str(target) if target else '—'}{mark} |")
        cs = cold_start(files["text"][0], args.runs)
        print(f"| cold start `xxgk check` (s) | {cs:.2f} | <1{' ✓' if cs < 1 else ' ✗'} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
