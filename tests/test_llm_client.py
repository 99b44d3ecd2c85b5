"""The chat client against a real OpenAI-compatible server on loopback: replies, streams, failures."""

from __future__ import annotations

import time

import pytest

from assistant.errors import (
    LlmAuthError,
    LlmConnectionError,
    LlmModelError,
    LlmRateLimitError,
    LlmServerError,
    LlmStreamError,
    LlmTimeoutError,
    LlmTruncatedError,
)
from assistant.llm.client import ChatClient
from assistant.settings import LlmSettings, Settings
from assistant.testing.llm_stub import LlmStub, Reply


@pytest.fixture
def stub():
    with LlmStub(model="qwen-stub") as s:
        yield s


def client(stub: LlmStub, **kw) -> ChatClient:
    opts = {"base_url": stub.base_url, "api_key": "k", "model": "qwen-stub", "max_retries": 0, "timeout": 5.0, **kw}
    return ChatClient(LlmSettings(**opts))


def test_complete_and_stream_reach_the_server_with_model_timeout_and_max_tokens(stub):
    c = client(stub, max_tokens=321)
    stub.enqueue("依申请公开的答复期限是二十个工作日[1]。")
    assert c.complete([("system", "规则"), ("user", "多久答复")]) == "依申请公开的答复期限是二十个工作日[1]。"
    req = stub.chat_requests[-1]
    assert req["model"] == "qwen-stub" and req["max_tokens"] == 321 and not req.get("stream")
    assert [m["role"] for m in req["messages"]] == ["system", "user"]
    assert req["_headers"]["authorization"] == "Bearer k"
    stub.enqueue("流式回答：第一段，第二段。")
    pieces = list(c.stream([("user", "x")]))
    assert len(pieces) > 1 and "".join(pieces) == "流式回答：第一段，第二段。"
    assert stub.chat_requests[-1]["stream"] is True


@pytest.mark.parametrize(
    ("reply", "error", "words"),
    [
        (Reply(status=401, error="invalid api key"), LlmAuthError, "密钥无效"),
        (Reply(status=403), LlmAuthError, "密钥无效"),
        (Reply(status=404, error="The model `qwen-stub` does not exist"), LlmModelError, "没有这个模型"),
        (Reply(status=429), LlmRateLimitError, "过于频繁"),
        (Reply(status=503), LlmServerError, "内部错误"),
    ],
)
def test_http_errors_become_chinese_errors_with_a_next_step(stub, reply, error, words):
    stub.enqueue(reply)
    with pytest.raises(error) as e:
        client(stub).complete([("user", "x")])
    assert words in e.value.message and e.value.hint
    assert "Traceback" not in str(e.value)


def test_429_and_5xx_are_retried_with_backoff_then_succeed(stub):
    stub.enqueue(Reply(status=429, retry_after=0.05), Reply(status=500, retry_after=0.05), "第三次成功")
    assert client(stub, max_retries=2).complete([("user", "x")]) == "第三次成功"
    assert len(stub.chat_requests) == 3


def test_401_is_not_retried(stub):
    stub.enqueue(Reply(status=401), "不该用到")
    with pytest.raises(LlmAuthError):
        client(stub, max_retries=2).complete([("user", "x")])
    assert len(stub.chat_requests) == 1


def test_timeout_is_explicit_and_reported(stub):
    stub.enqueue(Reply("太慢了", delay=2.0))
    t0 = time.perf_counter()
    with pytest.raises(LlmTimeoutError) as e:
        client(stub, timeout=0.5).complete([("user", "x")])
    assert time.perf_counter() - t0 < 1.9
    assert "0.5 秒" in e.value.message


def test_reply_cut_by_length_raises_with_the_partial_text(stub):
    stub.enqueue(Reply("半截回答", finish_reason="length"))
    with pytest.raises(LlmTruncatedError) as e:
        client(stub).complete([("user", "x")])
    assert e.value.partial == "半截回答" and "截断" in e.value.message
    stub.enqueue(Reply("流式的半截回答", finish_reason="length"))
    got = []
    with pytest.raises(LlmTruncatedError) as e:
        for p in client(stub).stream([("user", "x")]):
            got.append(p)
    assert "".join(got) == e.value.partial == "流式的半截回答"


def test_broken_stream_raises_with_what_arrived(stub):
    stub.enqueue(Reply("这是一段会在中途断开的比较长的回答内容", broken=True))
    got = []
    with pytest.raises(LlmStreamError) as e:
        for p in client(stub).stream([("user", "x")]):
            got.append(p)
    assert got and e.value.partial == "".join(got) and "中途断开" in e.value.message


def test_nothing_listening_is_a_connection_error():
    stub = LlmStub().start()
    url = stub.base_url
    stub.stop()
    c = ChatClient(LlmSettings(base_url=url, api_key="k", max_retries=0, timeout=2.0))
    with pytest.raises(LlmConnectionError) as e:
        c.complete([("user", "x")])
    assert "无法连接" in e.value.message and "XXGK_LLM__BASE_URL" in e.value.hint


def test_ping_is_one_token_without_retries(stub):
    stub.enqueue("好")
    p = client(stub, max_retries=3).ping()
    assert p.configured and p.ok and "可用" in p.message
    req = stub.chat_requests[-1]
    assert req["max_tokens"] == 1
    stub.enqueue(Reply(status=500), "不该用到")
    p = client(stub, max_retries=3).ping()
    assert not p.ok and "内部错误" in p.message and len(stub.chat_requests) == 2


def test_offline_when_nothing_is_configured(monkeypatch):
    for var in ("OPENAI_BASE_URL", "OPENAI_API_KEY", "XXGK_LLM__BASE_URL", "XXGK_LLM__API_KEY"):
        monkeypatch.delenv(var, raising=False)
    s = Settings()
    assert not s.llm.enabled
    p = ChatClient(s.llm).ping()
    assert not p.configured and "离线模式" in p.message


def test_standard_openai_variables_switch_the_model_on(monkeypatch):
    for var in ("XXGK_LLM__BASE_URL", "XXGK_LLM__API_KEY", "OPENAI_API_KEY"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("XXGK_LLM__MODEL", "deepseek-chat")
    s = Settings()
    assert s.llm.enabled and s.llm.base_url == "http://127.0.0.1:9/v1" and s.llm.model == "deepseek-chat"
    monkeypatch.delenv("OPENAI_BASE_URL")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    s = Settings()
    assert s.llm.enabled and s.llm.base_url is None and s.llm.api_key.get_secret_value() == "sk-test"
    monkeypatch.setenv("XXGK_LLM__BASE_URL", "http://127.0.0.1:8/v1")
    assert Settings().llm.base_url == "http://127.0.0.1:8/v1"  # ours wins over the standard one
