"""Our guides (corpus/kb/*.md): our own words, a sensible size, and every article they cite exists."""

from __future__ import annotations

import re

import pytest

from assistant.kb.chunk import chunk_guide
from assistant.kb.recipe import guide_citations

from evals.retrieval import overlap

from .conftest import ROOT

KB = ROOT / "corpus" / "kb"
GUIDES = sorted(KB.glob("*.md"))
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


def test_guides_do_not_copy_regulation_text(corpus_dir):
    joined = "\n".join(t for law in _articles(corpus_dir / "regulations").values() for t in law.values())
    run = 24
    copied = [
        (p.stem, text[i : i + run])
        for p in GUIDES
        for text in [p.read_text(encoding="utf-8")]
        for i in range(len(text) - run + 1)
        if text[i : i + run] in joined
    ]
    assert copied == []


def test_every_article_a_guide_cites_exists(corpus_dir):
    laws = _articles(corpus_dir / "regulations")
    bad = []
    for p in GUIDES:
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
