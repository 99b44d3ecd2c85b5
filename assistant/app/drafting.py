"""起草: draft 五 (or 一) for the chosen report, show the guard's flags on the sentences, re-check an
edited text, save it as Word or text. Gradio-free; ``tabs/draft.py`` wires it."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from html import escape
from pathlib import Path

from ..llm.draft import Draft
from ..llm.guard import check_draft
from .chat import ReportSlot, assistant_for
from .context import AppContext
from .uploads import safe_name

SECTIONS = {"五、存在的主要问题及改进情况": "五", "一、总体情况": "一"}


def draft_events(ctx: AppContext, slot: ReportSlot | None, section: str) -> Iterator[tuple[str, str, Draft | None]]:
    """``(text, verdict_html, draft)``: the model's first attempt as it streams, then the guarded draft."""
    if slot is None:
        yield "", verdict_html(None, "请先上传报告（或点「使用示例报告」）。"), None
        return
    assistant = assistant_for(ctx)
    got = ""
    yield "", "<div class='draft-wait'>正在起草……</div>", None
    for item in assistant.draft_stream(slot.report, previous=slot.previous, section=section, findings=slot.findings):
        if isinstance(item, Draft):
            yield item.text, verdict_html(item), item
            return
        got += item
        yield got, "<div class='draft-wait'>正在起草，写完后逐句校验……</div>", None


def recheck(ctx: AppContext, slot: ReportSlot | None, section: str, text: str, mode: str = "offline") -> tuple[str, Draft | None]:
    """The guard on an edited draft: (verdict_html, the draft with its new flags)."""
    if slot is None or not (text or "").strip():
        return verdict_html(None, "没有可校验的草稿。"), None
    with assistant_for(ctx).kb_use() as kb:
        articles = kb.articles() or None
    flags = check_draft(slot.report, text, section=section, previous=slot.previous, articles=articles)
    d = Draft(section, text.strip(), "llm" if mode == "llm" else "offline", flags, attempts=0, edited=True)
    return verdict_html(d), d


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。；！？\n])", text) if s]


def verdict_html(d: Draft | None, note: str = "") -> str:
    """The draft with flagged sentences marked, then the list of what to check (escaped HTML)."""
    if d is None:
        return f"<div class='draft-note'>{escape(note)}</div>"
    mode = "大模型起草" if d.mode == "llm" else "离线模式：模板草稿（【】处请补充）"
    if d.edited:
        mode = "修改稿，已重新校验"
    head = f"<div class='draft-mode'>{escape(mode)}" + ("；初稿校验未通过，已带着问题重写一次" if d.attempts > 1 else "") + "</div>"
    if d.notice:
        head += f"<div class='draft-notice'>{escape(d.notice)}</div>"
    if not d.flags:
        return head + "<div class='draft-ok'>校验通过：草稿中的数字和年份与统计表、报告年度一致。</div>"
    flagged = [f for f in d.flags if f.get("sentence")]
    marked = []
    for s in _sentences(d.text):
        hits = [i for i, f in enumerate(flagged, 1) if _same(f["sentence"], s)]
        body = escape(s).replace("\n", "<br>")
        marked.append(f"<mark class='draft-flag' title='见第 {'、'.join(map(str, hits))} 条'>{body}<sup>{'、'.join(map(str, hits))}</sup></mark>" if hits else body)
    items = "".join(
        f"<li><b>{escape(f.get('rule') or '数字来源')}</b> {escape(f['problem'])}</li>" for f in flagged
    ) + "".join(f"<li>{escape(f['problem'])}</li>" for f in d.flags if not f.get("sentence"))
    return (
        head
        + f"<div class='draft-bad'>校验发现 {len(d.flags)} 处需要核对（标黄的句子）：</div><ol class='draft-flags'>{items}</ol>"
        + f"<div class='draft-marked'>{''.join(marked)}</div>"
    )


def _same(flagged: str, sentence: str) -> bool:
    a, b = re.sub(r"\s", "", flagged), re.sub(r"\s", "", sentence)
    return bool(a) and (a in b or b.strip("。；") in a)


def export_draft(ctx: AppContext, slot: ReportSlot | None, section: str, text: str, fmt: str, mode: str = "offline") -> Path | None:
    """Write the (edited) draft under the exports folder as .docx or .txt; None without a draft."""
    if slot is None or not (text or "").strip():
        return None
    _, d = recheck(ctx, slot, section, text, mode)
    assert d is not None
    r = slot.report
    title = f"{r.agency or ''}{r.year or ''}年政府信息公开工作年度报告（草稿）"
    out_dir = ctx.exports_dir / time.strftime("%Y%m%d-%H%M%S")
    out_dir.mkdir(parents=True, exist_ok=True)
    stem = safe_name(f"{r.agency or '草稿'}{r.year or ''}_{d.heading()}")
    if fmt == "docx":
        path = out_dir / f"{stem}.docx"
        d.to_docx(path, title=title)
    else:
        path = out_dir / f"{stem}.txt"
        path.write_text(f"{title}\n{d.heading()}\n{d.text}\n\n{d.flags_text()}\n", encoding="utf-8")
    return path


__all__ = ["SECTIONS", "draft_events", "export_draft", "recheck", "verdict_html"]
