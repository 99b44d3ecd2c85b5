"""Starting the app: login rules, settings, the tab list, and Gradio kept off the ``xxgk check`` path."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from assistant.app.server import is_loopback, login_users
from assistant.cli import app
from assistant.errors import UsageError
from assistant.settings import Settings

from .conftest import ROOT


@pytest.mark.parametrize("host, loop", [("127.0.0.1", True), ("localhost", True), ("::1", True), ("0.0.0.0", False), ("192.168.1.5", False), ("example.org", False)])
def test_is_loopback(host, loop):
    assert is_loopback(host) is loop


def test_other_hosts_need_login(monkeypatch, tmp_path):
    with pytest.raises(UsageError, match="必须设置登录用户"):
        login_users(Settings(), "0.0.0.0")
    assert login_users(Settings(), "127.0.0.1") == []
    monkeypatch.setenv("XXGK_APP__USERS", "审核员:口令1， 科长:a:b")
    assert login_users(Settings(), "0.0.0.0") == [("审核员", "口令1"), ("科长", "a:b")]
    f = tmp_path / "users.txt"
    f.write_text("# 注释\n张三:甲\n\n", encoding="utf-8")
    monkeypatch.delenv("XXGK_APP__USERS")
    monkeypatch.setenv("XXGK_APP__USERS_FILE", str(f))
    assert login_users(Settings(), "10.0.0.2") == [("张三", "甲")]


@pytest.mark.parametrize("value", ["没有冒号", ":无用户名", "用户名:"])
def test_malformed_users_are_refused(monkeypatch, value):
    monkeypatch.setenv("XXGK_APP__USERS", value)
    with pytest.raises(UsageError, match="用户名:密码"):
        Settings().app.credentials()


def test_app_settings_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("XXGK_APP__PORT", "8123")
    monkeypatch.setenv("XXGK_APP__MAX_UPLOAD_MB", "5")
    s = Settings(home=tmp_path)
    assert s.app.port == 8123 and s.app.max_upload_mb == 5
    assert s.app_dir == tmp_path / "app" and "**" in repr(s.app.users or "**")


def test_xxgk_ui_refuses_an_open_host_without_users():
    res = CliRunner().invoke(app, ["ui", "--host", "0.0.0.0", "--port", "7999"])
    assert res.exit_code != 0
    assert isinstance(res.exception, UsageError) and "XXGK_APP__USERS" in str(res.exception)


def test_check_path_does_not_import_gradio():
    code = "import sys; from assistant.cli import app; import assistant.app; print('gradio' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert out.stdout.strip() == "False", out.stderr


def test_page_has_the_tabs_in_order(tmp_path, monkeypatch):
    monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "hash")
    from assistant.app.server import build_app
    from assistant.app.tabs import TABS

    assert [t.TITLE for t in TABS] == ["问答", "审核", "起草", "知识库"]
    demo = build_app(Settings(home=tmp_path))
    try:
        main = [b.label for b in demo.blocks.values() if type(b).__name__ == "Tab" and (b.elem_id or "").startswith("tab-")]
        assert main == ["问答", "审核", "起草", "知识库"]
        ids = {getattr(b, "elem_id", None) for b in demo.blocks.values()}
        assert {"status-line", "review-demo", "review-table", "triage-dismiss", "kb-search", "ask-chat", "ask-sources", "draft-run", "draft-verdict"} <= ids
        import os

        assert os.environ["GRADIO_ANALYTICS_ENABLED"] == "False"
    finally:
        demo.xxgk_ctx.close()


def test_every_html_page_gets_the_chinese_locale_first(tmp_path):
    import asyncio

    from assistant.app.server import _ChineseChrome

    async def page(scope, receive, send):
        kind = b"text/html; charset=utf-8" if scope["path"] == "/" else b"application/json"
        body = b"<html><head><title>x</title></head></html>" if scope["path"] == "/" else b"{}"
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", kind), (b"content-length", str(len(body)).encode())]})
        await send({"type": "http.response.body", "body": body})

    def get(path: str) -> tuple[dict, bytes]:
        sent: list[dict] = []

        async def send(m):
            sent.append(m)

        asyncio.run(_ChineseChrome(page)({"type": "http", "method": "GET", "path": path}, None, send))
        head = dict(sent[0]["headers"])
        return head, b"".join(m.get("body", b"") for m in sent[1:])

    head, body = get("/")
    assert body.startswith(b"<html><head><script>") and b"'zh-CN'" in body and "文件超过上传大小上限".encode() in body
    assert int(head[b"content-length"]) == len(body)
    assert get("/config")[1] == b"{}"


def test_port_in_use_is_a_usage_error(tmp_path):
    import socket

    from assistant.app.server import launch

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen()
        port = s.getsockname()[1]
        with pytest.raises(UsageError, match="已被占用"):
            launch(Settings(home=tmp_path), port=port, block=False)


def test_login_is_required_when_users_are_set(tmp_path, monkeypatch):
    import json
    import socket
    import urllib.error
    import urllib.parse
    import urllib.request

    from assistant.app.server import launch

    monkeypatch.setenv("XXGK_KB__EMBEDDING__BACKEND", "hash")
    monkeypatch.setenv("XXGK_APP__USERS", "审核员:口令1")
    monkeypatch.setenv("XXGK_APP__INDEX_ON_START", "false")
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    running = launch(Settings(home=tmp_path), port=port, block=False, quiet=True)
    try:
        with pytest.raises(urllib.error.HTTPError) as e:
            urllib.request.urlopen(running.url + "config", timeout=10)
        assert e.value.code == 401
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
        bad = urllib.parse.urlencode({"username": "审核员", "password": "错的"}).encode()
        with pytest.raises(urllib.error.HTTPError):
            opener.open(running.url + "login", bad, timeout=10)
        good = urllib.parse.urlencode({"username": "审核员", "password": "口令1"}).encode()
        opener.open(running.url + "login", good, timeout=10)
        config = json.loads(opener.open(running.url + "config", timeout=10).read())
        assert config["title"] == "年报审核助手"
    finally:
        running.close()
