"""The chat model behind ask and draft: LangChain's ``ChatOpenAI`` against any OpenAI-compatible
endpoint (DeepSeek, Qwen, vLLM, Ollama), built from :class:`~assistant.settings.LlmSettings`.

Errors of ``openai``/``httpx``/LangChain are translated here, once, into the
:class:`~assistant.errors.LlmError` tree (Chinese message + next step); nothing above this module
sees a library exception. A reply cut by the length limit raises :class:`LlmTruncatedError` carrying
the partial text; a stream that breaks off raises :class:`LlmStreamError` carrying what arrived.

Tests pass a LangChain fake chat model as ``model`` (``GenericFakeChatModel``) or point
``base_url`` at :class:`assistant.testing.llm_stub.LlmStub`.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import (
    LlmAuthError,
    LlmConnectionError,
    LlmError,
    LlmModelError,
    LlmRateLimitError,
    LlmServerError,
    LlmStreamError,
    LlmTimeoutError,
    LlmTruncatedError,
)

if TYPE_CHECKING:
    from langchain_core.language_models import BaseChatModel

    from ..settings import LlmSettings

# (role, content) with role in system | user | assistant
Message = tuple[str, str]


@dataclass(frozen=True)
class Ping:
    """What ``xxgk doctor`` and the app's status line show about the chat model."""

    configured: bool
    ok: bool
    model: str
    base_url: str | None
    seconds: float | None = None
    message: str = ""  # Chinese: why it failed, or what answered


def translate(e: BaseException, settings: LlmSettings | None = None, *, streaming: bool = False, partial: str = "") -> LlmError:
    """Any exception from the client stack → the matching :class:`LlmError` (Chinese)."""
    if isinstance(e, LlmError):
        return e
    import openai

    where = f"（{settings.base_url or 'api.openai.com'}，模型 {settings.model}）" if settings else ""
    status = getattr(e, "status_code", None)
    detail = _detail(e)
    if isinstance(e, (openai.AuthenticationError, openai.PermissionDeniedError)) or status in (401, 403):
        err: LlmError = LlmAuthError(f"大模型服务拒绝了请求：密钥无效或无权使用{where}{detail}")
    elif isinstance(e, openai.NotFoundError) or status == 404:
        err = LlmModelError(f"大模型服务上没有这个模型或接口{where}{detail}")
    elif isinstance(e, openai.BadRequestError) or status in (400, 422):
        if "model" in str(e).lower():
            err = LlmModelError(f"大模型服务不接受这个模型名{where}{detail}")
        else:
            err = LlmError(f"大模型服务拒绝了请求（参数错误）{where}{detail}", "请检查 XXGK_LLM__* 设置；运行 xxgk doctor 检查")
    elif isinstance(e, openai.RateLimitError) or status == 429:
        err = LlmRateLimitError(f"大模型服务请求过于频繁或额度不足，重试后仍失败{where}{detail}")
    elif isinstance(e, openai.InternalServerError) or (isinstance(status, int) and status >= 500):
        err = LlmServerError(f"大模型服务内部错误（{status or '5xx'}），重试后仍失败{where}")
    elif isinstance(e, openai.APITimeoutError) or _is_timeout(e):
        secs = f"{settings.timeout:g} 秒" if settings else "规定时间"
        err = LlmTimeoutError(f"大模型服务在 {secs}内没有回答{where}")
    elif streaming and partial:
        err = LlmStreamError(f"大模型的回答中途断开（已收到 {len(partial)} 个字）{where}")
    elif isinstance(e, openai.APIConnectionError) or _is_connection(e):
        if streaming:
            err = LlmStreamError(f"大模型的回答中途断开{where}")
        else:
            err = LlmConnectionError(f"无法连接大模型服务{where}")
    elif streaming:
        err = LlmStreamError(f"大模型的回答中途断开（{type(e).__name__}）{where}")
    else:
        err = LlmError(f"调用大模型失败：{type(e).__name__}{where}")
    err.partial = partial
    return err


def _detail(e: BaseException) -> str:
    body = getattr(e, "body", None)
    msg = ""
    if isinstance(body, dict):
        inner = body.get("error", body)
        msg = str(inner.get("message", "")) if isinstance(inner, dict) else str(inner)
    return f"：{msg[:120]}" if msg else ""


def from_client(e: BaseException) -> bool:
    """Whether ``e`` comes from talking to the model (to translate) rather than from a bug (to raise)."""
    import httpx
    import openai
    from langchain_core.exceptions import LangChainException

    return isinstance(e, (LlmError, openai.OpenAIError, httpx.HTTPError, LangChainException, ConnectionError, TimeoutError, ValueError))


def _is_timeout(e: BaseException) -> bool:
    import httpx

    return isinstance(e, (httpx.TimeoutException, TimeoutError))


def _is_connection(e: BaseException) -> bool:
    import httpx

    return isinstance(e, (httpx.TransportError, ConnectionError))


def _to_messages(messages: Sequence[Message]) -> list[Any]:
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    kinds = {"system": SystemMessage, "user": HumanMessage, "assistant": AIMessage}
    return [kinds[role](content=text) for role, text in messages]


class ChatClient:
    """Complete or stream one conversation; ``enabled`` is False in 离线模式 (nothing configured)."""

    def __init__(self, settings: LlmSettings, model: BaseChatModel | None = None):
        self.settings = settings
        self._model = model
        self._fake = model is not None  # LangChain's fake chat models send no finish_reason

    @property
    def enabled(self) -> bool:
        return self._model is not None or self.settings.enabled

    @property
    def label(self) -> str:
        """The model's name as shown to users (``qwen2.5-7b-instruct``)."""
        return self.settings.model if self._model is None else getattr(self._model, "model_name", None) or type(self._model).__name__

    def model(self) -> BaseChatModel:
        if self._model is None:
            self._model = self._build()
        return self._model

    def _build(self, *, max_retries: int | None = None, max_tokens: int | None = None, timeout: float | None = None) -> BaseChatModel:
        if not self.settings.enabled:
            raise LlmError("没有配置大模型", "设置 XXGK_LLM__BASE_URL（或 OPENAI_BASE_URL）与 XXGK_LLM__MODEL 后重试；未配置时问答和起草使用离线模式")
        from langchain_openai import ChatOpenAI

        s = self.settings
        return ChatOpenAI(
            model=s.model,
            base_url=s.base_url,
            api_key=_secret(s.api_key) or "not-needed",  # mandatory even for a local server
            timeout=timeout or s.timeout,  # the library's default is no timeout at all
            max_retries=s.max_retries if max_retries is None else max_retries,  # 429 (retry-after), 5xx, timeouts: backoff
            temperature=s.temperature,
            extra_body={"max_tokens": max_tokens or s.max_tokens},  # what vLLM/Ollama/DeepSeek/Qwen read
            use_responses_api=False,
        )

    def complete(self, messages: Sequence[Message]) -> str:
        """The whole reply; raises :class:`LlmError` (``LlmTruncatedError`` has ``.partial``)."""
        try:
            out = self.model().invoke(_to_messages(messages))
        except Exception as e:
            if not from_client(e):
                raise
            raise translate(e, self.settings) from e
        text = _text(out)
        if (getattr(out, "response_metadata", None) or {}).get("finish_reason") == "length":
            raise _truncated(text)
        return text

    def stream(self, messages: Sequence[Message]) -> Iterator[str]:
        """Text pieces as they arrive; raises :class:`LlmError` (with ``.partial``) when it fails."""
        got: list[str] = []
        finish = None
        try:
            for chunk in self.model().stream(_to_messages(messages)):
                piece = _text(chunk)
                finish = (getattr(chunk, "response_metadata", None) or {}).get("finish_reason") or finish
                if piece:
                    got.append(piece)
                    yield piece
        except GeneratorExit:
            raise
        except Exception as e:
            if not from_client(e):
                raise
            raise translate(e, self.settings, streaming=True, partial="".join(got)) from e
        if finish == "length":
            raise _truncated("".join(got))
        if finish is None and not self._fake:  # OpenAI-compatible servers end a stream with a finish_reason
            err = LlmStreamError(f"大模型的回答中途断开（已收到 {len(''.join(got))} 个字）")
            err.partial = "".join(got)
            raise err

    def ping(self) -> Ping:
        """A 1-token call: is the model configured, and does it answer?"""
        s = self.settings
        if not self.enabled:
            return Ping(False, False, s.model, None, message="离线模式：没有配置大模型（XXGK_LLM__BASE_URL 或 OPENAI_BASE_URL）")
        t0 = time.perf_counter()
        try:
            # a fresh client: one token, no retries, a short timeout (doctor must not hang)
            model = self._model if self._model is not None else self._build(max_retries=0, max_tokens=1, timeout=min(s.timeout, 20.0))
            model.invoke(_to_messages([("user", "你好")]))
        except Exception as e:  # noqa: BLE001
            err = translate(e, s)
            return Ping(True, False, self.label, s.base_url, time.perf_counter() - t0, str(err))
        secs = time.perf_counter() - t0
        return Ping(True, True, self.label, s.base_url, secs, f"可用（{self.label}，{secs:.1f} 秒）")


def _secret(value: Any) -> str | None:
    if value is None:
        return None
    return value.get_secret_value() if hasattr(value, "get_secret_value") else str(value)


def _text(msg: Any) -> str:
    content = getattr(msg, "content", msg)
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # content parts
        return "".join(p.get("text", "") if isinstance(p, dict) else str(p) for p in content)
    return str(content or "")


def _truncated(partial: str) -> LlmTruncatedError:
    err = LlmTruncatedError(f"大模型的回答超出长度上限，被截断（已收到 {len(partial)} 个字）")
    err.partial = partial
    return err
