"""Our guides (corpus/kb/*.md): our own words, a sensible size, and every article they cite exists."""

from __future__ import annotations

import re

import pytest

from assistant.kb.chunk import chunk_guide
from assistant.kb.recipe import guide_citations

from evals.retrieval import overlap

from .conftest import ROOT

KB = ROOT / "corpus" / "kb"
ALL = sorted(KB.glob("*.md"))
FAQS = [p for p in ALL if p.stem.startswith("faq-")]  # 问答 files: one ### question per passage
GUIDES = [p for p in ALL if p not in FAQS]  # prose guides, one ## section per passage
HAN = re.compile(r"[\u4e00-\u9fff]")
# laws our guides may cite without the text being in ../shared/corpus/regulations
NOT_SHARED = {"政府信息公开信息处理费管理办法"}


def _articles(folder) -> dict[str, dict[str, str]]:  # noqa: ANN001
    """law → article → text, read as the question-set eval reads them (one reader for both)."""
    return overlap.regulation_articles(folder)


@pytest.mark.parametrize("path", GUIDES, ids=lambda p: p.stem)
def test_guide_size_and_headings(path):
    text = path.read_text(encoding="utf-8")
    assert 1500 <= len(HAN.findall(text)) <= 4000
    headings = re.findall(r"^## (.+?)\s*$", text, re.M)
    assert len(headings) >= 4 and len(headings) == len(set(headings))


@pytest.mark.parametrize("path", FAQS, ids=lambda p: p.stem)
def test_faq_entries_are_short_and_cite_an_article(path):
    """A 问答 entry is a question as staff ask it (### heading) and a short answer citing its article."""
    text = path.read_text(encoding="utf-8")
    assert 2000 <= len(HAN.findall(text)) <= 20000
    entries = re.findall(r"^### (.+?)\s*$\n(.*?)(?=^#{2,3} |\Z)", text, re.M | re.S)
    assert len(entries) >= 20
    bad = [q for q, body in entries if not guide_citations(body) or not 30 <= len(HAN.findall(body)) <= 300]
    assert bad == []


def test_faq_questions_are_unique():
    questions = [q for p in FAQS for q in re.findall(r"^### (.+?)\s*$", p.read_text(encoding="utf-8"), re.M)]
    assert len(questions) == len(set(questions))


def test_faq_questions_do_not_echo_eval_questions(corpus_dir):
    """The 问答 were written without the eval questions: none shares 10+ characters with one."""
    import json

    evals = [json.loads(x)["question"] for x in (ROOT / "evals" / "retrieval" / "questions.jsonl").open(encoding="utf-8")]
    staff = corpus_dir.parent / "retrieval" / "staff-questions.jsonl"
    if staff.exists():
        evals += [json.loads(x)["question"] for x in staff.open(encoding="utf-8")]
    norm = [overlap.strip(q) for q in evals]
    echoes = [
        q
        for p in FAQS
        for q in re.findall(r"^### (.+?)\s*$", p.read_text(encoding="utf-8"), re.M)
        if any(len(overlap.longest_common(overlap.strip(q), e)) >= 10 for e in norm)
    ]
    assert echoes == []


def test_guides_do_not_copy_regulation_text(corpus_dir):
    joined = "\n".join(t for law in _articles(corpus_dir / "regulations").values() for t in law.values())
    run = 24
    copied = [
        (p.stem, text[i : i + run])
        for p in ALL
        for text in [p.read_text(encoding="utf-8")]
        for i in range(len(text) - run + 1)
        if text[i : i + run] in joined
    ]
    assert copied == []


def test_every_article_a_guide_cites_exists(corpus_dir):
    laws = _articles(corpus_dir / "regulations")
    bad = []
    for p in ALL:
        for chunk in chunk_guide(p.read_text(encoding="utf-8"), str(p)):
            for c in guide_citations(chunk.text.split("\n", 1)[1]):
                law, article = re.match(r"^《(.+)》(第.+条)$", c).groups()
                if law not in NOT_SHARED and article not in laws.get(law, {}):
                    bad.append((p.stem, chunk.citation, c))
    assert bad == []


def test_the_guides_cite_every_article_of_the_tiaoli(corpus_dir):
    """Coverage rule for the staff-language guides: each article of the 条例 is explained somewhere."""
    articles = set(_articles(corpus_dir / "regulations")["政府信息公开条例"])
    cited = {
        c.split("》")[1]
        for p in GUIDES
        for chunk in chunk_guide(p.read_text(encoding="utf-8"), str(p))
        for c in guide_citations(chunk.text.split("\n", 1)[1])
        if c.startswith("《政府信息公开条例》")
    }
    assert articles - cited == set()
