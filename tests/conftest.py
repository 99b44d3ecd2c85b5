from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared" / "corpus"
FIXTURES = Path(__file__).parent / "fixtures"


# a real OpenAI-compatible endpoint, if the developer has one configured (tests/test_llm_real.py);
# every other test runs with no model configured unless it starts the loopback stub itself
REAL_LLM = {k: os.environ.get(k) for k in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "XXGK_LLM__MODEL")}


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    """No test touches the user's data dir, the network or a developer's model settings."""
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "XXGK_LLM__BASE_URL", "XXGK_LLM__API_KEY", "XXGK_LLM__MODEL"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("XXGK_HOME", str(tmp_path_factory.mktemp("xxgk_home")))
    monkeypatch.setenv("ANONYMIZED_TELEMETRY", "False")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("GRADIO_ANALYTICS_ENABLED", "False")


def shared_corpus() -> Path:
    """The shared real corpus; skip when absent, but fail under CI=true (it must be there)."""
    if not SHARED.is_dir():
        if os.environ.get("CI") == "true":
            pytest.fail(f"../shared/corpus is missing ({SHARED}); CI must run with it")
        pytest.skip("../shared/corpus not present")
    return SHARED


@pytest.fixture
def corpus_dir() -> Path:
    return shared_corpus()
