"""Reading one table cell's text as a number, and recognising label text."""

from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

from .model import Number, Written

_DASHES = {"—", "–", "-", "－", "―", "─", "/", "／", "\\", "——", "--", "- -", "/ /", "、", "…", "……", "＼"}
_ZERO_WORDS = {"无", "没有", "空", "0件", "零"}
_NUM_RE = re.compile(r"^[-+]?\d{1,3}(,\d{3})+(\.\d+)?$|^[-+]?\d+(\.\d+)?$")
_UNIT_RE = re.compile(r"(件|个|次|项|条|份|人次|万元|元)$")


_HALF = {o: o - 0xFEE0 for r in ((0xFF10, 0xFF19), (0xFF21, 0xFF3A), (0xFF41, 0xFF5A)) for o in range(r[0], r[1] + 1)}
_HALF.update({ord(c): " " for c in "\u3000\u00a0\u2002\u2003\u2009\u200b\ufeff"})
_HALF[ord("．")] = "."
_CN_THOUSANDS = re.compile(r"(?<=\d)，(?=\d{3}(?!\d))")


_TO_HALF = re.compile("[" + "".join(re.escape(chr(o)) for o in sorted(_HALF)) + "]")


def nfkc(text: str) -> str:
    """Full-width digits/letters/spaces to half-width; keeps Chinese punctuation as is."""
    # translate() looks up every character in the table; most text has nothing to change
    out = text.translate(_HALF) if _TO_HALF.search(text) else text
    if "，" in out:
        out = _CN_THOUSANDS.sub(",", out)
    return out


@lru_cache(maxsize=8192)
def parse_value(text: str | None) -> tuple[Number | None, Written]:
    """``"12"`` → (12, number); ``""`` → (0, blank); ``"—"`` → (0, dash); ``"无"`` → (0, none).

    Anything else (words, percentages) is (None, text): never guessed.
    """
    if text is None:
        return None, "missing"
    s = nfkc(text).strip()
    s = re.sub(r"\s+", "", s)
    if s == "":
        return 0, "blank"
    if s in _DASHES or set(s) <= {"-", "—", "/", "－", "／"}:
        return 0, "dash"
    if s in _ZERO_WORDS:
        return 0, "none"
    s2 = _UNIT_RE.sub("", s)
    if _NUM_RE.match(s2):
        s2 = s2.replace(",", "")
        if "." in s2:
            f = float(s2)
            return f, "number"
        return int(s2), "number"
    return None, "text"


def is_value_text(text: str | None) -> bool:
    """True for a cell that holds a value (number, blank, dash, 无), False for a label."""
    if text is None:
        return False
    v, written = parse_value(text)
    return written != "text"


@lru_cache(maxsize=8192)
def norm_label(text: str) -> str:
    """A label reduced for matching: no spaces, half-width brackets, no quotes or punctuation."""
    s = unicodedata.normalize("NFKC", text)
    s = re.sub(r"\s+", "", s)
    s = s.replace("“", "").replace("”", "").replace('"', "").replace("'", "")
    s = s.replace("、", ".").replace("。", "")
    return s
