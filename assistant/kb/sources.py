"""Turn one file into chunks: a regulation (by article), a report (by section + table facts) or a guide.

Reports go through the review engine's own parser (:func:`assistant.report.read_report`), not a
second one. Unreadable input raises :class:`assistant.errors.InputError` subclasses (Chinese).
"""

from __future__ import annotations

from pathlib import Path

from ..errors import CorruptFileError, EmptyFileError, InputError, NotAReportError, UnsupportedFormatError
from .chunk import Chunk, chunk_guide, chunk_regulation, chunk_report, looks_like_regulation

TEXT_SUFFIXES = frozenset({".md", ".markdown", ".txt"})
RICH_SUFFIXES = frozenset({".html", ".htm", ".docx", ".pdf"})
SUPPORTED = TEXT_SUFFIXES | RICH_SUFFIXES

KIND_REGULATION = "regulation"
KIND_REPORT = "report"
KIND_GUIDE = "guide"


def default_corpus(settings) -> Path | None:  # noqa: ANN001 - Settings
    """``kb.corpus_dir``, else the project's ``corpus/`` (source checkout), else ``./corpus``:
    what ``xxgk index`` with no path and the app's first start index."""
    if settings.kb.corpus_dir is not None:
        return Path(settings.kb.corpus_dir)
    here = Path(__file__).resolve().parents[2] / "corpus"
    for cand in (here, Path.cwd() / "corpus"):
        if cand.is_dir():
            return cand
    return None


def decode(data: bytes, path: str) -> str:
    if not data.strip():
        raise EmptyFileError("文件是空的", path=path)
    for enc in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(enc)
        except UnicodeDecodeError:
            continue
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(data).best()
        if best is not None:
            return str(best)
    except ImportError:  # pragma: no cover - charset-normalizer is a dependency
        pass
    raise CorruptFileError("无法识别文件的文字编码", "请用 UTF-8 编码另存后重试", path=path)


def _load_document(path: Path):  # noqa: ANN202 - returns assistant.report.document.Document
    """The review engine's reader; a small fallback while it is not there."""
    try:
        from ..report.readers import load_document
    except ImportError:
        return _fallback_document(path)
    return load_document(path)


def _fallback_document(path: Path):  # noqa: ANN202
    from ..report.document import Document, Paragraph

    suffix = path.suffix.lower()
    try:
        if suffix in (".html", ".htm"):
            import lxml.html

            root = lxml.html.fromstring(path.read_bytes())
            lines = [x.strip() for x in root.text_content().splitlines()]
        elif suffix == ".docx":
            import docx

            lines = [p.text for p in docx.Document(str(path)).paragraphs]
        else:
            import pdfplumber

            with pdfplumber.open(str(path)) as pdf:
                lines = [ln for page in pdf.pages for ln in (page.extract_text() or "").splitlines()]
    except InputError:
        raise
    except Exception as e:  # the parsers' own errors: translate once, here
        raise CorruptFileError(f"无法读取文件（{type(e).__name__}）", path=str(path)) from e
    paras = [Paragraph(x.strip(), line=i + 1) for i, x in enumerate(lines) if x.strip()]
    if not paras:
        raise EmptyFileError("文件中没有可读取的文字", path=str(path))
    return Document(source=str(path), form=suffix.lstrip("."), blocks=list(paras))


def chunk_file(path: Path, *, max_chars: int = 600) -> tuple[str, list[Chunk]]:
    """(kind, chunks) for one file; raises InputError for what cannot be read."""
    suffix = path.suffix.lower()
    src = str(path)
    if suffix not in SUPPORTED:
        raise UnsupportedFormatError(f"不支持的文件类型 {suffix or '（无扩展名）'}", path=src)
    try:
        data = path.read_bytes()
    except OSError as e:
        raise InputError(f"无法读取文件：{e.strerror or e}", "请确认文件存在且有读取权限", path=src) from e
    if not data.strip():
        raise EmptyFileError("文件是空的", path=src)
    if suffix in TEXT_SUFFIXES:
        text = decode(data, src)
        if looks_like_regulation(text):
            return KIND_REGULATION, chunk_regulation(text, src)
        report = _try_report(path)
        if report is not None:
            return KIND_REPORT, chunk_report(report, src, max_chars=max_chars)
        return KIND_GUIDE, chunk_guide(text, src, max_chars=max_chars)
    doc = _load_document(path)
    text = doc.text()
    if looks_like_regulation(text):
        return KIND_REGULATION, chunk_regulation(text, src)
    try:
        from ..report import report_from_document

        report = report_from_document(doc)
        if is_full_report(report):
            return KIND_REPORT, chunk_report(report, src, max_chars=max_chars)
        return KIND_GUIDE, chunk_guide(text, src, max_chars=max_chars)
    except NotAReportError:
        return KIND_GUIDE, chunk_guide(text, src, max_chars=max_chars)
    except ImportError:  # pragma: no cover - the mapper is part of the package
        return KIND_GUIDE, chunk_guide(text, src, max_chars=max_chars)


def _try_report(path: Path):  # noqa: ANN202 - Report | None
    try:
        from ..report import read_report
    except ImportError:  # pragma: no cover
        return None
    try:
        report = read_report(path)
    except NotAReportError:
        return None
    return report if is_full_report(report) else None


def is_full_report(report) -> bool:  # noqa: ANN001 - assistant.report.Report
    """A real report, not a guide that quotes the format: ≥3 format sections and a filled table."""
    sections = {s.canonical for s in report.sections if s.canonical}
    numbers = sum(1 for c in report.cells.values() if c.value is not None and c.written == "number")
    return len(sections) >= 3 and numbers >= 10
