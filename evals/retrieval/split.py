"""Assign ``split`` (tune / heldout) to questions that have none, by a seeded draw within each stratum.

    .venv/bin/python evals/retrieval/split.py [--questions FILE] [--check]

Who writes the questions must not choose which ones are held out, so the split is drawn: questions
are grouped by stratum (kind, type, and for regulation questions the law of the first gold; for
unanswerable ones 离题 vs 近似, from the note), shuffled with a fixed seed, and each goes to whichever
side of its stratum has fewer so far; on a tie, to the side with fewer overall, and if that is tied
too, a seeded coin decides. A question that already has a
split keeps it, so appending questions and rerunning never moves an old question between the parts.
``--check`` only reports the balance and exits non-zero if a question has no split.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 20240613
SPLITS = ("tune", "heldout")


def stratum(q: dict) -> tuple[str, ...]:
    if q["kind"] == "regulation":
        return ("regulation", q["type"], re.match(r"《([^》]+)》", q["gold"][0]).group(1))
    if q["kind"] == "none":
        return ("none", q["note"].split("：", 1)[0])
    return (q["kind"], q["type"])


def assign(questions: list[dict], seed: int = SEED) -> int:
    """Fill in ``split`` where missing; returns how many were assigned. Deterministic for a given file."""
    rng = random.Random(seed)
    groups: dict[tuple[str, ...], list[dict]] = defaultdict(list)
    for q in questions:
        groups[stratum(q)].append(q)
    overall = Counter(q["split"] for q in questions if q.get("split"))
    assigned = 0
    for key in sorted(groups):
        members = groups[key]
        have = Counter(q["split"] for q in members if q.get("split"))
        todo = sorted((q for q in members if not q.get("split")), key=lambda q: q["id"])
        rng.shuffle(todo)
        for q in todo:
            if have["tune"] != have["heldout"]:
                side = min(SPLITS, key=lambda s: have[s])
            elif overall["tune"] != overall["heldout"]:
                side = min(SPLITS, key=lambda s: overall[s])
            else:
                side = SPLITS[rng.random() < 0.5]
            q["split"] = side
            have[side] += 1
            overall[side] += 1
            assigned += 1
    return assigned


def balance(questions: list[dict]) -> dict[tuple[str, ...], Counter]:
    out: dict[tuple[str, ...], Counter] = defaultdict(Counter)
    for q in questions:
        out[stratum(q)][q.get("split")] += 1
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=Path, default=HERE / "questions.jsonl")
    ap.add_argument("--check", action="store_true", help="只报告各层的划分，不写文件")
    args = ap.parse_args()
    lines = [line for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
    questions = [json.loads(line) for line in lines]
    if not args.check:
        n = assign(questions)
        args.questions.write_text("".join(json.dumps(q, ensure_ascii=False) + "\n" for q in questions), encoding="utf-8")
        print(f"新分配 {n} 题")
    for key, c in sorted(balance(questions).items()):
        print(f"{'/'.join(key)}: tune {c['tune']}, heldout {c['heldout']}")
    total = Counter(q.get("split") for q in questions)
    print(f"合计：tune {total['tune']}, heldout {total['heldout']}")
    if None in total:
        sys.exit(f"{total[None]} 题没有 split")


if __name__ == "__main__":
    main()
