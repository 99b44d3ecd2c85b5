"""BM25 over jieba tokens (bm25s), saved as a generation directory switched atomically.

Layout under ``<index dir>/bm25``: ``g<generation>/`` holds bm25s's arrays plus ``ids.json`` and,
when every chunk's vector is known, ``vectors.npy`` (the same ids' vectors, row by row: a local
search then needs neither Chroma nor its import, and scores 10k chunks in a few milliseconds) and
``adapter.npy`` (the question→article map learned from the 问答, :mod:`.adapter`) and ``asked.npy`` with
``asked.json`` (the 问答 questions embedded as queries and their chunk ids, :mod:`.asked`);
``CURRENT`` names the live generation and is replaced with ``os.replace`` only after the new
directory is complete, so a reader never sees a half-written index.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np


NO_ADAPTER = "adapter.none"
ADAPTER_KEY = "adapter.key"
NO_ASKED = "asked.none"
ASKED_KEY = "asked.key"
Asked = tuple[str, list[str], np.ndarray]  # (key, 问答 chunk ids, their question vectors): :func:`.asked.embed`


class Bm25Index:
    def __init__(
        self, ids: list[str], retriever=None, vocab: dict[str, int] | None = None, vectors: np.ndarray | None = None,  # noqa: ANN001
        adapter: np.ndarray | None = None, adapter_key: str = "", asked: Asked | None = None,
    ):
        self.ids = ids
        self._r = retriever
        self._vocab = vocab or {}
        self._pos = {cid: i for i, cid in enumerate(ids)}
        self.vectors = vectors if vectors is not None and len(vectors) == len(ids) else None
        self.adapter = adapter if self.vectors is not None else None
        self.adapter_key = adapter_key if self.adapter is not None else ""  # what it was fitted on (:func:`.adapter.learn`)
        self.asked = asked if self.vectors is not None and asked is not None and len(asked[1]) == len(asked[2]) else None

    def knows(self, token: str) -> bool:
        return token in self._vocab

    @classmethod
    def build(
        cls, ids: Sequence[str], tokens: Sequence[Sequence[str]], vectors: np.ndarray | None = None,
        adapter: tuple[str, np.ndarray] | None = None, asked: Asked | None = None,
    ) -> Bm25Index:
        import bm25s

        ids = list(ids)
        if not ids:
            return cls([])
        r = bm25s.BM25(k1=1.2, b=0.75)
        # an empty document still needs a token so that positions line up with ids
        r.index([list(t) or ["\u2205"] for t in tokens], show_progress=False)
        key, matrix = adapter if adapter is not None else ("", None)
        return cls(ids, r, dict(r.vocab_dict), vectors, matrix, key, asked)

    def __len__(self) -> int:
        return len(self.ids)

    def position(self, chunk_id: str) -> int | None:
        return self._pos.get(chunk_id)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """A BM25 score for every indexed chunk (zeros when no query token is known)."""
        if self._r is None:
            return np.zeros(0, dtype=np.float32)
        known = [t for t in query_tokens if t in self._vocab]
        if not known:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._r.get_scores(known), dtype=np.float32)

    def top(self, query_tokens: Sequence[str], n: int, mask: np.ndarray | None = None) -> list[tuple[str, float]]:
        """The ``n`` best (chunk id, score) with a positive score, optionally within ``mask``."""
        s = self.scores(query_tokens)
        if s.size == 0:
            return []
        if mask is not None:
            s = np.where(mask, s, 0.0)
        n = min(n, int(np.count_nonzero(s > 0)))
        if n <= 0:
            return []
        idx = np.argpartition(-s, n - 1)[:n]
        idx = idx[np.argsort(-s[idx], kind="stable")]
        return [(self.ids[i], float(s[i])) for i in idx]

    # -- persistence -------------------------------------------------------------------------

    def save(self, root: Path, generation: int) -> None:
        root.mkdir(parents=True, exist_ok=True)
        final = root / f"g{generation}"
        tmp = root / f".tmp-g{generation}-{os.getpid()}"
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir()
        if self._r is not None:
            self._r.save(str(tmp), show_progress=False)
        if self.vectors is not None:
            np.save(tmp / "vectors.npy", np.asarray(self.vectors, dtype=np.float32))
        if self.adapter is not None:
            np.save(tmp / "adapter.npy", np.asarray(self.adapter, dtype=np.float32))
            (tmp / ADAPTER_KEY).write_text(self.adapter_key, encoding="utf-8")
        elif self.vectors is not None:  # learned and found too few 问答: no need to try again
            (tmp / NO_ADAPTER).write_text("", encoding="utf-8")
        if self.asked is not None:
            np.save(tmp / "asked.npy", np.asarray(self.asked[2], dtype=np.float32))
            (tmp / "asked.json").write_text(json.dumps(self.asked[1], ensure_ascii=False), encoding="utf-8")
            (tmp / ASKED_KEY).write_text(self.asked[0], encoding="utf-8")
        elif self.vectors is not None:  # no 问答 questions to embed
            (tmp / NO_ASKED).write_text("", encoding="utf-8")
        (tmp / "ids.json").write_text(json.dumps(self.ids, ensure_ascii=False), encoding="utf-8")
        shutil.rmtree(final, ignore_errors=True)
        os.replace(tmp, final)
        pointer = root / f".CURRENT-{os.getpid()}"
        pointer.write_text(str(generation), encoding="utf-8")
        os.replace(pointer, root / "CURRENT")
        for old in root.iterdir():  # older generations and leftovers of a crash
            if old.name not in ("CURRENT", final.name):
                if old.is_dir():
                    shutil.rmtree(old, ignore_errors=True)
                else:
                    old.unlink(missing_ok=True)

    @classmethod
    def saved_adapter(cls, root: Path) -> tuple[str, np.ndarray] | None:
        """``(key, A)`` of the live generation's question map, if it has one."""
        gen = cls.saved_generation(root)
        if gen is None:
            return None
        matrix, key = _saved_adapter(root / f"g{gen}")
        return (key, np.array(matrix)) if matrix is not None else None

    @classmethod
    def saved_asked(cls, root: Path) -> Asked | None:
        """The live generation's 问答 question vectors (:mod:`.asked`), if it has them."""
        gen = cls.saved_generation(root)
        if gen is None:
            return None
        got = _saved_asked(root / f"g{gen}")
        return (got[0], got[1], np.array(got[2])) if got is not None else None

    @classmethod
    def lacks_derived(cls, root: Path) -> bool:
        """Whether the live generation has vectors but was written before the question map or the
        question vectors existed (neither the file nor the note that there was nothing to derive)."""
        gen = cls.saved_generation(root)
        d = root / f"g{gen}"
        if gen is None or not (d / "vectors.npy").is_file():
            return False
        return not ((d / "adapter.npy").is_file() or (d / NO_ADAPTER).is_file()) or not ((d / "asked.npy").is_file() or (d / NO_ASKED).is_file())

    @staticmethod
    def saved_generation(root: Path) -> int | None:
        try:
            return int((root / "CURRENT").read_text(encoding="utf-8").strip())
        except (OSError, ValueError):
            return None

    @classmethod
    def load(cls, root: Path) -> Bm25Index | None:
        gen = cls.saved_generation(root)
        if gen is None:
            return None
        d = root / f"g{gen}"
        try:
            ids = json.loads((d / "ids.json").read_text(encoding="utf-8"))
            if not ids:
                return cls([])
            import bm25s

            r = bm25s.BM25.load(str(d), show_progress=False)
            return cls(ids, r, dict(r.vocab_dict), _load_vectors(d), *_saved_adapter(d), _saved_asked(d))
        except (OSError, ValueError, KeyError):
            return None

    @classmethod
    def saved_vectors(cls, root: Path) -> dict[str, np.ndarray]:
        """``{chunk id: vector}`` of the live generation (empty when it has none)."""
        gen = cls.saved_generation(root)
        if gen is None:
            return {}
        d = root / f"g{gen}"
        try:
            ids = json.loads((d / "ids.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return {}
        m = _load_vectors(d)
        return {} if m is None or len(m) != len(ids) else dict(zip(ids, m))


def _load_vectors(d: Path, name: str = "vectors.npy") -> np.ndarray | None:
    p = d / name
    if not p.is_file():
        return None
    try:
        return np.load(p, mmap_mode="r")
    except (OSError, ValueError):
        return None


def _saved_adapter(d: Path) -> tuple[np.ndarray | None, str]:
    matrix = _load_vectors(d, "adapter.npy")
    try:
        key = (d / ADAPTER_KEY).read_text(encoding="utf-8").strip()
    except OSError:
        key = ""
    return matrix, key


def _saved_asked(d: Path) -> Asked | None:
    matrix = _load_vectors(d, "asked.npy")
    if matrix is None:
        return None
    try:
        ids = json.loads((d / "asked.json").read_text(encoding="utf-8"))
        key = (d / ASKED_KEY).read_text(encoding="utf-8").strip()
    except (OSError, ValueError):
        return None
    return (key, ids, matrix) if isinstance(ids, list) and len(ids) == len(matrix) else None
