"""Bytes → str for the text forms (text dump, HTML, Markdown).

Strict try-order, no guessing first: a BOM decides (UTF-8, UTF-16 LE/BE, UTF-32), then UTF-8,
then GB18030 (a superset of GBK/GB2312, what Chinese Windows tools write). Only when both fail is
charset-normalizer asked. Text that decodes to mostly control characters is binary, not text.
"""

from __future__ import annotations

import codecs
import re

from ...errors import UnsupportedFormatError
from .normalize import control_ratio

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: it starts with the same two bytes
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

MAX_CONTROL_RATIO = 0.02
_PUA = re.compile("[\ue000-\uf8ff]")
KNOWN_ENCODINGS = frozenset({"utf-8", "gb18030", "utf-16", "utf-16-le", "utf-16-be", "utf-32-le", "utf-32-be"})


def has_bom(data: bytes) -> bool:
    return any(data.startswith(bom) for bom, _ in _BOMS)


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 without BOM shows as NUL bytes in every other position (ASCII/newlines)."""
    sample = data[:4096]
    if len(sample) < 4:
        return None
    even = sample[0::2].count(0)
    odd = sample[1::2].count(0)
    half = len(sample) // 2
    for zeros, codec in ((odd, "utf-16-le"), (even, "utf-16-be")):
        if zeros > 0.2 * half and zeros > 4 * ((even + odd) - zeros):
            try:
                return data.decode(codec)
            except UnicodeDecodeError:
                return None
    return None


def decode_text(data: bytes) -> tuple[str, str]:
    """Return ``(text, encoding)``; raise :class:`UnsupportedFormatError` for binary data."""
    text: str | None = None
    encoding = ""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            try:
                text, encoding = data[len(bom) :].decode(codec), codec
            except UnicodeDecodeError:
                text = None
            break
    if text is None and b"\x00" in data[:4096]:
        text = _utf16_without_bom(data)
        encoding = "utf-16" if text is not None else ""
    if text is None and b"\x00" not in data:
        for codec in ("utf-8", "gb18030"):
            try:
                text, encoding = data.decode(codec), codec
                break
            except UnicodeDecodeError:
                continue
        if encoding == "gb18030" and text is not None and _private_use(text) > 0.001:
            text, encoding = _big5(data) or (text, encoding)
    if text is None and b"\x00" not in data:
        text, encoding = _normalizer_guess(data)
    if text is None or _control_ratio(text, data, encoding) > MAX_CONTROL_RATIO:
        raise UnsupportedFormatError("文件内容不是可识别的文字，也不是支持的文档格式（看起来是二进制数据）")
    return text, encoding


# C0 controls other than tab/newline/CR/form feed, as UTF-8 bytes (the same bytes as the characters)
_C0 = bytes([*range(0x09), 0x0B, *range(0x0E, 0x20), 0x7F])


def _control_ratio(text: str, data: bytes, encoding: str) -> float:
    """:func:`control_ratio` of ``text``; for UTF-8 counted on the bytes, much faster than a regex
    over the decoded text (C1 controls and U+FFFD, rare, still go to the regex)."""
    if encoding != "utf-8" or b"\xef\xbf\xbd" in data or _has_c1(data):
        return control_ratio(text)
    return (len(data) - len(data.translate(None, _C0))) / max(len(text), 1)


def _has_c1(data: bytes) -> bool:
    """A C1 control (U+0080–U+009F, UTF-8 ``C2 80``–``C2 9F``); ``C2`` also starts “·” or a no-break space."""
    at = data.find(b"\xc2")
    while 0 <= at < len(data) - 1:
        if 0x80 <= data[at + 1] <= 0x9F:
            return True
        at = data.find(b"\xc2", at + 1)
    return False


def _private_use(text: str) -> float:
    return len(_PUA.findall(text)) / max(len(text), 1)


def _big5(data: bytes) -> tuple[str, str] | None:
    """Big5 (traditional Chinese) bytes mostly decode as GB18030 too, into private-use garbage."""
    try:
        text = data.decode("big5")
    except UnicodeDecodeError:
        return None
    return (text, "big5") if _private_use(text) == 0 else None


def _normalizer_guess(data: bytes) -> tuple[str | None, str]:
    from charset_normalizer import from_bytes

    best = from_bytes(data[: 2 * 2**20]).best()
    if best is None or best.encoding is None:
        return None, ""
    try:
        return data.decode(best.encoding), best.encoding
    except (UnicodeDecodeError, LookupError):
        return None, ""
