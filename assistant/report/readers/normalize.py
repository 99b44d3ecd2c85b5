"""Text clean-up shared by every reader.

Only width and whitespace are touched: full-width digits/letters and spaces become half-width,
whitespace runs collapse, and a line break inside a cell disappears (a header broken as
"商业\\n企业" becomes "商业企业"). Chinese punctuation (（一）, “”, 、) and the way numbers are
written ("1,234", "—", "无") stay as they are: the mapper reads them.
"""

from __future__ import annotations

import re
import unicodedata

# Full-width 0-9, A-Z, a-z → ASCII; the rest of the full-width block (（），：) is kept.
_WIDTH = {o: o - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for o in range(r[0], r[1] + 1)}
# Space-like characters → ASCII space; invisible ones → nothing.
_SPACES = {o: " " for o in (0x3000, 0x00A0, 0x2002, 0x2003, 0x2009, 0x202F, 0x205F, 0x0B, 0x0C, 0x85, 0x2028, 0x2029)}
_INVISIBLE = {o: None for o in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF, 0x00AD)}
_TABLE = {**_WIDTH, **_SPACES, **_INVISIBLE}
# str.translate with a dict costs a lookup per character (13 µs for a 100-character Chinese line); a
# search for the characters it would change costs 1 µs, and most lines have none
_TO_TRANSLATE = re.compile("[" + "".join(re.escape(chr(o)) for o in sorted(_TABLE)) + "]")


def _translate(text: str) -> str:
    return text.translate(_TABLE) if _TO_TRANSLATE.search(text) else text

_LINES = re.compile(r"\r\n|\r|\n")


def clean_text(text: str | None) -> str:
    """Normalise one paragraph or cell: widths, invisible characters, whitespace.

    A line break is a wrap inside a cell or line: the pieces join without a gap ("商业\\n企业" →
    "商业企业", a wrapped number "4472\\n28" → "447228"). Other whitespace runs become one space,
    except next to a Chinese (wide) character where they are dropped ("2024 年" → "2024年",
    "Segoe  UI" → "Segoe UI"). Readers of markup turn source newlines into spaces first.
    """
    if not text:
        return ""
    if text.isascii():  # the common short cell ("12", "—" is not ASCII): no width table needed
        if "\n" in text or "\r" in text:
            return "".join(" ".join(line.split()) for line in _LINES.split(text))
        return " ".join(text.split())
    text = _translate(text)
    if "\n" in text or "\r" in text:
        return "".join(_clean_line(line) for line in _LINES.split(text))
    return _clean_line(text)


def clean_inline(text: str) -> str:
    """:func:`clean_text` for markup, where a source newline is only whitespace (HTML/XML text)."""
    if text.isascii():
        return " ".join(text.split())
    return _clean_line(_translate(text))


def _clean_line(text: str) -> str:
    parts = text.split()  # str.split() splits on the same Unicode whitespace as ``\s``
    if len(parts) < 2:
        return parts[0] if parts else ""
    out = [parts[0]]
    for part in parts[1:]:
        if not (_wide(out[-1][-1]) or _wide(part[0])):
            out.append(" ")
        out.append(part)
    return "".join(out)


def _wide(ch: str) -> bool:
    """Chinese characters and full-width punctuation: no space is kept next to them."""
    return ord(ch) >= 0x1100 and unicodedata.east_asian_width(ch) in ("W", "F")


MAX_CELL_CHARS = 400  # the longest real cell is a ~40-character label; more is an article in a frame


def is_layout(rows: list[list[str | None]]) -> bool:
    """A "table" that only frames text: a single column, or a cell holding running text."""
    if max((len(r) for r in rows), default=0) < 2:
        return True
    return any(c is not None and len(c) > MAX_CELL_CHARS for r in rows for c in r)


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffd]")


def control_ratio(text: str) -> float:
    """Share of control characters (other than tab/newline/CR/form feed) and U+FFFD in ``text``."""
    if not text:
        return 0.0
    return len(_CONTROL.findall(text)) / len(text)
