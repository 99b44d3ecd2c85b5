"""Cell accuracy on the real reports in ../shared/corpus/reports (each with a hand-read .cells.json).

    .venv/bin/python evals/real_reports.py [--shared ../shared/corpus/reports]

Prints a Markdown table: per report, cells correct / unknown (null) / wrong, and the error findings.
A wrong number is worse than an unknown one: the target is 0 wrong everywhere.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.report import read_report  # noqa: E402
from assistant.report.compare import compare_cells  # noqa: E402
from assistant.rules.engine import check_report  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpus" / "reports"))
    args = ap.parse_args()
    folder = Path(args.shared)
    if not folder.is_dir():
        print(f"找不到 {folder}", file=sys.stderr)
        return 2
    rows = []
    tot_ok = tot = tot_wrong = 0
    for truth_path in sorted(folder.glob("*.cells.json")):
        stem = truth_path.name[: -len(".cells.json")]
        src = next(p for p in folder.iterdir() if p.name.startswith(stem + ".") and not p.name.endswith(".json"))
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        report = read_report(src)
        acc = compare_cells(report, truth)
        errs = [f.rule for f in check_report(report) if f.severity == "error"]
        rows.append(
            f"| {src.name} | {acc.correct} | {acc.unknown_ok} | {acc.unknown} | {len(acc.wrong)} | "
            f"{acc.accuracy:.1%} | {', '.join(sorted(set(errs))) or '—'} |"
        )
        for cid, got, want in acc.wrong:
            rows.append(f"|   ↳ wrong: {cid} | ours {got} | truth {want} | | | | |")
        tot_ok += acc.correct + acc.unknown_ok
        tot += acc.total
        tot_wrong += len(acc.wrong)
    print("| report | correct | null (acceptable) | null (missed) | wrong | accuracy | error findings |")
    print("|---|---|---|---|---|---|---|")
    print("\n".join(rows))
    print(f"| **all** | | | | **{tot_wrong}** | **{tot_ok / tot:.1%}** ({tot_ok}/{tot}) | |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
