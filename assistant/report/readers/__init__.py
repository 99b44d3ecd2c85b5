"""Readers: bytes → :class:`~assistant.report.document.Document`, the format chosen by content.

``load_document(path)`` / ``load_document_bytes(data, name)`` sniff the bytes (PDF, DOCX, MHT,
text that is HTML, Markdown or a plain web-page dump), refuse what we cannot read with a Chinese
:class:`~assistant.errors.InputError` subclass, and translate every library exception at this
boundary: callers never see a pdfminer/lxml/zipfile traceback. The caller adds the path.
"""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path

from ...errors import EmptyFileError, FileTooLargeError, InputError, XxgkError
from ..document import Block, Document, Table
from .encoding import KNOWN_ENCODINGS, decode_text, has_bom
from .sniff import sniff_binary, sniff_text

__all__ = ["MAX_BYTES", "load_document", "load_document_bytes"]

MAX_BYTES = 50 * 2**20


def _too_large(size: int, max_bytes: int) -> FileTooLargeError:
    return FileTooLargeError(f"文件有 {size / 2**20:.1f} MB，超过上限 {max_bytes / 2**20:.0f} MB，未读取")


def load_document(path: str | Path, *, max_bytes: int = MAX_BYTES) -> Document:
    """Read one report file; the size limit is checked with ``os.stat`` before reading."""
    p = Path(path)
    try:
        size = os.stat(p).st_size
        if size > max_bytes:
            raise _too_large(size, max_bytes)
        data = p.read_bytes()
    except IsADirectoryError as e:
        raise InputError("这是一个文件夹，不是文件", "请选择报告文件本身") from e
    except FileNotFoundError as e:
        raise InputError("文件不存在", "请检查路径是否正确") from e
    except PermissionError as e:
        raise InputError("没有读取该文件的权限", "请检查文件权限后重试") from e
    except OSError as e:
        raise InputError(f"无法读取文件（{e.strerror or type(e).__name__}）") from e
    return load_document_bytes(data, str(path), max_bytes=max_bytes)


def load_document_bytes(data: bytes, name: str, *, max_bytes: int = MAX_BYTES) -> Document:
    """Same as :func:`load_document` for bytes held in memory (uploads, tests)."""
    if len(data) > max_bytes:
        raise _too_large(len(data), max_bytes)
    if not data.strip() and not has_bom(data):
        raise EmptyFileError("文件是空的" if not data else "文件只有空白字符，没有内容")
    try:
        form, blocks, warnings = _read(data, name)
    except XxgkError:
        raise
    except RecursionError as e:
        raise InputError("文件结构嵌套过深，无法读取", "请在原软件中另存为 .docx 或 PDF 后重试") from e
    except Exception as e:  # noqa: BLE001 - the boundary: no library traceback reaches the user
        from ...errors import CorruptFileError

        raise CorruptFileError(f"读取文件时出错，文件可能已损坏（{type(e).__name__}）") from e
    if not any(isinstance(b, Table) or b.text for b in blocks):
        raise EmptyFileError("文件中没有可读的文字内容")
    return Document(source=name, form=form, blocks=_numbered(blocks), warnings=warnings)


def _read(data: bytes, name: str) -> tuple[str, list[Block], list[str]]:
    kind = sniff_binary(data)
    if kind == "pdf":
        from .pdf import read_pdf

        blocks, warnings = read_pdf(data)
        return "pdf", blocks, warnings
    if kind == "docx":
        from .docx import read_docx

        blocks, warnings = read_docx(data)
        return "docx", blocks, warnings
    from .mht import html_of_mht, is_mht

    if is_mht(data):
        from .html import read_html

        return "html", read_html(html_of_mht(data)), ["文件是 MHT（单个文件网页）格式，已按其中的网页读取"]
    text, encoding = decode_text(data)
    if not text.strip():
        raise EmptyFileError("文件只有空白字符，没有内容")
    warnings = []
    if encoding not in KNOWN_ENCODINGS:
        warnings.append(f"文件编码不是 UTF-8/UTF-16/GBK，已推断为 {encoding} 读取；如文字出现乱码，请另存为 UTF-8 后重试")
    form = sniff_text(text, name)
    if form == "html":
        from .html import read_html

        return "html", read_html(text), warnings
    if form == "markdown":
        from .markdown import read_markdown

        return "markdown", read_markdown(text), warnings
    from .text import read_text

    return "text", read_text(text), warnings


def _numbered(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    index = 0
    for b in blocks:
        if isinstance(b, Table):
            b = dataclasses.replace(b, index=index)
            index += 1
        out.append(b)
    return out
