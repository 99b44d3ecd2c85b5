"""The page's tabs, in order. Each is a module with ``TITLE`` and ``build(ctx)``.

``build(ctx: AppContext) -> None`` is called inside ``gr.Tab(TITLE)`` and lays out that tab's
components and events; its handlers are plain functions in a Gradio-free module (``workspace``,
``knowledge`` …) so tests call them without a browser. To add a tab: write ``tabs/<name>.py``
with ``TITLE`` and ``build``, then add it to :data:`TABS` below (one line).
"""

from __future__ import annotations

from . import ask, draft, knowledge, review

TABS = (ask, review, draft, knowledge)

__all__ = ["TABS"]
