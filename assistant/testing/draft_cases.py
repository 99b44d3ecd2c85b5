"""Scripted model drafts for the draft guard: drafts that agree with a report's tables, written the
way a model writes section 五 (several wordings per figure), and copies with one planted error.

    text = agreeing_five(report, seed=3)            # every number and year matches the cells
    bad, planted = plant(text, report, "count", seed=3)   # one count changed; planted says which

Used by ``tests/test_llm_draft.py`` and ``evals/draft_guard.py``.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass

from ..report.model import Report
from ..rules.base import fmt_num

# sentences as reports write them, each about one subject; {key} is filled with the fact's value
_SENTENCES: tuple[tuple[str, ...], ...] = (
    (
        "全年共收到政府信息公开申请{new}件，其中予以公开{public}件、无法提供{unable}件",
        "本年度新收政府信息公开申请{new}件，办结{result_total}件，对其中{public}件申请予以公开",
        "全年受理依申请公开{new}件，上年结转{carried_over}件",
    ),
    ("全年发生政府信息公开行政复议{review_total}件", "因政府信息公开被申请行政复议{review_total}件"),
    ("依法公开行政处罚决定{penalty_decisions}件、行政许可决定{license_decisions}件", "全年公开行政处罚决定{penalty_decisions}件"),
    ("本年度制发行政规范性文件{normative_doc_issued}件", "全年印发行政规范性文件{normative_doc_issued}件"),
)
_OPENERS = (
    "（一）上年度问题整改情况\n针对{last}年度报告提出的政策解读形式单一、栏目更新不及时等问题，我们建立了栏目更新台账，丰富了图解、问答等解读形式，相关问题已基本整改到位。",
    "（一）上年度问题整改情况\n对照{last}年度报告中指出的问题，逐项制定整改措施：一是规范栏目更新，二是加强依申请公开答复审核，整改工作已完成。",
)
_PROBLEMS = (
    "（二）存在的主要问题\n{year}年，{claims}。对照新要求，仍存在以下不足：一是政策解读的针对性还不够强；二是依申请公开答复的说理还不够充分。",
    "（二）存在的主要问题\n从本年度情况看，{claims}。但主动公开的深度和广度仍有差距，个别栏目内容更新不够及时。",
)
_MEASURES = (
    "（三）改进措施\n一是围绕群众关切细化主动公开内容；二是完善依申请公开答复的审核机制；三是加强业务培训，提升工作人员的能力。",
    "（三）改进措施\n下一步，我们将健全政府信息管理台账，规范答复文书，持续提升政务公开质效。",
)


def _facts(report: Report) -> dict[str, float | int]:
    from ..llm.facts import report_facts

    return {f.key: f.value for f in report_facts(report) if f.value is not None}


def agreeing_five(report: Report, seed: int = 0, n_sentences: int = 3) -> str:
    """A draft of 五 whose every count and year agrees with ``report``."""
    rng = random.Random(seed)
    facts = {k: fmt_num(v) for k, v in _facts(report).items()}
    usable = []
    for group in _SENTENCES:
        options = [w for w in group if all(k in facts for k in re.findall(r"\{(\w+)\}", w))]
        if options:
            usable.append(rng.choice(options).format(**facts))
    rng.shuffle(usable)
    claims = "。".join(usable[:n_sentences])
    year = report.year or 2024
    return "\n".join(
        (
            rng.choice(_OPENERS).format(last=year - 1),
            rng.choice(_PROBLEMS).format(year=year, claims=claims),
            rng.choice(_MEASURES),
        )
    )


@dataclass(frozen=True)
class Planted:
    kind: str  # count | year
    sentence_hint: str  # the text written instead of the right one
    right: str
    wrong: str


def plant(text: str, report: Report, kind: str, seed: int = 0) -> tuple[str, Planted]:
    """``text`` with one error: ``count`` changes one stated count, ``year`` writes the report year
    as an earlier one (the copied-from-last-year defect)."""
    rng = random.Random(seed)
    if kind == "year":
        year = report.year or 2024
        wrong = str(year - rng.choice((1, 2)))
        i = text.index(f"{year}年") if f"{year}年" in text else -1
        if i < 0:  # no year to change: the draft opens its problems with one
            text = text.replace("（二）存在的主要问题\n", f"（二）存在的主要问题\n{year}年，我们按要求推进各项工作。", 1)
            i = text.index(f"{year}年")
        return text[:i] + wrong + text[i + 4 :], Planted("year", f"{wrong}年", f"{year}年", f"{wrong}年")
    counts = list(re.finditer(r"(\d+)件", text))
    m = rng.choice(counts)
    right = int(m.group(1))
    wrong = right + rng.choice((1, 2, 3, 5, 10)) if right < 3 or rng.random() < 0.6 else right - rng.choice((1, 2))
    new = text[: m.start(1)] + str(wrong) + text[m.end(1) :]
    return new, Planted("count", f"{wrong}件", f"{right}件", f"{wrong}件")
