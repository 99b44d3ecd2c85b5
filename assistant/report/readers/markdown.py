"""Markdown, usually the output of a PDF-to-Markdown converter.

A run of consecutive lines containing ``|`` with at least one ``|---|`` separator is a table; the
row before the separator is kept as an ordinary first row, further separators inside the run are
skipped. Converters pad and lose cells, so tables are marked ``empty_is_unknown``. Every other
non-empty line is a paragraph (``#`` heading markers stripped); lines are read faithfully, the
mapper copes with scrambled layouts.
"""

from __future__ import annotations

import re

from ..document import Block, Paragraph, Table
from .normalize import clean_text

_SEP_CELL = re.compile(r"^\s*:?-{3,}:?\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(\s+|$)")
_CLOSING_HASHES = re.compile(r"\s+#+\s*$")
_SPLIT = re.compile(r"(?<!\\)\|")


def _cells(line: str) -> list[str]:
    s = line.strip()
    if s.startswith("|"):
        s = s[1:]
    if s.endswith("|") and not s.endswith("\\|"):
        s = s[:-1]
    return [c.replace("\\|", "|") for c in _SPLIT.split(s)]


def _is_separator(line: str) -> bool:
    cells = _cells(line)
    return bool(cells) and all(_SEP_CELL.match(c) for c in cells)


def read_markdown(text: str) -> list[Block]:
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        if "|" in lines[i]:
            j = i
            while j < len(lines) and "|" in lines[j] and lines[j].strip():
                j += 1
            run = lines[i:j]
            if any(_is_separator(line) for line in run):
                rows: list[list[str | None]] = [
                    [clean_text(c) for c in _cells(line)] for line in run if not _is_separator(line)
                ]
                if rows:
                    blocks.append(Table(rows=rows, line=i + 1, empty_is_unknown=True))
                i = j
                continue
            for k, line in enumerate(run):
                blocks.append(Paragraph(clean_text(line), line=i + k + 1))
            i = j
            continue
        line = lines[i]
        if _HEADING.match(line):
            line = _CLOSING_HASHES.sub("", _HEADING.sub("", line, count=1))
        if t := clean_text(line):
            blocks.append(Paragraph(t, line=i + 1))
        i += 1
    return blocks
