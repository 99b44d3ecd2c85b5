"""Gradio, imported once with its calls home turned off (every app module gets ``gr`` from here)."""

from __future__ import annotations

import os

os.environ["GRADIO_ANALYTICS_ENABLED"] = "False"  # before the import: no look-ups of api.gradio.app
os.environ.setdefault("HF_HUB_OFFLINE", "1")  # gradio_client would otherwise ask huggingface.co

import gradio as gr  # noqa: E402

__all__ = ["gr"]
