"""The browser app (``xxgk ui``): 问答, 审核, 起草, 知识库 on one page, Chinese throughout.

Layout: ``server.py`` builds the page (status line + the tabs listed in ``tabs/__init__.py``)
and launches it; each ``tabs/<name>.py`` lays out one tab; the work is done by Gradio-free
modules the tests call directly (``workspace``, ``detail``, ``triage``, ``memo``, ``overview``,
``knowledge``, ``uploads``, ``status``, ``demo``), sharing one :class:`context.AppContext`.

Importing this package is light; Gradio loads with :func:`build_app` / :func:`launch`.
"""

from __future__ import annotations

__all__ = ["build_app", "launch"]


def __getattr__(name: str):  # noqa: ANN202 - lazy: importing gradio takes seconds
    if name in ("build_app", "launch"):
        from . import server

        return getattr(server, name)
    raise AttributeError(name)
