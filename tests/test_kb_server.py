"""Server mode: a real ``chroma run`` on 127.0.0.1 with a free port, started and stopped here."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import HashEmbedder
from assistant.kb.store import StoreUnavailableError
from assistant.settings import KbSettings, Settings
from assistant.testing.procs import stop

from .test_kb_data import write_corpus


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def chroma_server(tmp_path_factory):
    exe = Path(sys.executable).parent / "chroma"
    if not exe.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"{exe} is missing: chromadb must be installed in the venv")
        pytest.skip("chroma console script not installed")
    data = tmp_path_factory.mktemp("chroma_server")
    port = _free_port()
    log = (data / "server.log").open("wb")
    env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
    proc = subprocess.Popen(
        [str(exe), "run", "--host", "127.0.0.1", "--port", str(port), "--path", str(data / "db")],
        stdout=log,
        stderr=subprocess.STDOUT,
        env=env,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            try:
                with urllib.request.urlopen(f"{url}/api/v2/heartbeat", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                pytest.fail("chroma run did not start: " + (data / "server.log").read_text(errors="replace")[-2000:])
            time.sleep(0.2)
        yield url
    finally:
        stop(proc, timeout=15)
        log.close()


def test_index_and_search_through_the_server(chroma_server, tmp_path):
    settings = Settings(home=tmp_path / "home", kb=KbSettings(chroma_url=chroma_server))
    write_corpus(tmp_path / "c")
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    rep = kb.index([tmp_path / "c"])
    assert len(rep.added) == 3
    assert not (tmp_path / "home" / "kb" / "chroma").exists()  # nothing stored locally by Chroma
    assert kb.store().count() == kb.stats()["chunks"]
    kb.close()
    other = KnowledgeBase(settings, embedder=HashEmbedder())  # a second client sees the same vectors
    hits = other.search("申请人要求确认已经获取的信息", k=3, mode="dense")
    assert hits and hits[0].citation == "《样例公开条例》第三条之一"
    assert all(h.metadata["law"] == "样例档案办法" for h in other.search("档案", k=5, filters={"law": "样例档案办法"}, mode="dense"))
    other.close()


def test_unreachable_server_gives_a_chinese_hint(tmp_path):
    settings = Settings(home=tmp_path / "home", kb=KbSettings(chroma_url=f"http://127.0.0.1:{_free_port()}"))
    kb = KnowledgeBase(settings, embedder=HashEmbedder())
    with pytest.raises(StoreUnavailableError) as e:
        kb.store()
    assert "无法连接 Chroma 服务" in str(e.value) and "chroma run" in str(e.value)
    kb.close()
