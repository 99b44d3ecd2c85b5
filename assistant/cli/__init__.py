"""The ``xxgk`` command: a thin layer over the library (each command reads options, calls the API, prints)."""

from __future__ import annotations

import os
import sys

import typer

from ..errors import XxgkError

app = typer.Typer(
    name="xxgk",
    help="年报审核助手：审核政府信息公开工作年度报告（xxgk check），检索法规与往年报告（xxgk search），问答（xxgk ask），起草（xxgk draft），浏览器界面（xxgk ui）。",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

from . import check as _check  # noqa: E402  (registers commands)

_check.register(app)

try:  # the knowledge-base commands (heavy imports stay inside their functions)
    from . import kb as _kb  # noqa: E402

    _kb.register(app)
except ImportError:  # pragma: no cover - kb not installed in a trimmed build
    pass

from . import llm as _llm  # noqa: E402  (ask, draft, doctor; heavy imports inside the commands)

_llm.register(app)

from . import ui as _ui  # noqa: E402  (gradio loads inside the command)

_ui.register(app)


def main() -> None:
    """Console entry point: Chinese one-line errors, exit 2 for bad usage or input, no tracebacks."""
    import logging

    # library chatter (pdfminer's font warnings, chromadb) is not for the user's screen
    level = logging.DEBUG if os.environ.get("XXGK_DEBUG") else logging.ERROR
    handler = logging.StreamHandler()
    handler.setLevel(level)  # libraries that set their own logger to DEBUG (bm25s) stay quiet too
    logging.basicConfig(level=level, handlers=[handler])
    try:  # typer 0.29 vendors its own click
        from typer._click.exceptions import UsageError
    except ImportError:  # pragma: no cover - older typer on plain click
        from click.exceptions import UsageError

    try:
        code = app(standalone_mode=False)
    except UsageError as e:  # click's own messages are English: say it in Chinese too
        hint = f"运行 {e.ctx.command_path} --help 查看用法" if e.ctx else "运行 xxgk --help 查看用法"
        typer.echo(f"用法错误：{e.format_message()}（{hint}）", err=True)
        sys.exit(2)
    except typer.Abort:
        typer.echo("已中断。", err=True)
        sys.exit(130)
    except XxgkError as e:
        typer.echo(f"错误：{e}", err=True)
        sys.exit(2)
    except KeyboardInterrupt:
        typer.echo("已中断。", err=True)
        sys.exit(130)
    except Exception as e:  # noqa: BLE001 - last line of defence; raise under XXGK_DEBUG
        if os.environ.get("XXGK_DEBUG"):
            raise
        typer.echo(f"内部错误：{e.__class__.__name__}: {e}（设置环境变量 XXGK_DEBUG=1 可查看详细信息，并请反馈此问题）", err=True)
        sys.exit(3)
    sys.exit(code if isinstance(code, int) else 0)
