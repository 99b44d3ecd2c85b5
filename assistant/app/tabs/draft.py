"""起草: placeholder until drafting (``assistant.llm.Assistant.draft``) is wired in."""

from __future__ import annotations

from ..context import AppContext
from .placeholder import panel

TITLE = "起草"


def build(ctx: AppContext) -> None:
    panel(
        TITLE,
        "选择本年度（和上年度）报告，生成“五、存在的主要问题及改进情况”或“一、总体情况”的草稿，数字与表格不符处直接标出，可编辑后下载 .docx 或文本。",
        "xxgk draft 本年报告.docx --previous 上年报告.docx",
    )
