"""How much of its gold passage does each question repeat? (longest common substring, in characters)

    .venv/bin/python evals/retrieval/overlap.py [--questions FILE] [--sample FILE] [--list N]

A question written while reading its answer repeats long runs of it (“依申请公开的政府信息公开会损害
第三方合法权益的”); a question worded the way staff ask shares two to four characters, a domain word
such as 申请人 or 复议. For every question–gold pair we compute the longest common substring between
the question and the gold text, both with punctuation and whitespace removed. Gold text: for a
regulation article, the article in ``../shared/corpus/regulations/`` (from its ``第X条`` line up to
the next article or heading); for a guide section ``kb:<stem>#<heading>``, the ``##`` section of
``corpus/kb/<stem>.md``. Prints the histogram of our set (all, tune, heldout) beside the shared
staff sample ``../shared/retrieval/staff-questions.jsonl``, and the share of pairs at 5 or more.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REGULATIONS = ROOT.parent / "shared" / "corpus" / "regulations"
GUIDES = ROOT / "corpus" / "kb"
SAMPLE = ROOT.parent / "shared" / "retrieval" / "staff-questions.jsonl"

_NUM = "零〇一二三四五六七八九十百千"
ARTICLE = re.compile(rf"^(第[{_NUM}]+条(?:之[{_NUM}]+)?)[\s\u3000]")
REG_GOLD = re.compile(rf"^《([^《》]+)》(第[{_NUM}]+条(?:之[{_NUM}]+)?)$")
KB_GOLD = re.compile(r"^kb:([a-z0-9-]+)#(\S.*)$")
# histogram bins: (label, lowest, highest)
BINS = (("0–1", 0, 1), ("2", 2, 2), ("3", 3, 3), ("4", 4, 4), ("5", 5, 5), ("6–7", 6, 7), ("8–11", 8, 11), ("≥12", 12, 10**9))
LONG = 5  # a pair sharing this many characters or more counts as “long overlap”


@dataclass(frozen=True)
class Pair:
    qid: str
    gold: str
    lcs: int
    common: str  # the shared run itself, to see what a long overlap is made of


def strip(text: str) -> str:
    """Letters and digits only: punctuation, symbols and whitespace removed."""
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LN")


def longest_common(a: str, b: str) -> str:
    """The longest substring of ``a`` that also occurs in ``b`` (first one found)."""
    best = ""
    for i in range(len(a)):
        while i + len(best) < len(a) and a[i : i + len(best) + 1] in b:
            best = a[i : i + len(best) + 1]
    return best


def law_name(path: Path) -> str:
    """File name without the date: 政府信息公开条例(2019-04-03).md -> 政府信息公开条例."""
    return re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", path.stem)


def regulation_articles(folder: Path = REGULATIONS) -> dict[str, dict[str, str]]:
    """law short name -> article number (as written, 第三十六条) -> article text (all its paragraphs)."""
    laws: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.md")):
        articles: dict[str, str] = {}
        current: str | None = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = ARTICLE.match(line)
            if m:
                current = m.group(1)
                articles[current] = line
            elif line.startswith("#"):
                current = None
            elif current and line.strip():
                articles[current] += "\n" + line
        laws[law_name(path)] = articles
    return laws


def kb_sections(folder: Path = GUIDES) -> dict[str, dict[str, str]]:
    """guide stem -> ``##`` heading -> section text (heading line included, up to the next ``##``)."""
    guides: dict[str, dict[str, str]] = {}
    for path in sorted(folder.glob("*.md")):
        sections: dict[str, str] = {}
        current: str | None = None
        for line in path.read_text(encoding="utf-8").splitlines():
            m = re.match(r"^## (.+?)\s*$", line)
            if m:
                current = m.group(1)
                sections[current] = line
            elif line.startswith("# "):
                current = None
            elif current:
                sections[current] += "\n" + line
        guides[path.stem] = sections
    return guides


def gold_text(citation: str, laws: dict[str, dict[str, str]], guides: dict[str, dict[str, str]]) -> str | None:
    """The text a gold citation points at, or None when it names nothing that exists."""
    if m := REG_GOLD.match(citation):
        return laws.get(m.group(1), {}).get(m.group(2))
    if m := KB_GOLD.match(citation):
        return guides.get(m.group(1), {}).get(m.group(2))
    return None


def load(path: Path) -> list[dict]:
    """A question file, with the shared sample's ``{"law", "article"}`` gold turned into citations."""
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    for row in rows:
        row["gold"] = [g if isinstance(g, str) else f"《{g['law']}》{g['article']}" for g in row.get("gold", [])]
    return rows


def pairs(questions: Iterable[dict], laws: dict[str, dict[str, str]], guides: dict[str, dict[str, str]]) -> list[Pair]:
    """One Pair per question–gold pair; raises KeyError for a gold that names nothing."""
    out = []
    for q in questions:
        question = strip(q["question"])
        for g in q["gold"]:
            text = gold_text(g, laws, guides)
            if text is None:
                raise KeyError(f"{q['id']}: {g} 不存在")
            common = longest_common(question, strip(text))
            out.append(Pair(q["id"], g, len(common), common))
    return out


def histogram(values: list[int]) -> list[int]:
    return [sum(1 for v in values if lo <= v <= hi) for _, lo, hi in BINS]


def share_long(values: list[int]) -> float:
    return sum(1 for v in values if v >= LONG) / len(values) if values else 0.0


def table(columns: dict[str, list[int]]) -> str:
    """Markdown: one row per bin, one column per question set (count and share)."""
    head = "| LCS（字） | " + " | ".join(columns) + " |"
    lines = [head, "| --- |" + " ---: |" * len(columns)]
    hists = {name: histogram(vals) for name, vals in columns.items()}
    for i, (label, _, _) in enumerate(BINS):
        cells = [f"{hists[n][i]}（{hists[n][i] / max(len(v), 1):.0%}）" for n, v in columns.items()]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines.append("| 题–答对数 | " + " | ".join(str(len(v)) for v in columns.values()) + " |")
    lines.append(f"| ≥{LONG} 的比例 | " + " | ".join(f"{share_long(v):.1%}" for v in columns.values()) + " |")
    med = [sorted(v)[len(v) // 2] if v else 0 for v in columns.values()]
    lines.append("| 中位数 | " + " | ".join(str(m) for m in med) + " |")
    return "\n".join(lines)


def columns_for(questions: list[dict], sample: list[dict], laws, guides, fresh: list[dict] | None = None) -> tuple[dict[str, list[int]], list[Pair]]:  # noqa: ANN001
    ours = pairs(questions, laws, guides)
    split_of = {q["id"]: q.get("split") for q in questions}
    cols = {"本题库（全部）": [p.lcs for p in ours]}
    for split in ("tune", "heldout"):
        cols[f"本题库 {split}"] = [p.lcs for p in ours if split_of[p.qid] == split]
    if fresh:
        cols["新留出题 fresh"] = [p.lcs for p in pairs(fresh, laws, guides)]
    if sample:
        cols["共享样本"] = [p.lcs for p in pairs(sample, laws, guides)]
    return cols, ours


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--questions", type=Path, default=HERE / "questions.jsonl")
    ap.add_argument("--sample", type=Path, default=SAMPLE)
    ap.add_argument("--fresh", type=Path, default=HERE / "fresh.jsonl", help="第二个留出题集（仅报告）")
    ap.add_argument("--list", type=int, default=0, metavar="N", help="也列出重合最长的 N 对")
    args = ap.parse_args()
    if not REGULATIONS.is_dir():
        sys.exit(f"找不到法规语料 {REGULATIONS}（需要 ../shared/corpus）")
    laws, guides = regulation_articles(), kb_sections()
    sample = load(args.sample) if args.sample.is_file() else []
    fresh = load(args.fresh) if args.fresh.is_file() else []
    cols, ours = columns_for(load(args.questions), sample, laws, guides, fresh)
    print(table(cols))
    if args.list:
        text = {q["id"]: q["question"] for q in load(args.questions)}
        for p in sorted(ours, key=lambda p: -p.lcs)[: args.list]:
            print(f"{p.lcs:3d} {p.qid} {p.common}  ← {text[p.qid]}  [{p.gold}]")


if __name__ == "__main__":
    main()
