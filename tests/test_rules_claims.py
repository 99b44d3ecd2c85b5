"""Narrative claims about tables 2 and 4, as data (``_claimdata``): every kind, in every report form.

For each claim kind a sentence in report wording is added to section 一 of a synthetic report (tables
2 and 4 filled with distinct non-zero figures), rendered as text dump, HTML, DOCX, PDF and Markdown,
read back and checked by the whole catalogue: the agreeing sentence raises nothing (and is read as a
claim of its kind: an unread sentence would agree trivially); the contradicting one raises exactly
one warning of the kind's rule, on the kind's cells, quoting that sentence.
"""

from __future__ import annotations

import pytest
import yaml

from assistant.report import read_report
from assistant.rules._claimdata import KINDS
from assistant.rules._claims import claims, sentence_claims
from assistant.rules._numbers import normalise
from assistant.rules.engine import check_report
from assistant.rules.narrative import _readings
from assistant.testing.synth import FORMS, clean_report, render, write_sections

from .conftest import FIXTURES

T4 = {  # group: upheld, corrected, other, pending (total = their sum)
    "review": (2, 1, 3, 1),
    "suit_direct": (2, 1, 0, 1),
    "suit_after_review": (1, 0, 1, 0),
}
T2 = {"t2.regulation.issued": 1, "t2.regulation.repealed": 2, "t2.regulation.in_force": 9,
      "t2.normative_doc.issued": 6, "t2.normative_doc.repealed": 3, "t2.normative_doc.in_force": 41,
      "t2.license.decisions": 120, "t2.penalty.decisions": 53, "t2.coercion.decisions": 4, "t2.fee.amount": 21.5}  # fmt: skip
R = {"upheld": 2, "corrected": 1, "other": 3, "pending": 1, "total": 7}
S = {"upheld": 3, "corrected": 1, "other": 1, "pending": 1, "total": 6}  # both suit groups

# kind -> sentence stating {v} for it (other numbers in the sentence agree with the tables above)
SENTENCES = {
    "regulation.issued": "全年制定政府规章{v}件。",
    "regulation.repealed": "本年度废止规章{v}件。",
    "regulation.in_force": "截至年底现行有效规章{v}件。",
    "normative_doc.issued": "全年印发行政规范性文件{v}件。",
    "normative_doc.repealed": "清理行政规范性文件，其中废止{v}件。",
    "normative_doc.in_force": "现行有效的行政规范性文件共{v}件。",
    "license": "全年共办理行政许可{v}件。",
    "penalty": "全年共作出行政处罚决定{v}件。",
    "coercion": "实施行政强制措施{v}件。",
    "fee": "全年行政事业性收费{v}万元。",
    "review": "本年度被申请政府信息公开行政复议{v}件。",
    "suit": "因政府信息公开被提起行政诉讼{v}件。",
    "suit_direct": "政府信息公开行政诉讼中，未经复议直接起诉{v}件。",
    "suit_after_review": "政府信息公开行政诉讼中，复议后起诉{v}件。",
    **{f"review.{c}": f"政府信息公开行政复议{R['total']}件，其中{w}{{v}}件。" for c, w in
       (("upheld", "结果维持"), ("corrected", "被纠正"), ("other", "其他结果"), ("pending", "尚未审结"))},
    **{f"suit.{c}": f"政府信息公开行政诉讼{S['total']}件，其中{w}{{v}}件。" for c, w in
       (("upheld", "维持"), ("corrected", "结果纠正"), ("other", "其他结果"), ("pending", "尚未审结"))},
    "litigation": "全年政府信息公开行政复议、行政诉讼案件共{v}件。",
    "litigation.corrected": f"全年发生政府信息公开行政复议{R['total']}件、行政诉讼{S['total']}件，其中被纠错{{v}}件。",
}  # fmt: skip
AGREE = {k: (R if k.startswith("review") else S)[k.split(".")[1]] for k in SENTENCES if k.startswith(("review.", "suit."))}
AGREE |= {"review": R["total"], "suit": S["total"], "suit_direct": 4, "suit_after_review": 2,
          "litigation": R["total"] + S["total"], "litigation.corrected": R["corrected"] + S["corrected"]}  # fmt: skip
AGREE |= {k: T2[f"t2.{k}"] for k in SENTENCES if k.startswith(("regulation", "normative_doc"))}
AGREE |= {"license": 120, "penalty": 53, "coercion": 4, "fee": 21.5}
NAR = "NAR-"


def _report(sentences: list[str]):
    r = clean_report("临川市人民政府", 2024, seed=5)
    r.cells.update(T2)
    for g, (up, co, ot, pe) in T4.items():
        r.cells.update({f"t4.{g}.upheld": up, f"t4.{g}.corrected": co, f"t4.{g}.other": ot, f"t4.{g}.pending": pe,
                        f"t4.{g}.total": up + co + ot + pe})  # fmt: skip
    r.sections = write_sections(r, None)
    head, body = r.sections[0]
    r.sections[0] = (head, body + "\n" + "".join(sentences))
    return r


def _wrong(kind: str) -> float:
    return AGREE[kind] + (5.5 if kind == "fee" else 3)


def test_every_table_2_and_4_kind_has_a_sentence_read_as_that_kind():
    tables_2_4 = {k for k, spec in KINDS.items() if spec.readings[0][0].startswith(("t2.", "t4."))}
    # the results of one suit group or of an unnamed group read the same cells as those tested here
    assert set(SENTENCES) == {k for k in tables_2_4 if not k.startswith(("suit_direct.", "suit_after_review.", "cases."))
                              and k not in ("litigation.upheld", "litigation.other", "litigation.pending")}  # fmt: skip
    for kind, text in SENTENCES.items():
        got = sentence_claims(normalise(text.format(v=AGREE[kind])), 2024)
        assert (kind, AGREE[kind]) in [(k, v) for k, v, _w in got], (kind, got)


@pytest.mark.parametrize("form", list(FORMS))
def test_agreeing_sentences_raise_nothing_in_every_form(tmp_path, form):
    texts = [SENTENCES[k].format(v=AGREE[k]) for k in SENTENCES]
    report = read_report(render(_report(texts), form, tmp_path / "r"))
    read = {(c.kind, c.value) for c in claims(report)}
    assert {(k, AGREE[k]) for k in SENTENCES} <= read  # each sentence was read as its claim
    assert [f.message for f in check_report(report) if f.rule.startswith(NAR)] == []


@pytest.mark.parametrize("form", list(FORMS))
def test_each_contradiction_is_one_warning_on_its_cells_in_every_form(tmp_path, form):
    texts = {k: SENTENCES[k].format(v=f"{_wrong(k):g}") for k in SENTENCES}
    report = read_report(render(_report(list(texts.values())), form, tmp_path / "r"))
    findings = [f for f in check_report(report) if f.rule.startswith(NAR)]
    for kind, text in texts.items():
        mine = [f for f in findings if f.quote and normalise(text) in f.quote]
        assert len(mine) == 1, (kind, [f.message for f in mine])
        (f,) = mine
        want = _readings(kind, report)[0]
        assert (f.rule, f.severity, f.cells) == (KINDS[kind].rule, "warning", want.cells), kind
        assert f.actual == pytest.approx(_wrong(kind)) and f.expected == pytest.approx(AGREE[kind])
        assert f"{_wrong(kind):g}" in f.message
    assert len(findings) == len(texts)


def test_dev_wordings_are_read_exactly():
    """tests/fixtures/claims/dev.yml: the wordings used to write the claim kinds (heldout.yml is measured only)."""
    data = yaml.safe_load((FIXTURES / "claims" / "dev.yml").read_text(encoding="utf-8"))
    for item in data["sentences"]:
        got = sorted((k, round(float(v), 4)) for k, v, _w in sentence_claims(normalise(item["text"]), 2024))
        want = sorted((k, round(float(v), 4)) for k, v in item["claims"])
        assert got == want, item["text"]


def test_a_new_wording_is_one_line_of_data(monkeypatch):
    """A reviewer's wording the words do not know yet (处罚决定 without 行政) is read once it is added to WORDS."""
    import importlib

    from assistant.rules import _claimdata, _claims

    sentence = normalise("全年作出处罚决定12件。")
    assert sentence_claims(sentence, 2024) == ()
    monkeypatch.setattr(_claimdata, "WORDS", (*_claimdata.WORDS, ("penalty", r"处罚决定")))
    try:
        fresh = importlib.reload(_claims)
        assert [(k, v) for k, v, _w in fresh.sentence_claims(sentence, 2024)] == [("penalty", 12)]
    finally:
        monkeypatch.undo()
        importlib.reload(_claims)
