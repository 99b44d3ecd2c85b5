"""问答 and 起草 share this: the report a user picked (uploaded, or the bundled sample) and the
:class:`~assistant.llm.Assistant` bound to the app's knowledge base. Gradio-free; the tabs call it.

A chat turn is a generator of ``(messages, sources_html)``: the messages in Gradio's format
(``{"role", "content"}``) growing as the model writes, then the checked answer with its mode and
flags, and the sources panel (citations with their passages, report figures used).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..llm.ask import Answer, Assistant, normalise_history
from .context import AppContext

if TYPE_CHECKING:
    from ..report.model import Report
    from ..rules.base import Finding

SAMPLE_NAME = "青禾县人民政府_2024.html"  # the bundled sample report (corpus/samples/), with its 2023 report


@dataclass
class ReportSlot:
    """A report chosen for 针对本报告 or for drafting: parsed, checked, paired with last year's."""

    name: str
    report: Report
    findings: list[Finding] = field(default_factory=list)
    previous: Report | None = None
    previous_name: str = ""

    def label(self) -> str:
        r = self.report
        who = f"{r.agency or '（未读出机关名称）'} {r.year or '（未读出年度）'}年度"
        prev = f"；上年报告：{self.previous_name}" if self.previous is not None else "；未提供上年报告"
        return f"已载入「{self.name}」（{who}，审核发现 {len(self.findings)} 条问题{prev}）"


def assistant_for(ctx: AppContext) -> Assistant:
    """The app's assistant on its knowledge base, taking turns with indexing."""
    return ctx.assistant()


def load_slot(ctx: AppContext, report_file: str | Path | None, previous_file: str | Path | None = None) -> tuple[ReportSlot | None, str]:
    """(slot, Chinese note) for an uploaded report and optional last-year report."""
    from . import workspace as ws

    if not report_file:
        return None, "请先上传一份报告（或点「使用示例报告」）。"
    session = ws.review_files([report_file], [previous_file] if previous_file else [], work_dir=ctx.uploads_dir, limits=ctx.limits)
    res = next((r for r in session.results if r.report is not None), None)
    if res is None:
        return None, "；".join(session.notices) or "无法读取这份报告。"
    prev_name = Path(res.previous_source).name if res.previous is not None and res.previous_source else ""
    slot = ReportSlot(Path(res.source).name, res.report, list(res.findings), res.previous, prev_name)
    return slot, slot.label()


def sample_slot(corpus: Path | None) -> tuple[ReportSlot | None, str]:
    """The bundled sample report and its previous year, for a first try."""
    from ..review import review_paths

    if corpus is None or not (corpus / "samples" / SAMPLE_NAME).is_file():
        return None, "找不到随附的示例报告（corpus/samples/）。"
    res = review_paths([corpus / "samples" / SAMPLE_NAME])[0]
    prev = res.previous
    slot = ReportSlot(SAMPLE_NAME, res.report, list(res.findings), prev, Path(res.previous_source).name if prev else "")
    return slot, slot.label()


def _mode_line(a: Answer, model: str) -> str:
    mode = f"大模型 {model}" if a.mode == "llm" else "离线模式"
    return f"〔{mode}〕" + (f" {a.notice}" if a.notice else "")


def chat_turn(
    ctx: AppContext, question: str, history: Sequence[dict[str, Any]], slot: ReportSlot | None = None, assistant: Assistant | None = None
) -> Iterator[tuple[list[dict[str, Any]], str]]:
    """One question: ``(messages, sources_html)`` while the answer streams, then the final pair."""
    question = (question or "").strip()
    past = [{"role": r, "content": t} for r, t in normalise_history(history)]
    if not question:
        yield past, sources_html(None)
        return
    assistant = assistant or assistant_for(ctx)
    msgs = [*past, {"role": "user", "content": question}, {"role": "assistant", "content": ""}]
    yield msgs, "<div class='src-wait'>正在检索和作答……</div>"
    report, findings = (slot.report, slot.findings) if slot is not None else (None, None)
    for item in assistant.ask_stream(question, past, report, findings):
        if isinstance(item, Answer):
            msgs[-1] = {"role": "assistant", "content": f"{item.answer}\n\n{_mode_line(item, assistant.chat.label)}"}
            yield msgs, sources_html(item)
        else:
            msgs[-1] = {"role": "assistant", "content": msgs[-1]["content"] + item}
            yield msgs, "<div class='src-wait'>正在作答……</div>"


def sources_html(a: Answer | None) -> str:
    """The sources panel beside an answer: mode, each citation with its passage, figures, flags."""
    if a is None:
        return "<div class='src-empty'>提问后，这里列出回答所依据的法规条文或报告章节及原文。</div>"
    out = [f"<div class='src-mode'>{'大模型作答' if a.mode == 'llm' else '离线模式：知识库原文'}</div>"]
    if a.standalone and a.standalone != a.question:
        out.append(f"<div class='src-q'>按上下文理解为：{escape(a.standalone)}</div>")
    if a.no_basis:
        out.append("<div class='src-none'>知识库中没有找到依据，未引用任何条文。</div>")
    for c in a.citations:
        head, _, body = c.text.partition("\n")
        out.append(
            f"<details class='src-item' open><summary><b>{escape(c.marker)} {escape(c.citation)}</b></summary>"
            + (f"<div class='src-via'>经由：{escape(c.via)}</div>" if c.via else "")
            + f"<div class='src-text'>{escape(body or head)}</div><div class='src-file'>{escape(Path(c.source).name or c.source)}</div></details>"
        )
    if a.facts:
        rows = "".join(f"<li>{escape(f.line()[2:])}</li>" for f in a.facts)
        out.append(f"<div class='src-facts'><b>报告数据（由表格单元格计算）</b><ul>{rows}</ul></div>")
    if a.flags:
        rows = "".join(f"<li>{escape(f['problem'])}</li>" for f in a.flags)
        out.append(f"<div class='src-flags'><b>请注意</b><ul>{rows}</ul></div>")
    return "".join(out)


__all__ = ["ReportSlot", "assistant_for", "chat_turn", "load_slot", "sample_slot", "sources_html"]
