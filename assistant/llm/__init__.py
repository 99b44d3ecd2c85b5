"""Ask and draft with a chat model, kept honest by the review engine's validators.

Import is light (nothing of langchain/openai loads until a model is called), and nothing here is
on the ``xxgk check`` path. Entry point: :class:`Assistant` (``ask``, ``ask_stream``, ``draft``,
``draft_stream``); :class:`ChatClient` for the model; prompts live in the project's ``prompts/``.
"""

from __future__ import annotations

from .ask import NO_BASIS, Answer, Assistant, Citation, Passage
from .client import ChatClient, Ping
from .draft import Draft

__all__ = ["NO_BASIS", "Answer", "Assistant", "ChatClient", "Citation", "Draft", "Passage", "Ping"]
