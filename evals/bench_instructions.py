"""Instructions per report, per stage, counted by valgrind (callgrind): a repeatable cost measure.

    .venv/bin/python evals/bench_instructions.py [--forms text,html,markdown] [--reports 10]

Wall-clock rates on this shared 2-core VM swing by about 1.6× from one hour to the next, so a
change of 5–10% cannot be told apart from noise by ``bench_check.py``. Callgrind counts the
instructions the CPU executes instead of seconds: the same code on the same reports gives the same
count to within 0.1%, whatever else the machine is doing. Use it to compare two versions of the
engine, and to see which stage a report's time goes to.

Each figure is (count with N more reports − count with none) / N, in one process that has already
read, mapped and checked three reports (imports, regex compilation and other first-use costs are
excluded). Stages: ``read`` = bytes → Document, ``parse`` = lxml's HTML parse alone (a part of
``read``), ``map`` = Document → the 200 cells and sections, ``rules`` = all rules, ``all`` = the
three together as ``xxgk check`` runs them. Needs ``valgrind`` (Debian package); takes a few minutes.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM = 3
STAGES = {"text": ("read", "map", "rules", "all"), "html": ("read", "parse", "map", "rules", "all"),
          "markdown": ("read", "map", "rules", "all")}  # fmt: skip


def worker(folder: Path, stage: str, n: int) -> None:
    """Run ``stage`` on WARM reports, then on ``n`` more (the reports are prepared beforehand)."""
    sys.path.insert(0, str(ROOT))
    from lxml import etree

    from assistant.report import report_from_document
    from assistant.report.readers import load_document
    from assistant.rules.engine import check_report

    files = sorted(folder.iterdir())
    docs = [load_document(f) for f in files]
    reports = [report_from_document(d) for d in docs]
    data = [f.read_bytes() for f in files]
    parser = etree.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True, huge_tree=True)
    run = {
        "read": lambda i: load_document(files[i]),
        "parse": lambda i: etree.fromstring(data[i], parser=parser),
        "map": lambda i: report_from_document(docs[i]),
        "rules": lambda i: check_report(reports[i]),
        "all": lambda i: check_report(report_from_document(load_document(files[i]))),
    }[stage]
    for i in range(WARM + n):
        run(i)


def count(folder: Path, stage: str, n: int) -> int:
    out = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable, __file__,
         "--worker", str(folder), stage, str(n)],
        capture_output=True, text=True, check=True, env={**os.environ, "PYTHONHASHSEED": "0"},
    )  # fmt: skip
    m = re.search(r"Collected : (\d+)", out.stderr)
    if not m:
        raise RuntimeError(f"callgrind printed no count:\n{out.stderr[-2000:]}")
    return int(m.group(1))


def per_report(folder: Path, stage: str, n: int) -> float:
    """Millions of instructions per report for ``stage`` on the reports in ``folder``."""
    return (count(folder, stage, n) - count(folder, stage, 0)) / n / 1e6


def main() -> int:
    if len(sys.argv) == 5 and sys.argv[1] == "--worker":
        worker(Path(sys.argv[2]), sys.argv[3], int(sys.argv[4]))
        return 0
    ap = argparse.ArgumentParser()
    ap.add_argument("--forms", default="text,html,markdown")
    ap.add_argument("--reports", type=int, default=10, help="reports counted per stage (after 3 warm-up)")
    args = ap.parse_args()
    if shutil.which("valgrind") is None:
        print("需要 valgrind（apt install valgrind）", file=sys.stderr)
        return 2
    sys.path.insert(0, str(ROOT))
    from assistant.testing.synth import clean_report, render

    forms = [f for f in args.forms.split(",") if f in STAGES]
    with tempfile.TemporaryDirectory() as tmp:
        folders = {}
        for form in forms:
            folders[form] = Path(tmp) / form
            folders[form].mkdir()
        for i in range(WARM + args.reports):  # the same reports as bench_check.py renders
            r = clean_report(agency=f"青禾县第{i}局" if i % 2 else "青禾县人民政府", year=2024, seed=100 + i)
            for form in forms:
                render(r, form, folders[form] / f"r{i:03d}")
        jobs = [(form, stage) for form in forms for stage in STAGES[form]]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:  # counts do not depend on load
            results = dict(zip(jobs, pool.map(lambda j: per_report(folders[j[0]], j[1], args.reports), jobs)))
    print("| form | " + " | ".join(("read", "(lxml parse)", "map", "rules", "all")) + " |")
    print("|---|---:|---:|---:|---:|---:|")
    for form in forms:
        cells = [f"{results[(form, s)]:.1f}" if (form, s) in results else "—" for s in ("read", "parse", "map", "rules", "all")]
        print(f"| {form} | " + " | ".join(cells) + " |")
    print(f"\n百万条指令/份（callgrind，{args.reports} 份报告的平均）")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
