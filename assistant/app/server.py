"""The page: status line on top, then the tabs of :data:`assistant.app.tabs.TABS`; and ``launch``.

Gradio is imported through :mod:`assistant.app._gradio`, which turns its analytics off first:
nothing of the app reaches out to the internet. Importing this module does not load Gradio yet.
"""

from __future__ import annotations

import ipaddress
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..errors import UsageError
from .context import AppContext

if TYPE_CHECKING:
    import gradio as gr

    from ..settings import Settings

TITLE = "年报审核助手"
_LOCALE = "zh-CN"

CSS = """
.gradio-container { max-width: 1400px !important; }
#status-line { font-size: 0.9em; padding: 6px 12px; border-radius: 8px; background: var(--block-background-fill); }
#status-line div { margin: 2px 0; }
.status-busy { color: #1a5276; } .status-ok { color: #1e8449; } .status-warn { color: #9a5b00; }
.hint { color: var(--body-text-color-subdued); }
.muted { color: var(--body-text-color-subdued); font-size: 0.92em; }
.detail { line-height: 1.6; }
.detail-head { font-size: 1.05em; margin-bottom: 4px; }
.badge { display: inline-block; padding: 0 8px; border-radius: 10px; color: #fff; font-size: 0.85em; }
.sev-error { background: #c0392b; } .sev-warning { background: #d68910; } .sev-info { background: #2e86c1; }
.msg { margin: 8px 0; }
table.ea, table.ctx { border-collapse: collapse; margin: 6px 0; font-size: 0.92em; }
table.ea th, table.ea td, table.ctx th, table.ctx td { border: 1px solid var(--border-color-primary); padding: 2px 8px; text-align: center; }
table.ctx th.rowhead { text-align: left; font-weight: normal; }
table.ctx td.hit, li.hit-item { background: #fdebd0; font-weight: bold; color: #1f2937; }
.ctx-box { border-left: 3px solid #d68910; padding: 4px 10px; margin: 8px 0; }
.ctx-title { font-weight: bold; margin-top: 4px; }
.ctx-text mark { background: #fdebd0; }
.basis { margin-top: 6px; }
.triage { margin-top: 6px; }
.hit { margin-bottom: 10px; }
/* Gradio titles its pop-ups with the English type name (Info/Warning/Error) whatever the language */
.toast-title { font-size: 0 !important; }
.toast-title::before { font-size: var(--text-md); font-weight: 600; }
.toast-title.info::before { content: "提示"; } .toast-title.warning::before { content: "注意"; }
.toast-title.error::before { content: "出错了"; } .toast-title.success::before { content: "完成"; }
/* 问答: the sources beside the answer */
.src-mode { font-weight: 600; margin-bottom: 6px; } .src-q { color: var(--body-text-color-subdued); margin-bottom: 6px; }
.src-item { border-left: 3px solid #2e86c1; padding: 2px 10px; margin: 8px 0; }
.src-text { white-space: pre-wrap; font-size: 0.92em; line-height: 1.6; } .src-file { color: var(--body-text-color-subdued); font-size: 0.85em; }
.src-via { color: #1f6f8b; font-size: 0.88em; margin: 2px 0 4px; }
.src-none, .src-empty, .src-wait { color: var(--body-text-color-subdued); }
.src-facts, .src-flags { margin-top: 8px; } .src-flags { color: #9a5b00; }
/* 起草: the guard's verdict on the sentences */
.draft-mode { font-weight: 600; } .draft-notice { color: #9a5b00; } .draft-ok { color: #1e8449; margin-top: 6px; }
.draft-bad { color: #9a5b00; margin-top: 6px; font-weight: 600; }
.draft-marked { white-space: normal; line-height: 1.8; border-left: 3px solid #d68910; padding: 4px 10px; margin-top: 8px; }
mark.draft-flag { background: #fdebd0; color: #1f2937; } mark.draft-flag sup { color: #c0392b; font-weight: 600; }
"""

# Gradio's own labels (upload box, buttons, errors) follow navigator.language; this page is Chinese
# whatever the browser says, so the language is set before Gradio's scripts read it. Two upload
# refusals that Gradio writes in English whatever the language are rewritten as they appear.
_LOCALE_JS = """(function(){
try{var d=Object.defineProperty,p=Navigator.prototype;
d(p,'language',{get:function(){return 'LOCALE'},configurable:true});
d(p,'languages',{get:function(){return ['LOCALE','zh']},configurable:true});}catch(e){}
var R=[[/File\\(s\\) exceed the maximum allowed size of ([^:]+):\\s*([\\s\\S]*)/,'文件超过上传大小上限（$1），未上传：$2。请确认是否选错了文件。'],
[/Invalid file types?: ([\\s\\S]*?)\\. Only ([\\s\\S]*) allowed\\./,'文件类型不支持，未上传：$1。可以上传的类型：$2。']];
function fix(root){if(!root)return;if(root.nodeType===3)root=root.parentNode;if(!root)return;var w=document.createTreeWalker(root,NodeFilter.SHOW_TEXT),n;
while((n=w.nextNode())){var t=n.nodeValue;if(t.indexOf('exceed the maximum')<0&&t.indexOf('Invalid file type')<0)continue;
for(var i=0;i<R.length;i++){if(R[i][0].test(t)){n.nodeValue=t.replace(R[i][0],R[i][1]);break;}}}}
document.addEventListener('DOMContentLoaded',function(){new MutationObserver(function(ms){for(var i=0;i<ms.length;i++){
var m=ms[i];if(m.type==='characterData'){fix(m.target.parentNode||m.target);}else{for(var j=0;j<m.addedNodes.length;j++){fix(m.addedNodes[j]);}}}})
.observe(document.body,{childList:true,subtree:true,characterData:true});});
})();""".replace("LOCALE", _LOCALE)
_LOCALE_SCRIPT = f"<script>{_LOCALE_JS}</script>".encode()


class _ChineseChrome:
    """ASGI middleware: put :data:`_LOCALE_SCRIPT` first in ``<head>`` of every HTML page."""

    def __init__(self, app: Any):
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] != "http" or scope.get("method") != "GET":
            await self.app(scope, receive, send)
            return
        start: dict | None = None
        body: list[bytes] = []

        async def capture(message: dict) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    start = message
                    return
                await send(message)
            elif start is not None and message["type"] == "http.response.body":
                body.append(message.get("body", b""))
                if not message.get("more_body"):
                    html = b"".join(body).replace(b"<head>", b"<head>" + _LOCALE_SCRIPT, 1)
                    headers = [(k, v) for k, v in start.get("headers", []) if k.lower() != b"content-length"]
                    headers.append((b"content-length", str(len(html)).encode()))
                    await send({**start, "headers": headers})
                    await send({"type": "http.response.body", "body": html})
            else:
                await send(message)

        await self.app(scope, receive, capture)


def build_app(settings: Settings, ctx: AppContext | None = None) -> gr.Blocks:
    """The whole page for ``settings`` (``ctx`` shares an existing context; tests pass one)."""
    from ._gradio import gr

    from .status import status_for
    from .tabs import TABS

    ctx = ctx or AppContext(settings)
    with gr.Blocks(title=TITLE, delete_cache=(3600, 86400), analytics_enabled=False) as demo:
        with gr.Row():
            gr.Markdown(f"## {TITLE}", elem_id="app-title")
        status = gr.HTML("正在读取状态……", elem_id="status-line")
        timer = gr.Timer(2.0)

        def tick():  # noqa: ANN202
            text = status_for(ctx)
            return text, gr.Timer(value=1.0 if ctx.job.snapshot().running else 15.0)

        demo.load(tick, None, [status, timer], show_progress="hidden")
        timer.tick(tick, None, [status, timer], show_progress="hidden", concurrency_id="status", concurrency_limit=None)
        with gr.Tabs(elem_id="main-tabs"):
            for tab in TABS:
                with gr.Tab(tab.TITLE, id=tab.__name__.rsplit(".", 1)[-1], elem_id=f"tab-{tab.__name__.rsplit('.', 1)[-1]}"):
                    tab.build(ctx)
    demo.xxgk_ctx = ctx  # type: ignore[attr-defined] - launch() and tests reach the context through the page
    return demo


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def login_users(settings: Settings, host: str) -> list[tuple[str, str]]:
    """The login list; a :class:`UsageError` when the app would be reachable from other machines without one."""
    users = settings.app.credentials()
    if not users and not is_loopback(host):
        raise UsageError(
            f"监听 {host} 时其他电脑也能打开本页面，必须设置登录用户",
            "请设置 XXGK_APP__USERS=用户名:密码（多个用逗号分隔）或 XXGK_APP__USERS_FILE=用户文件；只在本机使用时不要指定 --host",
        )
    return users


def _port_free(host: str, port: int) -> bool:
    import socket

    try:
        family = socket.AF_INET6 if ":" in host else socket.AF_INET
        with socket.socket(family) as s:
            s.bind((host, port))
        return True
    except OSError:
        return False


@dataclass
class Running:
    """A started app: its URL, the Gradio page and the shared context (``close()`` stops it)."""

    url: str
    demo: gr.Blocks
    ctx: AppContext

    def close(self) -> None:
        self.demo.close(verbose=False)
        self.ctx.close()


def launch(settings: Settings, *, host: str | None = None, port: int | None = None, block: bool = True, quiet: bool = False) -> Running:
    """Start the app (refuses a non-loopback host without login users); ``block=False`` returns at once."""
    from starlette.middleware import Middleware

    from ..kb.sources import default_corpus

    host = host or settings.app.host
    port = port or settings.app.port
    users = login_users(settings, host)
    if not _port_free(host, port):
        raise UsageError(f"端口 {port} 已被占用（可能已经启动过一个 xxgk ui）", "请用 --port 换一个端口，或先关闭占用该端口的程序")
    app = settings.app
    ctx = AppContext(settings)
    ctx.cleanup()
    demo = build_app(settings, ctx)
    demo.queue(max_size=app.queue_size, default_concurrency_limit=app.default_concurrency)
    biggest = max(app.max_upload_mb, app.max_zip_mb)  # per-type limits are ours, with Chinese messages
    ctx.exports_dir.mkdir(parents=True, exist_ok=True)
    _, url, _ = demo.launch(
        server_name=host,
        server_port=port,
        share=False,
        auth=users or None,
        auth_message="请输入管理员分配的用户名和密码。" if users else None,
        max_file_size=int(biggest * 1024 * 1024),
        allowed_paths=[str(ctx.exports_dir)],
        prevent_thread_lock=True,
        quiet=quiet,
        show_error=True,
        css=CSS,
        footer_links=["settings"],
        app_kwargs={"middleware": [Middleware(_ChineseChrome)]},
        ssr_mode=False,
        mcp_server=False,
        enable_monitoring=False,
        inbrowser=False,
    )
    running = Running(url=str(url or f"http://{host}:{port}/"), demo=demo, ctx=ctx)
    ctx.start_first_index(default_corpus(settings))  # the page is up: indexing shows on its status line
    if block:
        try:
            while demo.is_running:
                time.sleep(0.2)
        except KeyboardInterrupt:
            pass
        finally:
            running.close()
    return running


__all__ = ["CSS", "Running", "TITLE", "build_app", "is_loopback", "launch", "login_users"]
