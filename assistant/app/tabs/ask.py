"""问答: placeholder until the chat (``assistant.llm.Assistant``) is wired in."""

from __future__ import annotations

from ..context import AppContext
from .placeholder import panel

TITLE = "问答"


def build(ctx: AppContext) -> None:
    panel(
        TITLE,
        "就政府信息公开的法规和年报填报提问，回答逐条注明依据（法规条文或往年报告章节），可追问，也可针对上传的报告提问。",
        'xxgk ask "申请人要求确认已获取的信息怎么处理"',
    )
