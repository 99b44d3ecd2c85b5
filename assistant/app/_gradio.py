"""Gradio, imported once with its calls home turned off (every app module gets ``gr`` from here),
and the few helpers that keep its pop-ups Chinese."""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable
from html import escape
from typing import Any, TypeVar

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before the import: no look-ups of api.gradio.app
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # gradio_client would otherwise ask huggingface.co

import gradio as gr  # noqa: E402

from ..errors import XxgkError  # noqa: E402

F = TypeVar("F", bound=Callable[..., Any])
log = logging.getLogger("assistant.app")


def info(message: str) -> None:
    gr.Info(escape(message), title="提示")


def warning(message: str, duration: float = 10) -> None:
    gr.Warning(escape(message), duration=duration, title="注意")


def error(message: str) -> gr.Error:
    return gr.Error(escape(message), title="出错了", print_exception=False)


def guarded(fn: F) -> F:
    """A handler whose failures reach the page as one Chinese line, never a traceback."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except gr.Error:
            raise
        except XxgkError as e:
            raise error(str(e)) from e
        except Exception as e:
            if os.environ.get("XXGK_DEBUG"):
                raise
            log.exception("handler %s failed", getattr(fn, "__name__", fn))
            raise error(f"内部错误：{type(e).__name__}: {e}（请重试；问题仍在时设置 XXGK_DEBUG=1 重启并反馈）") from e

    return wrapper  # type: ignore[return-value]


__all__ = ["error", "gr", "guarded", "info", "warning"]
