"""The status line at the top of every page: model, index (laws, warnings), data dir, version."""

from __future__ import annotations

from html import escape
from typing import TYPE_CHECKING

from .. import __version__

if TYPE_CHECKING:
    from ..kb.base import Inventory
    from ..llm.client import Ping
    from ..settings import Settings
    from .context import AppContext, IndexStatus


def llm_text(settings: Settings, ping: Ping | None = None) -> str:
    """Configured or 离线模式; with a ping, whether the model answers (checked in the background)."""
    s = settings.llm
    if not s.enabled:
        return "离线模式（问答给出条文和段落原文，起草给出模板草稿；设置 XXGK_LLM__BASE_URL 后使用大模型）"
    if ping is None:
        return f"已配置 {s.model}（正在检查能否连通）"
    if ping.ok:
        return f"{s.model} 可用（响应 {ping.seconds or 0:.1f} 秒）"
    return f"已配置 {s.model}，但现在不可用：{ping.message}；问答和起草暂用离线模式"


def kb_text(inv: Inventory) -> str:
    if inv.chunks == 0:
        return "空"
    laws = sorted(inv.laws.items(), key=lambda kv: -kv[1])
    shown = "、".join(f"《{law}》{n}条" for law, n in laws[:4]) + (f" 等 {len(laws)} 部" if len(laws) > 4 else "")
    return f"{inv.files} 个文件、{inv.chunks} 个文本块；法规：{shown or '无'}"


def status_html(settings: Settings, inv: Inventory, job: IndexStatus, ping: Ping | None = None) -> str:
    """The facts on one line, then what needs attention (indexing progress, warnings); escaped HTML."""
    facts = " ｜ ".join(
        f"<b>{k}</b>：{escape(v)}"
        for k, v in (("大模型", llm_text(settings, ping)), ("知识库", kb_text(inv)), ("数据目录", str(settings.home)), ("版本", __version__))
    )
    notes: list[tuple[str, str]] = []
    if job.running:
        notes.append(("status-busy", job.text()))
    else:
        if job.message:
            notes.append(("status-warn" if job.error else "status-ok", job.message))
        notes += [("status-warn", "注意：" + w) for w in inv.warnings()]
    return f"<div>{facts}</div>" + "".join(f"<div class='{cls}'>{escape(text)}</div>" for cls, text in notes)


def status_for(ctx: AppContext) -> str:
    return status_html(ctx.settings, ctx.inventory(), ctx.job.snapshot(), ctx.llm_ping())


__all__ = ["kb_text", "llm_text", "status_for", "status_html"]
