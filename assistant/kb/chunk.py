"""Chunkers: a regulation per article, a report per section (plus its tables as facts), a guide per heading.

Every :class:`Chunk` carries the citation a hit shows (``《政府信息公开条例》第三十六条``,
``某某区人民政府2023年度报告 五、存在的主要问题及改进情况``) and flat metadata that Chroma can
filter on (str/int values only).
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the report model is only needed for typing; chunk_report takes a built Report
    from ..report.model import Report

DOC_REGULATION = "regulation"
DOC_REPORT = "report"
DOC_REPORT_TABLE = "report_table"
DOC_GUIDE = "guide"

_CN_NUM = "零〇一二三四五六七八九十百千"
ARTICLE_RE = re.compile(rf"^\s*(第[{_CN_NUM}]+条(?:之[{_CN_NUM}]+)?)(?:[\s\u3000\u00a0\u200b]+|$)")
CHAPTER_RE = re.compile(rf"^[#\s]*(第[{_CN_NUM}]+章)[\s\u3000]*(.*)$")
SECTION_RE = re.compile(rf"^[#\s]*(第[{_CN_NUM}]+节)[\s\u3000]*(.*)$")
FILE_NAME_RE = re.compile(r"^(?P<name>.+?)\s*[（(](?P<date>\d{4}-\d{2}-\d{2})[)）]\s*$")
INFO_END = "<!-- INFO END -->"
COUNTRY_PREFIX = "中华人民共和国"


@dataclass(frozen=True)
class Chunk:
    """One retrievable unit. ``id`` is stable for the same source, position and text."""

    id: str
    text: str
    citation: str
    source: str
    metadata: dict[str, str | int] = field(default_factory=dict)

    @property
    def content_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


def chunk_id(source: str, key: str, text: str) -> str:
    h = hashlib.sha256(f"{source}\x00{key}\x00{text}".encode()).hexdigest()
    return h[:24]


def short_law_name(name: str) -> str:
    """``中华人民共和国政府信息公开条例`` → ``政府信息公开条例``; other titles stay as they are."""
    name = name.strip().strip("《》").strip()
    if name.startswith(COUNTRY_PREFIX) and len(name) > len(COUNTRY_PREFIX):
        name = name[len(COUNTRY_PREFIX) :]
    return name


def law_from_filename(path: str | Path) -> tuple[str | None, str | None]:
    """``政府信息公开条例(2019-04-03).md`` → (``政府信息公开条例``, ``2019-04-03``)."""
    stem = Path(path).stem
    m = FILE_NAME_RE.match(stem)
    if m:
        return short_law_name(m.group("name")), m.group("date")
    return None, None


def _clean(line: str) -> str:
    return line.replace("\u200b", "").replace("\ufeff", "").rstrip()


def looks_like_regulation(text: str, minimum: int = 3) -> bool:
    """At least ``minimum`` lines that open with ``第X条``."""
    count = 0
    for line in text.splitlines():
        if ARTICLE_RE.match(_clean(line)):
            count += 1
            if count >= minimum:
                return True
    return False


def _title_from_text(lines: list[str]) -> str | None:
    for line in lines:
        s = line.strip()
        if s.startswith("# "):
            return s[2:].strip()
        if s and not s.startswith("#"):
            return None
    return None


def chunk_regulation(
    text: str, source: str, *, law: str | None = None, version: str | None = None
) -> list[Chunk]:
    """One chunk per article (``第X条``, ``第X条之一``), with 章/节 kept as metadata.

    The law's name and version date come from the file name (``条例名(YYYY-MM-DD).md``) unless
    given; without either the first ``# 标题`` line names the law.
    """
    lines = [_clean(x) for x in text.splitlines()]
    f_law, f_version = law_from_filename(source)
    law = short_law_name(law or f_law or _title_from_text(lines) or Path(source).stem)
    version = version or f_version or ""
    start = 0
    for i, line in enumerate(lines):
        if line.strip() == INFO_END:
            start = i + 1
            break
    chapter = section = ""
    current: tuple[str, str, str] | None = None  # (article, chapter, section)
    body: list[str] = []
    out: list[Chunk] = []

    def flush() -> None:
        if current is None:
            return
        article, chap, sec = current
        content = "\n".join(x for x in body if x.strip()).strip()
        if not content:
            return
        citation = f"《{law}》{article}"
        head = " ".join(x for x in (chap, sec) if x)
        full = f"{citation}" + (f"（{head}）" if head else "") + f"\n{content}"
        meta: dict[str, str | int] = {
            "doc_type": DOC_REGULATION,
            "law": law,
            "version": version,
            "chapter": chap,
            "section": sec,
            "article": article,
            "order": len(out),
        }
        out.append(Chunk(chunk_id(source, article + str(len(out)), full), full, citation, source, meta))

    for line in lines[start:]:
        s = line.strip()
        if not s:
            continue
        heading_like = s.startswith("#") or (len(s) <= 30 and not re.search("[，。；：]", s))
        m_ch = CHAPTER_RE.match(s) if heading_like else None
        if m_ch:
            flush()
            current, body = None, []
            chapter = f"{m_ch.group(1)} {re.sub(r'[ 　]+', '', m_ch.group(2))}".strip()
            section = ""
            continue
        m_se = SECTION_RE.match(s) if heading_like else None
        if m_se:
            flush()
            current, body = None, []
            section = f"{m_se.group(1)} {re.sub(r'[ 　]+', '', m_se.group(2))}".strip()
            continue
        if s.startswith("#"):
            continue
        m_ar = ARTICLE_RE.match(s)
        if m_ar:
            flush()
            current = (m_ar.group(1), chapter, section)
            body = [s[m_ar.end() :].strip()]
            continue
        if current is not None:
            body.append(s)
    flush()
    return out


def report_label(report: Report) -> str:
    agency = report.agency or Path(report.source).stem
    year = f"{report.year}年" if report.year else ""
    return f"{agency}{year}政府信息公开工作年度报告"


def chunk_report(report: Report, source: str, *, max_chars: int = 600) -> list[Chunk]:
    """Sections as chunks (long ones split at paragraph boundaries), tables as fact chunks."""
    label = report_label(report)
    base: dict[str, str | int] = {"doc_type": DOC_REPORT, "agency": report.agency or "", "source_name": Path(source).name}
    if report.year:
        base["year"] = int(report.year)
    out: list[Chunk] = []
    for sec in report.sections:
        title = sec.title.strip()
        for part_no, part in enumerate(_split_paragraphs(sec.text, max_chars)):
            citation = f"{label} {title}"
            text = f"{citation}\n{part}"
            meta = dict(base, section=title, section_no=sec.canonical or sec.number or "", order=len(out))
            out.append(Chunk(chunk_id(source, f"s{title}{part_no}", text), text, citation, source, meta))
    for key, title, lines in _table_facts(report):
        citation = f"{label} {title}"
        text = citation + "\n" + "\n".join(lines)
        meta = dict(base, doc_type=DOC_REPORT_TABLE, section=title, table=key, order=len(out))
        out.append(Chunk(chunk_id(source, key, text), text, citation, source, meta))
    return out


def _split_paragraphs(text: str, max_chars: int) -> list[str]:
    paras = [p.strip() for p in text.splitlines() if p.strip()]
    parts: list[str] = []
    buf = ""
    for p in paras:
        if buf and len(buf) + len(p) + 1 > max_chars:
            parts.append(buf)
            buf = p
        else:
            buf = f"{buf}\n{p}" if buf else p
    if buf:
        parts.append(buf)
    return parts


def _fmt(v: int | float | None) -> str:
    if v is None:
        return "未读出"
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def _table_facts(report: Report) -> list[tuple[str, str, list[str]]]:
    """(key, title, lines): 表二 and 表四 whole, 表三 one fact chunk per row."""
    from ..report.cells import T2_CELLS, T3_COLUMN_LABELS, T3_COLUMNS, T3_ROWS, T4_CELLS, cell_label

    out: list[tuple[str, str, list[str]]] = []
    t2 = [f"{cell_label(c)[3:]}：{_fmt(report.value(c))}" for c in T2_CELLS if c in report.cells]
    if t2:
        out.append(("t2", "表二 主动公开政府信息情况", t2))
    for row in T3_ROWS:
        ids = [f"t3.{row.key}.{c}" for c in T3_COLUMNS]
        if not any(i in report.cells for i in ids):
            continue
        vals = "，".join(f"{T3_COLUMN_LABELS[c]}{_fmt(report.value(i))}" for c, i in zip(T3_COLUMNS, ids))
        out.append((f"t3.{row.key}", f"表三 收到和处理政府信息公开申请情况 {row.short}", [f"{row.label}：{vals}"]))
    t4 = [f"{cell_label(c)[3:]}：{_fmt(report.value(c))}" for c in T4_CELLS if c in report.cells]
    if t4:
        out.append(("t4", "表四 政府信息公开行政复议、行政诉讼情况", t4))
    return out


HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")


def chunk_guide(text: str, source: str, *, max_chars: int = 600) -> list[Chunk]:
    """Our own prose (Markdown/text): one chunk per heading section, split when long."""
    lines = [_clean(x) for x in text.splitlines()]
    title = _title_from_text(lines) or Path(source).stem
    heading = ""
    body: list[str] = []
    out: list[Chunk] = []

    def flush() -> None:
        content = "\n".join(body).strip()
        if not content:
            return
        cite = f"{title}·{heading}" if heading and heading != title else title
        ref = f"kb:{Path(source).stem}#{heading}" if heading and heading != title else f"kb:{Path(source).stem}"
        for n, part in enumerate(_split_paragraphs(content, max_chars)):
            text = f"{cite}\n{part}"
            meta: dict[str, str | int] = {
                "doc_type": DOC_GUIDE, "title": title, "section": heading, "ref": ref, "order": len(out),
            }
            out.append(Chunk(chunk_id(source, f"{heading}{n}", text), text, cite, source, meta))

    for line in lines:
        m = HEADING_RE.match(line.strip())
        if m:
            flush()
            body = []
            heading = m.group(2).strip()
            continue
        body.append(line)
    flush()
    return out
