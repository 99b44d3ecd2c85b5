"""Against a real OpenAI-compatible endpoint, only when the developer has one configured
(``OPENAI_BASE_URL`` and, if needed, ``OPENAI_API_KEY`` / ``XXGK_LLM__MODEL``). Skipped otherwise."""

from __future__ import annotations

import pytest

from assistant.llm import Assistant
from assistant.llm.client import ChatClient
from assistant.report import read_report
from assistant.settings import Settings

from .conftest import REAL_LLM, ROOT
from .llm_helpers import ARTICLE_33, FakeKb

pytestmark = [
    pytest.mark.real_llm,
    pytest.mark.skipif(not REAL_LLM["OPENAI_BASE_URL"], reason="没有配置真实的大模型服务（OPENAI_BASE_URL）"),
]


def real_settings(tmp_path) -> Settings:
    s = Settings(home=tmp_path / "home")
    s.llm.base_url = REAL_LLM["OPENAI_BASE_URL"]
    s.llm.api_key = REAL_LLM["OPENAI_API_KEY"] or "not-needed"
    if REAL_LLM["XXGK_LLM__MODEL"]:
        s.llm.model = REAL_LLM["XXGK_LLM__MODEL"]
    return s


def test_real_model_answers_with_a_valid_citation(tmp_path):
    s = real_settings(tmp_path)
    assert ChatClient(s.llm).ping().ok
    a = Assistant(s, kb=FakeKb([ARTICLE_33])).ask("申请人来申请公开，我们最晚多久要答复？")
    assert a.mode == "llm" and a.citations and a.citations[0].citation == "《政府信息公开条例》第三十三条"
    assert not [f for f in a.flags if f["kind"] in ("unknown_marker", "unknown_article")]


def test_real_model_draft_passes_the_guard_or_says_where_not(tmp_path):
    s = real_settings(tmp_path)
    report = read_report(ROOT / "corpus" / "samples" / "青禾县人民政府_2024.html")
    d = Assistant(s, kb=FakeKb([])).draft(report)
    assert d.mode == "llm" and d.text
    for f in d.flags:  # a flag is allowed, but it must say which sentence and why
        assert f["problem"]
