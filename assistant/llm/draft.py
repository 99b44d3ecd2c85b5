"""Draft: section 五 (or 一) of a report, grounded in its cells and findings and last year's 五,
and always checked by the guard before it is returned.

With a model: draft, guard; if the guard flags anything, one more attempt with the flags as
feedback, guard again, and return that draft with whatever is still flagged — never silently.
Without a model (or when it fails): the template draft of :mod:`.templates`, guarded too.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from ..errors import LlmError, UsageError
from . import templates
from .facts import facts_text, findings_text, report_facts
from .guard import check_draft, problems_text

if TYPE_CHECKING:
    from ..report.model import Report
    from ..rules.base import Finding
    from .ask import Assistant

Section = Literal["五", "一"]


@dataclass
class Draft:
    section: str
    text: str
    mode: Literal["llm", "offline"]
    flags: list[dict[str, Any]] = field(default_factory=list)
    attempts: int = 1  # model calls made (2 when the first draft was sent back)
    first_flags: list[dict[str, Any]] = field(default_factory=list)  # what the guard found in attempt 1
    notice: str | None = None
    edited: bool = False  # a person changed the text after drafting (the app's 重新校验)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"text": self.text, "mode": self.mode, "flags": self.flags, "section": self.section, "attempts": self.attempts}
        if self.edited:
            d["edited"] = True
        if self.first_flags and self.attempts > 1:
            d["first_attempt_flags"] = self.first_flags
        if self.notice:
            d["notice"] = self.notice
        return d


    def heading(self) -> str:
        from .guard import SECTION_TITLES

        return SECTION_TITLES[self.section]

    def flags_text(self) -> str:
        """The guard's verdict in Chinese, one line per flag."""
        if not self.flags:
            return "校验通过：草稿中的数字和年份与统计表、报告年度一致。"
        lines = [f"校验发现 {len(self.flags)} 处需要核对："]
        for i, fl in enumerate(self.flags, 1):
            where = f"“{fl['sentence']}”——" if fl.get("sentence") else ""
            lines.append(f"{i}. {where}{fl['problem']}")
        return "\n".join(lines)

    def to_docx(self, path: Path, title: str = "") -> None:
        """The draft as a Word file: heading, paragraphs, and the guard's verdict after a rule."""
        import docx
        from docx.shared import Pt

        doc = docx.Document()
        style = doc.styles["Normal"]
        style.font.name = "宋体"
        style.font.size = Pt(12)
        if title:
            doc.add_heading(title, level=1)
        doc.add_heading(self.heading(), level=2)
        for para in self.text.split("\n"):
            if para.strip():
                doc.add_paragraph(para.strip())
        doc.add_paragraph("—" * 20)
        mode = "大模型起草" if self.mode == "llm" else "离线模式（模板起草）"
        if self.edited:
            mode += "，人工修改"
        doc.add_paragraph(f"起草方式：{mode}。{self.flags_text()}")
        doc.save(str(path))


def _articles(assistant: Assistant) -> dict[str, set[str]] | None:
    try:
        with assistant.kb_use() as kb:
            return kb.articles() or None
    except Exception:  # noqa: BLE001 - no index yet: citations are simply not checked
        return None


def draft_stream(
    assistant: Assistant,
    report: Report,
    *,
    previous: Report | None = None,
    section: str = "五",
    findings: list[Finding] | None = None,
) -> Iterator[str | Draft]:
    """Pieces of the first attempt as the model writes them, then the guarded :class:`Draft`."""
    if section not in ("五", "一"):
        raise UsageError(f"不支持起草第“{section}”部分", "可起草的部分：五（存在的主要问题及改进情况）、一（总体情况）")
    if findings is None:
        from ..rules.engine import check_report

        findings = check_report(report, previous=previous)
    facts = report_facts(report)
    prev_five = previous.section("五") if previous is not None else None
    articles = _articles(assistant)

    def guard(text: str) -> list[dict[str, Any]]:
        return check_draft(report, text, section=section, previous=previous, facts=facts, articles=articles)

    def offline(notice: str | None = None) -> Draft:
        text = templates.draft_five(report, facts, prev_five.text if prev_five else None) if section == "五" else templates.draft_one(report, facts)
        return Draft(section, text, "offline", guard(text), attempts=0, notice=notice)

    if not assistant.chat.enabled:
        yield offline()
        return
    year = report.year
    if section == "五":
        messages = assistant._prompt(
            "draft_five",
            agency=report.agency or "本机关",
            year=year or "本",
            previous_year=(year - 1) if year else "上一",
            facts=facts_text(report, facts),
            findings=findings_text(findings),
            previous_five=prev_five.text.strip() if prev_five and prev_five.text.strip() else "（未提供上年报告）",
        )
    else:
        messages = assistant._prompt(
            "draft_one",
            agency=report.agency or "本机关",
            year=year or "本",
            agency_kind=report.agency_kind or "行政机关",
            facts=facts_text(report, facts),
        )
    try:
        got: list[str] = []
        for piece in assistant.chat.stream(messages):
            got.append(piece)
            yield piece
        text = _strip_title("".join(got), section)
        flags = guard(text)
        if not flags:
            yield Draft(section, text, "llm")
            return
        first = flags
        retry = [*messages, ("assistant", text), *assistant._prompt("draft_fix", problems=problems_text(flags))]
        text2 = _strip_title(assistant.chat.complete(retry), section)
        yield Draft(section, text2, "llm", guard(text2), attempts=2, first_flags=first)
    except LlmError as e:
        yield offline(notice=str(e))


def _strip_title(text: str, section: str) -> str:
    """The model sometimes repeats the heading it was told to leave out."""
    from .guard import SECTION_TITLES

    text = text.strip()
    title = SECTION_TITLES[section]
    for head in (title, title.split("、", 1)[1]):
        if text.startswith(head):
            return text[len(head) :].lstrip("：:\n ")
    return text
