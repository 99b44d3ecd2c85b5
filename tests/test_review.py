"""The review API behind CLI and UI: batches, automatic pairing with last year's report."""

from __future__ import annotations

import shutil

from assistant.review import exit_code, expand_paths, review_paths
from assistant.testing.synth import clean_report, render


def _pair(tmp_path, *, carry_defect: bool):
    prev = clean_report(agency="青禾县人民政府", year=2023, seed=1)
    cur = clean_report(agency="青禾县人民政府", year=2024, seed=2, previous=prev)
    if carry_defect:
        prev = prev.copy()
        prev.cells["t3.carry_forward.natural"] += 1
        prev.cells["t3.carry_forward.total"] += 1
        prev.cells["t3.new.natural"] += 1  # keep last year's own balance intact
        prev.cells["t3.new.total"] += 1
    (tmp_path / "去年").mkdir()
    (tmp_path / "今年").mkdir()
    a = render(prev, "html", tmp_path / "去年")
    b = render(cur, "docx", tmp_path / "今年")
    return a, b


def test_last_years_report_in_the_batch_is_paired_automatically(tmp_path):
    a, b = _pair(tmp_path, carry_defect=True)
    results = review_paths([tmp_path])
    by_year = {r.report.year: r for r in results}
    assert by_year[2024].previous_source == str(a)
    carry = [f for f in by_year[2024].findings if f.rule == "XY-CARRY"]
    assert [f.cells for f in carry] == [("t3.carried_over.natural",), ("t3.carried_over.total",)]
    assert all(f.severity == "error" for f in carry)
    assert exit_code(results) == 1
    assert by_year[2023].previous_source is None


def test_previous_given_explicitly_and_clean_pair(tmp_path):
    a, b = _pair(tmp_path, carry_defect=False)
    results = review_paths([b], previous=[a])
    assert results[0].previous_source == str(a)
    assert [f for f in results[0].findings if f.severity == "error"] == []
    assert exit_code(results) == 0


def test_previous_found_in_a_corpus_folder(tmp_path):
    a, b = _pair(tmp_path, carry_defect=True)
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.move(str(a), corpus / a.name)
    results = review_paths([b], corpus=[corpus])
    assert results[0].previous_source == str(corpus / a.name)
    assert any(f.rule == "XY-CARRY" for f in results[0].findings)


def test_expand_paths_recurses_and_deduplicates(tmp_path):
    a, b = _pair(tmp_path, carry_defect=False)
    (tmp_path / "今年" / "notes.json").write_text("{}", encoding="utf-8")
    files = expand_paths([tmp_path, b])
    assert sorted(files) == sorted([a, b])


def test_unreadable_previous_is_reported_not_ignored(tmp_path):
    a, b = _pair(tmp_path, carry_defect=False)
    bad = tmp_path / "去年" / "坏文件.pdf"
    bad.write_bytes(b"%PDF-1.4 garbage")
    results = review_paths([b], previous=[bad])
    assert exit_code(results) == 2
    assert [r.source for r in results if r.error is not None] == [str(bad)]
