"""The retrieval question set (evals/retrieval/questions.jsonl) and the kb texts it cites."""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import pytest

from .conftest import ROOT

QUESTIONS = ROOT / "evals" / "retrieval" / "questions.jsonl"
KB = ROOT / "corpus" / "kb"
KB_FILES = ("format-guide", "identities", "common-defects", "deadlines-and-duties", "fee-guide")

_NUM = "零〇一二三四五六七八九十百千"
ARTICLE = re.compile(rf"^(第[{_NUM}]+条(?:之[{_NUM}]+)?)[\s\u3000]")
REG_GOLD = re.compile(rf"^《([^《》]+)》(第[{_NUM}]+条(?:之[{_NUM}]+)?)$")
KB_GOLD = re.compile(r"^kb:([a-z0-9-]+)#(\S.*)$")
HAN = re.compile(r"[\u4e00-\u9fff]")


def _questions() -> list[dict]:
    return [json.loads(line) for line in QUESTIONS.read_text(encoding="utf-8").splitlines() if line.strip()]


def _regulation_articles(folder: Path) -> dict[str, dict[str, str]]:
    """law short name (file name without the date) -> article number -> article text."""
    laws: dict[str, dict[str, str]] = {}
    for path in folder.glob("*.md"):
        name = re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", path.stem)
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
        laws[name] = articles
    return laws


def _kb_headings(stem: str) -> list[str]:
    text = (KB / f"{stem}.md").read_text(encoding="utf-8")
    return re.findall(r"^## (.+?)\s*$", text, re.M)


def _longest_common_substring(a: str, b: str) -> int:
    best = 0
    prev = [0] * (len(b) + 1)
    for ca in a:
        cur = [0] * (len(b) + 1)
        for j, cb in enumerate(b, 1):
            if ca == cb:
                cur[j] = prev[j - 1] + 1
                best = max(best, cur[j])
        prev = cur
    return best


def test_every_line_is_a_well_formed_question():
    qs = _questions()
    ids = [q["id"] for q in qs]
    assert all(re.fullmatch(r"q\d{3}", i) for i in ids), ids
    assert len(ids) == len(set(ids)), [i for i, n in Counter(ids).items() if n > 1]
    texts = [q["question"].strip() for q in qs]
    assert all(texts) and len(texts) == len(set(texts))
    for q in qs:
        assert q["kind"] in {"regulation", "report"}, q["id"]
        assert isinstance(q["gold"], list) and q["gold"], q["id"]
        assert q.get("note"), q["id"]
        pattern = REG_GOLD if q["kind"] == "regulation" else KB_GOLD
        assert all(pattern.match(g) for g in q["gold"]), (q["id"], q["gold"])


def test_counts_and_spread():
    qs = _questions()
    kinds = Counter(q["kind"] for q in qs)
    assert kinds["regulation"] >= 80
    assert kinds["report"] >= 15
    regulation = [q for q in qs if q["kind"] == "regulation"]
    on_tiaoli = [q for q in regulation if any("《政府信息公开条例》" in g for g in q["gold"])]
    assert 0.5 <= len(on_tiaoli) / len(regulation) <= 0.7
    laws = {REG_GOLD.match(g).group(1) for q in regulation for g in q["gold"]}
    assert len(laws) >= 10, laws
    assert sum(len(q["gold"]) > 1 for q in regulation) >= 8


def test_regulation_gold_cites_an_existing_article(corpus_dir):
    laws = _regulation_articles(corpus_dir / "regulations")
    missing = []
    for q in _questions():
        if q["kind"] != "regulation":
            continue
        for g in q["gold"]:
            law, article = REG_GOLD.match(g).groups()
            if article not in laws.get(law, {}):
                missing.append((q["id"], g))
    assert missing == []


def test_tiaoli_gold_covers_every_chapter(corpus_dir):
    text = next((corpus_dir / "regulations").glob("政府信息公开条例*.md")).read_text(encoding="utf-8")
    chapter_of: dict[str, str] = {}
    chapter = ""
    for line in text.splitlines():
        if line.startswith("## "):
            chapter = line[3:].strip()
        elif m := ARTICLE.match(line):
            chapter_of[m.group(1)] = chapter
    cited = {
        chapter_of[REG_GOLD.match(g).group(2)]
        for q in _questions()
        for g in q["gold"]
        if g.startswith("《政府信息公开条例》")
    }
    assert cited == set(chapter_of.values())


def test_questions_do_not_copy_the_article(corpus_dir):
    """Questions are in staff's words: no long verbatim run from a gold article."""
    laws = _regulation_articles(corpus_dir / "regulations")
    copied = []
    for q in _questions():
        if q["kind"] != "regulation":
            continue
        for g in q["gold"]:
            law, article = REG_GOLD.match(g).groups()
            run = _longest_common_substring(q["question"], laws[law][article].split(None, 1)[1])
            if run >= 12:
                copied.append((q["id"], g, run))
    assert copied == []


def test_kb_gold_points_at_an_existing_heading():
    bad = []
    for q in _questions():
        if q["kind"] != "report":
            continue
        for g in q["gold"]:
            stem, heading = KB_GOLD.match(g).groups()
            if not (KB / f"{stem}.md").is_file() or heading not in _kb_headings(stem):
                bad.append((q["id"], g))
    assert bad == []


@pytest.mark.parametrize("stem", KB_FILES)
def test_kb_file_size_and_headings(stem):
    text = (KB / f"{stem}.md").read_text(encoding="utf-8")
    assert 1500 <= len(HAN.findall(text)) <= 4000
    headings = _kb_headings(stem)
    assert len(headings) >= 4 and len(headings) == len(set(headings))


def test_kb_does_not_copy_regulation_text(corpus_dir):
    """Our own words: no kb text repeats a run of 24+ characters from a regulation article."""
    articles = [t for law in _regulation_articles(corpus_dir / "regulations").values() for t in law.values()]
    joined = "\n".join(articles)
    run = 24
    copied = []
    for stem in KB_FILES:
        text = (KB / f"{stem}.md").read_text(encoding="utf-8")
        for start in range(len(text) - run + 1):
            if text[start : start + run] in joined:
                copied.append((stem, text[start : start + run]))
    assert copied == []
