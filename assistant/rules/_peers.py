"""The reports of one batch as ``peers``, with an index that spares COPY-PEER most of its n² comparisons.

COPY-PEER measures how much of a section two reports share (``_text.similarity``: common passages of
at least 12 characters, names and years masked) for every pair of the batch: 4 ms a pair, so a folder
of 50 reports spent 8 s and 1,000 reports would take an hour. :class:`Peers` computes per report and
section, once for the whole batch, what two upper bounds of that similarity need; a pair whose bound is
below the threshold cannot be a finding and is not compared. The bounds never miss a pair (same
findings as comparing all of them; ``tests/test_rules_copy.py`` checks it against the full loop):

1. characters in common passages ≤ characters in common as multisets, Σ min(count in a, count in b),
   counted on the texts with years masked and punctuation removed but names *not* masked: masking a
   name (≥ 2 characters) into one ``Ａ`` may add at most ``max(Ca, Cb) / 2`` common ``Ａ`` and remove at
   most ``Ca + Cb`` characters of length, ``C`` being the characters covered by any agency name of the
   batch in that text (one vectorised pass over the batch per report);
2. for the pairs left, every character of a common passage lies in a 12-character piece of one text
   that also occurs in the other (``_text.similar_at_least``), counted here on each report's own masked
   text, which is the text compared whenever neither report names the other's agency.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from ..report.model import Report
from ._numbers import normalise
from ._text import Similarity, _masked, _similarity, self_names, similar_at_least

INDEX_FROM = 6  # batches smaller than this compare every pair (the index costs more than it saves)
PASSAGE = 12  # _text.similarity's min_passage, as COPY-* use it
BITS = 1 << 14  # per report, a bitset of its 12-character pieces (a collision only loosens bound 2)


def _piece_hashes(text: str) -> Any:
    """A 64-bit hash of every 12-character piece of ``text``, in order (equal pieces, equal hashes; a
    collision only makes two pieces look equal, which loosens the bounds and never drops a pair)."""
    import numpy as np

    if len(text) < PASSAGE:
        return np.zeros(0, dtype=np.uint64)
    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    powers = np.uint64(1000003) ** np.arange(PASSAGE - 1, -1, -1, dtype=np.uint64)
    with np.errstate(over="ignore"):
        return (np.lib.stride_tricks.sliding_window_view(codes, PASSAGE) * powers).sum(axis=1, dtype=np.uint64)


@dataclass(frozen=True)
class SectionText:
    """What the index needs of one report's section, computed from that report alone: in a batch, by the
    process that read the report (so it is not part of the serial work between reading and checking)."""

    norm: str  # ``normalise``d text: agency names are looked for in it
    plain: str  # compared form, years masked, names not
    own: str  # compared form masked with the report's own names
    pieces: Any  # ``_piece_hashes(own)``


def section_texts(report: Report, nums: Iterable[str]) -> dict[str, SectionText | None]:
    """:class:`SectionText` of each section ``num`` of ``report`` (``None``: the report has no such section)."""
    out: dict[str, SectionText | None] = {}
    for num in nums:
        s = report.section(num)
        if s is None:
            out[num] = None
            continue
        norm = normalise(s.text)
        own = _masked(norm, self_names(report))
        out[num] = SectionText(norm, _masked(norm), own, _piece_hashes(own))
    return out


class NameFinder:
    """Every occurrence of a set of names in a text (a character trie; nested and overlapping ones too)."""

    def __init__(self, names: Iterable[str]) -> None:
        self.trie: dict = {}
        for name in names:
            if not name:
                continue
            node = self.trie
            for ch in name:
                node = node.setdefault(ch, {})
            node[""] = name  # a name ends here
        self._starts = re.compile("[" + "".join(re.escape(ch) for ch in self.trie) + "]") if self.trie else None

    def find(self, text: str) -> list[tuple[int, str]]:
        """(position, name) of every occurrence, by position, the longer name first at one position."""
        out: list[tuple[int, str]] = []
        if self._starts is None:
            return out
        for m in self._starts.finditer(text):  # only where a name may start
            i, node, k = m.start(), self.trie, m.start()
            here = []
            while node is not None and k <= len(text):
                if "" in node:
                    here.append((i, node[""]))
                node = node.get(text[k]) if k < len(text) else None
                k += 1
            out += reversed(here)
        return out

    def covered(self, text: str) -> tuple[int, set[str]]:
        """(characters of ``text`` inside an occurrence of a name, the names that occur)."""
        covered, reach = 0, 0
        found = self.find(text)
        for i, name in found:
            end = i + len(name)
            covered += max(0, end - max(i, reach))
            reach = max(reach, end)
        return covered, {name for _i, name in found}


class _SectionIndex:
    def __init__(self, names: Iterable[str], texts: Sequence[SectionText | None]) -> None:
        """The index of one section over a batch: ``texts`` holds each report's :class:`SectionText`, in batch order."""
        import numpy as np

        finder = NameFinder(names)
        plain = [t.plain if t is not None else "" for t in texts]
        codes = [np.frombuffer(p.encode("utf-32-le"), dtype=np.uint32) for p in plain]
        chars = np.unique(np.concatenate(codes)) if any(len(c) for c in codes) else np.zeros(1, dtype=np.uint32)
        width = len(chars)
        self.counts = np.array(
            [np.bincount(np.searchsorted(chars, c), minlength=width) for c in codes], dtype=np.int32
        ).reshape(len(texts), width)
        self.length = np.array([len(p) for p in plain], dtype=np.float64)
        occ = [finder.covered(t.norm) if t is not None and t.norm else (0, set()) for t in texts]
        self.named = np.array([c for c, _f in occ], dtype=np.float64)
        self.occurring = [f for _c, f in occ]
        self.has = np.array([t is not None for t in texts])
        # each report's text as compared when masked with its own names only, as 12-character pieces
        self.own = [t.own if t is not None else "" for t in texts]
        self.pieces = [t.pieces if t is not None else _piece_hashes("") for t in texts]
        self._unique: dict[int, Any] = {}  # report → its distinct piece hashes, for the few pairs compared
        # bound 2 for many pairs at once: pieces hashed into a bitset per report, padded into one matrix
        hashed = [(p * np.uint64(0x9E3779B97F4A7C15)) >> np.uint64(64 - BITS.bit_length() + 1) for p in self.pieces]
        self.bits = np.zeros((len(texts), BITS // 64), dtype=np.uint64)
        for i, h in enumerate(hashed):
            np.bitwise_or.at(self.bits[i], (h >> np.uint64(6)).astype(np.int64), np.left_shift(np.uint64(1), h & np.uint64(63)))
        width = max([len(h) for h in hashed] + [1])
        self.padded = np.full((len(texts), width), -1, dtype=np.int64)
        for i, h in enumerate(hashed):
            self.padded[i, : len(h)] = h.astype(np.int64)
        self.own_length = np.array([len(x) for x in self.own], dtype=np.float64)

    def bound(self, i: int) -> Any:
        """Bound 1 of the similarity of report ``i``'s section with every report's (an array)."""
        import numpy as np

        cols = np.nonzero(self.counts[i])[0]
        common = np.minimum(self.counts[i, cols], self.counts[:, cols]).sum(axis=1)
        gain = np.maximum(self.named[i], self.named) / 2
        length = self.length[i] + self.length - self.named[i] - self.named
        with np.errstate(divide="ignore", invalid="ignore"):
            b = np.where(length > 0, 2 * (common + gain) / length, np.inf)
        return np.where(self.has & self.has[i], b, 0.0)

    def bound_pieces(self, i: int, others: list[int]) -> Any:
        """Bound 2 of report ``i``'s own masked text against each of ``others``' (an array, same order)."""
        import numpy as np

        if not others:
            return np.zeros(0)
        hi = self.padded[i][self.padded[i] >= 0]
        js = np.array(others)
        mine = (self.bits[js][:, hi >> 6] >> (hi & 63).astype(np.uint64)) & np.uint64(1)  # i's pieces in j's
        theirs = self.padded[js]
        safe = np.where(theirs >= 0, theirs, 0)
        in_mine = ((self.bits[i][safe >> 6] >> (safe & 63).astype(np.uint64)) & np.uint64(1)) * (theirs >= 0)
        cover = np.minimum(_coverage(mine.astype(np.int32)), _coverage(in_mine.astype(np.int32)))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.where(self.own_length[i] + self.own_length[js] > 0,
                            2 * cover / (self.own_length[i] + self.own_length[js]), 0.0)  # fmt: skip

    def covered(self, i: int, j: int) -> int:
        """Characters of report ``i``'s own masked text inside a 12-character piece of report ``j``'s."""
        import numpy as np

        if j not in self._unique:
            self._unique[j] = np.unique(self.pieces[j])
        starts = np.isin(self.pieces[i], self._unique[j])
        if not starts.any():
            return 0
        cover = np.convolve(starts.astype(np.int32), np.ones(PASSAGE, dtype=np.int32))[: len(self.own[i])]
        return int(np.count_nonzero(cover))


def _coverage(starts: Any) -> Any:
    """Per row: positions covered by a piece starting at a marked position (rows × pieces, 1 = the piece occurs)."""
    import numpy as np

    rows, width = starts.shape
    if width == 0:
        return np.zeros(rows)
    csum = np.zeros((rows, width + 1), dtype=np.int32)
    np.cumsum(starts, axis=1, out=csum[:, 1:])
    k = np.arange(width + PASSAGE - 1)
    window = csum[:, np.minimum(k, width - 1) + 1] - csum[:, np.maximum(k - PASSAGE + 1, 0)]
    return np.count_nonzero(window > 0, axis=1)


class Peers(list):
    """A batch's reports, passed as ``peers`` to ``check_report``: COPY-PEER asks it which pairs to compare."""

    def __init__(self, reports: Iterable[Report] = ()) -> None:
        super().__init__(reports)
        self._position = {id(r): i for i, r in enumerate(self)}
        self._own = [frozenset(self_names(r)) for r in self]
        self._names = set().union(*self._own)
        self._sections: dict[str, _SectionIndex] = {}
        self.agencies = NameFinder({r.agency for r in self if r.agency})  # STALE-NAME looks for them in each sentence

    def position(self, report: Report) -> int | None:
        return self._position.get(id(report))

    def __setstate__(self, state: dict) -> None:  # unpickled in a spawned worker: the reports are new objects
        self.__dict__.update(state)
        self._position = {id(r): i for i, r in enumerate(self)}

    def _index(self, report: Report, num: str) -> tuple[_SectionIndex, int] | None:
        i = self._position.get(id(report))
        if i is None or len(self) < INDEX_FROM:
            return None
        if num not in self._sections:
            self.build((num,))
        return self._sections[num], i

    def candidates(self, report: Report, num: str, threshold: float) -> list[Report]:
        """The peers (in batch order) whose section ``num`` may be at least ``threshold`` similar to ``report``'s."""
        found = self._index(report, num)
        if found is None:
            return list(self)
        import numpy as np

        index, i = found
        near = np.nonzero(index.bound(i) >= threshold - 0.0005)[0].tolist()  # ratios are rounded to 3 places
        # bound 2 holds for the pairs compared as each report's own masked text
        own = [j for j in near if j != i and self._own_texts_compared(index, i, j)]
        far = {j for j, b in zip(own, index.bound_pieces(i, own), strict=True) if b < threshold - 0.0005}
        return [self[j] for j in near if j not in far]

    def _own_texts_compared(self, index: _SectionIndex, i: int, j: int) -> bool:
        """Neither report's text names the other's agency: masking with both names = with its own names only."""
        na, nb = self._own[i], self._own[j]
        return not (nb - na) & index.occurring[i] and not (na - nb) & index.occurring[j]

    def similar_at_least(self, a: Report, b: Report, num: str, threshold: float) -> Similarity | None:
        """``_text.similar_at_least`` of section ``num`` of ``a`` and ``b``, masked with both agencies' names."""
        sa, sb = a.section(num), b.section(num)
        if sa is None or sb is None:
            return None
        names = self_names(a) + self_names(b)
        found, other = self._index(a, num), self._position.get(id(b))
        if found is not None and other is not None:
            index, i = found
            if self._own_texts_compared(index, i, other):
                x, y = index.own[i], index.own[other]
                if not x or not y:
                    return Similarity(0.0, (), 0)
                bound = 2 * min(index.covered(i, other), index.covered(other, i)) / (len(x) + len(y))
                if round(bound, 3) < threshold:
                    return None
                return _similarity(sa.text, x, y, names, PASSAGE)
        return similar_at_least(sa.text, sb.text, threshold, names=names)

    def build(self, nums: Iterable[str], texts: Sequence[dict[str, SectionText | None]] | None = None) -> Peers:
        """Build the section indexes now (before worker processes are forked, so they share them).
        ``texts``: each report's :func:`section_texts` for ``nums``, when already computed."""
        if len(self) >= INDEX_FROM:
            nums = tuple(nums)
            if texts is None:
                texts = [section_texts(r, nums) for r in self]
            for num in nums:
                if num not in self._sections:
                    self._sections[num] = _SectionIndex(self._names, [t[num] for t in texts])
        return self
