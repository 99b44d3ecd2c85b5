"""How many of the claims a reviewer reads in report sentences the narrative rules extract.

    .venv/bin/python evals/claim_wordings.py [--show]

Reads ``tests/fixtures/claims/dev.yml`` (wordings used while writing the claim kinds) and
``heldout.yml`` (written at the same time, never used for tuning): realistic sentences, each with the
[kind, value] claims a careful reviewer reads in it (``[]`` for a sentence that states no table
figure). Each sentence is put in section 一 of an otherwise empty 2024 report and read by
``assistant.rules._claims.claims``. Prints, per set: expected claims found (recall), claims read that
a reviewer would not (false claims), and with ``--show`` every miss and false claim.

Works on older versions of the engine too (kinds named ``nd_issued``…, fees in ``fee_claims``), so the
same sentences measure before and after a change.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.report.model import Report, Section  # noqa: E402
from assistant.rules import _claims  # noqa: E402

SETS = ("dev", "heldout")
OLD_NAMES = {"nd_issued": "normative_doc.issued", "nd_repealed": "normative_doc.repealed", "nd_in_force": "normative_doc.in_force"}


def read(text: str) -> list[tuple[str, float]]:
    r = Report(source="s.txt", form="text", agency="青禾县人民政府", year=2024, agency_kind="人民政府")
    r.sections = [Section("一", "一、总体情况", text, 1, "一")]
    got = list(_claims.claims(r))
    if hasattr(_claims, "fee_claims"):  # before the claim kinds were data, fees had their own reader
        got += list(_claims.fee_claims(r))
    return [(OLD_NAMES.get(c.kind, c.kind), round(float(c.value), 4)) for c in got]


def _same(want: tuple[str, float], got: tuple[str, float]) -> bool:
    (wk, wv), (gk, gv) = want, got
    # the old engine's one "corrected" kind stood for any 纠正 figure of table 4
    return wv == gv and (wk == gk or (gk == "corrected" and wk.endswith(".corrected")))


def score(path: Path) -> tuple[int, int, int, list[str]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = found = false = 0
    notes: list[str] = []
    for item in data["sentences"]:
        want = [(k, round(float(v), 4)) for k, v in item["claims"]]
        got = read(item["text"])
        left = list(got)
        for w in want:
            hit = next((g for g in left if _same(w, g)), None)
            expected += 1
            if hit is not None:
                found += 1
                left.remove(hit)
            else:
                notes.append(f"  miss  {w[0]}={w[1]:g}  {item['text']}")
        for g in dict.fromkeys(left):  # the same claim read twice is one false claim
            false += 1
            notes.append(f"  false {g[0]}={g[1]:g}  {item['text']}")
    return expected, found, false, notes


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--show", action="store_true", help="list every miss and false claim")
    args = ap.parse_args()
    folder = ROOT / "tests" / "fixtures" / "claims"
    print("| set | sentences | claims expected | found | recall | false claims |")
    print("|---|---:|---:|---:|---:|---:|")
    all_notes = []
    for name in SETS:
        path = folder / f"{name}.yml"
        n = len(yaml.safe_load(path.read_text(encoding="utf-8"))["sentences"])
        expected, found, false, notes = score(path)
        print(f"| {name} | {n} | {expected} | {found} | {100 * found / expected:.0f}% | {false} |")
        all_notes += [f"[{name}]", *notes]
    if args.show:
        print("\n".join(all_notes))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
