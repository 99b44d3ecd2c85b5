"""Which reader a file needs, decided by its content (the extension only breaks ties).

``sniff_binary`` looks at magic bytes: PDF, DOCX (a zip holding ``word/document.xml``), and the
formats we refuse with a useful message (.doc/.xls/.wps, .xlsx, images, archives, executables).
``sniff_text`` picks html / markdown / text for data that decoded as text.
"""

from __future__ import annotations

import io
import re
import zipfile

from ...errors import CorruptFileError, EncryptedFileError, UnsupportedFormatError

MAX_UNZIPPED = 200 * 2**20  # total declared uncompressed size of a DOCX
MAX_RATIO = 100  # compression ratio allowed for a large member
LARGE_MEMBER = 10 * 2**20

_SAVE_AS_DOCX = "请用 Word/WPS 打开后另存为 .docx 或 PDF 再试"

# (magic, offset, what it is, next step)
_REFUSED: tuple[tuple[bytes, int, str, str], ...] = (
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 0, "旧版 Office 文档（.doc/.xls/.wps 等 OLE2 格式）", _SAVE_AS_DOCX),
    (b"{\\rtf", 0, "RTF 文档", _SAVE_AS_DOCX),
    (b"\x89PNG\r\n\x1a\n", 0, "PNG 图片", "图片中的表格无法读取，请提供 Word 版或可复制文字的 PDF"),
    (b"\xff\xd8\xff", 0, "JPEG 图片", "图片中的表格无法读取，请提供 Word 版或可复制文字的 PDF"),
    (b"GIF87a", 0, "GIF 图片", "图片中的表格无法读取，请提供 Word 版或可复制文字的 PDF"),
    (b"GIF89a", 0, "GIF 图片", "图片中的表格无法读取，请提供 Word 版或可复制文字的 PDF"),
    (b"II*\x00", 0, "TIFF 图片", "图片中的表格无法读取，请提供 Word 版或可复制文字的 PDF"),
    (b"MM\x00*", 0, "TIFF 图片", "图片中的表格无法读取，请提供 Word 版或可复制文字的 PDF"),
    (b"WEBP", 8, "WebP 图片", "图片中的表格无法读取，请提供 Word 版或可复制文字的 PDF"),
    (b"\x7fELF", 0, "可执行程序", "请选择年度报告文件"),
    (b"\x1f\x8b", 0, "gzip 压缩包", "请先解压，再逐个选择其中的报告文件"),
    (b"Rar!\x1a\x07", 0, "RAR 压缩包", "请先解压，再逐个选择其中的报告文件"),
    (b"7z\xbc\xaf\x27\x1c", 0, "7z 压缩包", "请先解压，再逐个选择其中的报告文件"),
    (b"BZh", 0, "bzip2 压缩包", "请先解压，再逐个选择其中的报告文件"),
    (b"\xfd7zXZ\x00", 0, "xz 压缩包", "请先解压，再逐个选择其中的报告文件"),
    (b"%!PS", 0, "PostScript 文件", "请转换为 PDF 后再试"),
    (b"AT&TFORM", 0, "DjVu 文件", "请转换为带文字层的 PDF 后再试"),
    (b"\x00\x00\x01\x00", 0, "图标文件", "请选择年度报告文件"),
)
_MZ_NOTE = "Windows 可执行程序"
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _refuse(what: str, hint: str) -> UnsupportedFormatError:
    return UnsupportedFormatError(f"不支持的文件格式：这是{what}，不是年度报告的文本、HTML、Word（.docx）或 PDF", hint)


def sniff_binary(data: bytes) -> str | None:
    """"pdf" / "docx", None when the data may be text; raise for formats we refuse."""
    head = data[:1024]
    if b"%PDF-" in head:  # the header may follow a few junk bytes
        return "pdf"
    if data.startswith((b"PK\x03\x04", b"PK\x05\x06", b"PK\x07\x08")):
        return _sniff_zip(data)
    if data.startswith(_OLE2) and "EncryptedPackage".encode("utf-16-le") in data[:2**20]:
        raise EncryptedFileError("Word/WPS 文档已加密（设置了打开密码），无法读取")
    for magic, offset, what, hint in _REFUSED:
        if data[offset : offset + len(magic)] == magic:
            if magic == b"WEBP" and not data.startswith(b"RIFF"):
                continue
            raise _refuse(what, hint)
    if data.startswith(b"MZ") and b"\x00" in data[:256]:
        raise _refuse(_MZ_NOTE, "请选择年度报告文件")
    return None


def _sniff_zip(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            names = set(zf.namelist())
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise CorruptFileError(f"文件是 zip 格式（.docx 也是 zip），但已损坏，无法打开（{type(e).__name__}）") from e
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        raise _refuse("Excel 表格（.xlsx）", "请把报告正文和统计表放在 Word（.docx）中，或导出为 PDF 后再试")
    if any(n.startswith("ppt/") for n in names):
        raise _refuse("PowerPoint 演示文稿（.pptx）", "请导出为 PDF 后再试")
    if "content.xml" in names and "mimetype" in names:
        raise _refuse("OpenDocument 文档（.odt 等）", _SAVE_AS_DOCX)
    if "word/document2.xml" in names or any(n.lower().endswith("document.xml") for n in names):
        raise CorruptFileError("文件像 Word 文档，但缺少正文部分 word/document.xml")
    raise _refuse("zip 压缩包", "请先解压，再逐个选择其中的报告文件")


def check_zip_bomb(data: bytes, max_total: int = MAX_UNZIPPED, max_ratio: int = MAX_RATIO) -> None:
    """Refuse a DOCX whose declared uncompressed size is absurd, before anything inflates it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as e:
        raise CorruptFileError(f"Word 文档（zip 格式）已损坏，无法打开（{type(e).__name__}）") from e
    total = sum(i.file_size for i in infos)
    if total > max_total:
        raise CorruptFileError(
            f"Word 文档解压后有 {total / 2**20:.0f} MB（上限 {max_total / 2**20:.0f} MB），疑似压缩炸弹或异常文件，已拒绝读取",
            "请在 Word/WPS 中打开后另存为新的 .docx，或导出为 PDF 后再试",
        )
    for info in infos:
        if info.file_size > LARGE_MEMBER and info.file_size > max_ratio * max(info.compress_size, 1):
            raise CorruptFileError(
                f"Word 文档中的 {info.filename} 压缩比异常（{info.file_size // max(info.compress_size, 1)} 倍），疑似压缩炸弹，已拒绝读取",
                "请在 Word/WPS 中打开后另存为新的 .docx，或导出为 PDF 后再试",
            )


_MARKUP = re.compile(
    r"<(?:!doctype\s+html|html[\s>]|head[\s>]|body[\s>]|table[\s>]|tr[\s>]|td[\s>]|div[\s>]|p[\s>]|br\s*/?>|span[\s>]|meta\s)",
    re.IGNORECASE,
)
_HTML_START = re.compile(r"\s*<(!doctype|html)", re.IGNORECASE)
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)+\|?\s*$", re.MULTILINE)
_MD_HEADING = re.compile(r"^#{1,6}\s+\S", re.MULTILINE)


def sniff_text(text: str, name: str = "") -> str:
    """"html", "markdown" or "text" for decoded text."""
    head = text[:20000]
    if _HTML_START.match(head) or len(_MARKUP.findall(head)) >= 2:  # the cheap test first
        return "html"
    lower = name.lower()
    if _MD_TABLE_SEP.search(text) or _MD_HEADING.search(head):
        return "markdown"
    if lower.endswith((".md", ".markdown")) and "\t" not in head:
        return "markdown"
    return "text"
