"""``xxgk ui``: the browser app (Gradio loads only inside the command)."""

from __future__ import annotations

import time
from typing import Annotated, Optional

import typer


def ui(
    host: Annotated[Optional[str], typer.Option("--host", help="监听地址，默认 127.0.0.1（只有本机能打开）；其他地址必须设置登录用户 XXGK_APP__USERS")] = None,
    port: Annotated[Optional[int], typer.Option("--port", min=1, max=65535, help="监听端口，默认 7860")] = None,
) -> None:
    """启动浏览器界面：问答、审核、起草、知识库。

    首次启动且知识库为空时，会在后台索引项目的 corpus/ 目录（页面可先使用）。按 Ctrl+C 停止。
    """
    from ..settings import Settings

    settings = Settings()
    host = host or settings.app.host
    port = port or settings.app.port
    typer.echo(f"正在启动年报审核助手界面……（数据目录：{settings.home}）", err=True)
    from ..app.server import launch, login_users

    login_users(settings, host)  # refuse before the slow start when login is missing
    running = launch(settings, host=host, port=port, block=False, quiet=True)
    typer.echo(f"已启动：在浏览器中打开 {running.url}（按 Ctrl+C 停止）", err=True)
    try:
        while running.demo.is_running:
            time.sleep(0.2)
    except KeyboardInterrupt:
        typer.echo("正在停止……", err=True)
    finally:
        running.close()
    typer.echo("已停止。", err=True)


def register(app: typer.Typer) -> None:
    app.command("ui")(ui)
