"""离线模式 answers: extractive, from the retrieved passages and the report's facts; no model.

An office without a model uses this every day, so it is written to be read: the passages that
answer, each with its citation and the sentences nearest the question; the report's figures that
the question is about; or, when nothing in the knowledge base is relevant, the no-basis message with
what to do next.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .facts import Fact

if TYPE_CHECKING:
    from ..kb.hybrid import Hit
    from ..report.model import Report
    from ..rules.base import Finding
    from .ask import Answer, Passage

OFFLINE_HEAD = "离线模式（未连接大模型）"
# chosen on the tune part of evals/retrieval/questions.jsonl with evals/answers/run.py --split tune:
# once the question has a basis, the best passages by rank, leaving out those whose relevance is
# more than the margin below the best (3 / 0.2: citation precision 0.32, recall 0.59 on tune;
# showing only the passages that clear the relevance threshold gave 0.27 / 0.55)
MAX_PASSAGES = 3
RELEVANCE_MARGIN = 0.2
_FINDINGS_WORDS = re.compile(r"问题|审核|错误|发现|不一致|矛盾|差错|核对|检查")


def no_basis(question: str, hits: Sequence[Hit] = ()) -> str:
    from .ask import NO_BASIS

    return (
        f"{NO_BASIS}：知识库里没有与“{question}”相关的法规条文、指南或报告内容，无法据此回答。"
        "可以换个说法再问；如果问题涉及的法规或文件还不在知识库中，请先把它加入知识库"
        "（xxgk index 文件夹，或在界面“知识库”页上传）。"
    )


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" or c.isalnum()]
    return {a + b for a, b in zip(chars, chars[1:])}


def _key_sentences(body: str, question: str, limit: int = 260) -> str:
    """The whole body when short; else the sentences sharing most with the question, in order."""
    if len(body) <= limit:
        return body
    sents = [s for s in re.split(r"(?<=[。；！？])", body) if s.strip()]
    q = _bigrams(question)
    ranked = sorted(range(len(sents)), key=lambda i: (-len(_bigrams(sents[i]) & q), i))
    keep: list[int] = []
    size = 0
    for i in ranked:
        if size and size + len(sents[i]) > limit:
            break
        keep.append(i)
        size += len(sents[i])
    picked = "".join(sents[i].strip() for i in sorted(keep))
    return picked + ("……" if len(keep) < len(sents) else "")


def select(passages: Sequence[Passage]) -> list[Passage]:
    """The passages worth showing: the best, and the next ones not far below it."""
    if not passages:
        return []
    top = passages[0].hit.relevance
    out = [passages[0]]
    for p in passages[1:MAX_PASSAGES]:
        r = p.hit.relevance
        if top is None or r is None or r >= top - RELEVANCE_MARGIN:
            out.append(p)
    return out


def matching_facts(question: str, facts: Sequence[Fact], limit: int = 8) -> list[Fact]:
    """Facts the question is about: their label shares ≥ 2 character pairs with it, scored by the
    pairs shared plus the share of the label covered (so 予以公开 beats 部分公开占…比例), and within
    70% of the best score."""
    q = _bigrams(question)
    scored = []
    for i, f in enumerate(facts):
        label = _bigrams(f.label) | _bigrams(f.words)
        hit = len(label & q)
        if f.value is not None and hit >= 2:
            scored.append((hit + hit / len(label), i, f))
    if not scored:
        return []
    best = max(s for s, _, _ in scored)
    keep = sorted((x for x in scored if x[0] >= 0.7 * best), key=lambda x: (-x[0], x[1]))
    return [f for _, _, f in keep[:limit]]


def answer(base: Answer, facts: Sequence[Fact], findings: Sequence[Finding] | None, report: Report | None) -> Answer:
    """Fill ``base`` (question, passages, notice already set) with the extractive answer."""
    from .ask import WEAK_BASIS, WEAK_FLAG, Citation

    q = base.standalone or base.question
    picked_facts = matching_facts(q, facts)
    passages = base.passages  # empty when nothing retrieved is relevant (ask decides)
    if picked_facts:  # the report's own figures answer it: table rows of indexed reports only repeat them
        passages = [p for p in passages if p.hit.metadata.get("doc_type") != "report_table"]
    chosen = select(passages)
    want_findings = report is not None and bool(_FINDINGS_WORDS.search(q))
    base.mode = "offline"
    if not chosen and not picked_facts and not want_findings:
        base.answer = no_basis(q)
        base.citations = []
        return base
    if base.weak and not picked_facts:
        parts = [f"{WEAK_BASIS}。以下是知识库中最接近的内容，可能并不适用，请核对后再办理（离线模式，未经大模型归纳）。"]
        chosen = chosen[:2]
    else:
        parts = [f"{OFFLINE_HEAD}：以下是知识库和报告数据中与问题最相关的内容，请据此办理（未经大模型归纳）。"]
    if picked_facts or want_findings:
        who = f"{report.agency or ''}{report.year or ''}年度报告" if report is not None else "本报告"
        lines = [f.line() for f in picked_facts]
        if want_findings:
            from ..rules.base import SEVERITY_LABELS

            fs = list(findings or [])
            if fs:
                lines.append(f"- 审核发现 {len(fs)} 条问题：")
                lines += [f"  {i}. [{SEVERITY_LABELS[f.severity]}] {f.message}" for i, f in enumerate(fs[:8], 1)]
            else:
                lines.append("- 审核未发现问题")
        parts.append(f"{who}的相关数据（由表格单元格计算）：\n" + "\n".join(lines))
    chosen = [dataclasses.replace(p, n=i) for i, p in enumerate(chosen, 1)]  # numbered as shown: [1] [2] …
    for p in chosen:
        head, _, body = p.hit.text.partition("\n")
        parts.append(f"{p.marker} {p.hit.citation}\n{_key_sentences(body.strip() or head, q)}")
    base.answer = "\n\n".join(parts)
    base.citations = [Citation.of(p.marker, p.hit) for p in chosen]
    base.facts = list(picked_facts)
    base.flags = [dict(WEAK_FLAG)] if base.weak and not picked_facts else []
    return base
