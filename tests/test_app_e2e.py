"""The real app in Debian's chromium (Playwright, headless): load the samples, dismiss a finding,
reload, re-upload the report under another name, and the dismissal is still there; every tab is
photographed (into a temporary folder, or into docs/screenshots/ when ``XXGK_SCREENSHOTS=docs/screenshots``
is set: that is how the README's pictures are refreshed).

The app runs as ``xxgk ui`` in a subprocess on a free 127.0.0.1 port (hash embedder, its own data
dir) and is stopped by the test. Nothing is downloaded: the browser is the system's
(``apt-get install chromium fonts-noto-cjk``). Without it the test skips locally and fails under CI.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.testing.llm_stub import LlmStub
from assistant.testing.procs import stop

from .conftest import ROOT
from .llm_helpers import by_task

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(os.environ.get("XXGK_SCREENSHOTS") or Path(tempfile.gettempdir()) / "xxgk-screenshots")
if not SHOTS.is_absolute():
    SHOTS = ROOT / SHOTS
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
TIMEOUT_MS = 60_000


def _need_browser() -> None:
    problems = []
    if not CHROMIUM.exists():
        problems.append(f"{CHROMIUM} 不存在（apt-get install -y chromium fonts-noto-cjk）")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("playwright 未安装（pip install -e '.[dev]'）")
    if problems:
        if os.environ.get("CI") == "true":
            pytest.fail("browser test cannot run under CI: " + "；".join(problems))
        pytest.skip("；".join(problems))


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


PLANTED = "（二）存在的主要问题\n2024年，全年共收到政府信息公开申请99件，依申请公开答复的说理还不够充分。"


@pytest.fixture(scope="module")
def llm() -> Iterator[LlmStub]:
    """A scripted model on loopback: answers cite passage [1]; every draft keeps a wrong count."""
    with LlmStub(model="stub-qwen") as stub:
        stub.responder = by_task(
            condense="", rewrite="", ask="对照指南，办理时应按格式要求逐项填写并说明依据[1]。", draft=PLANTED, fix=PLANTED
        )
        yield stub


@pytest.fixture(scope="module")
def app_url(tmp_path_factory, llm) -> Iterator[tuple[str, Path]]:
    _need_browser()
    home = tmp_path_factory.mktemp("e2e_home")
    port = _free_port()
    env = {**os.environ, "XXGK_HOME": str(home), "XXGK_KB__EMBEDDING__BACKEND": "hash", "GRADIO_ANALYTICS_ENABLED": "False",
           "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False", "PYTHONUNBUFFERED": "1",
           "XXGK_LLM__BASE_URL": llm.base_url, "XXGK_LLM__MODEL": "stub-qwen", "XXGK_LLM__MAX_RETRIES": "0"}
    env.pop("XXGK_APP__USERS", None)
    log = (home / "ui.log").open("w")
    proc = subprocess.Popen([sys.executable, "-c", "from assistant.cli import main; main()", "ui", "--port", str(port)],
                            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(url, timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail("app did not start:\n" + (home / "ui.log").read_text(encoding="utf-8", errors="replace")[-3000:])
            time.sleep(0.3)
        yield url, home
    finally:
        stop(proc, timeout=20)
        log.close()


@pytest.fixture(scope="module")
def browser(app_url):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    # an English browser on purpose: the page must still be Chinese, Gradio's own labels included
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000}, locale="en-US", accept_downloads=True)
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT_MS)
    requests: list[str] = []
    pg.on("request", lambda r: requests.append(r.url))
    yield pg
    ctx.close()
    outside = [u for u in requests if not u.startswith((app_url[0], "data:", "blob:"))]
    assert requests and outside == [], outside  # the page loads nothing from the internet


def _open(page, url: str, tab: str | None = None) -> None:
    page.goto(url)
    page.wait_for_selector("#status-line:has-text('版本')")
    if tab:
        page.get_by_role("tab", name=tab, exact=True).click()


def _row(page, rule: str):
    return page.locator("#review-table [role=row]", has_text=rule).first


def _shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    for close in page.locator("[data-testid=toast-close]").all():  # pop-ups would cover the page
        close.click()
    page.wait_for_timeout(600)  # let plots and fonts settle
    page.screenshot(path=str(SHOTS / name), full_page=True)


def test_dismissal_survives_reload_and_reupload(app_url, page, tmp_path):
    url, home = app_url
    _open(page, url, "审核")
    page.click("#review-demo")
    page.wait_for_selector("#review-table [role=row]:has-text('T4-SUM')")
    assert "示例批次" in page.inner_text("#review-summary")
    for rule in ("T3-ROW", "XY-CARRY", "NAR-APPLY", "REQ-FEE"):
        assert _row(page, rule).count() == 1, rule

    _row(page, "T4-SUM").locator("[role=gridcell]").nth(5).click()
    page.wait_for_selector("#review-detail:has-text('T4-SUM')")
    assert "应为" in page.inner_text("#review-detail") and "表四" in page.inner_text("#review-detail")
    page.click("#triage-dismiss")
    page.wait_for_selector("#review-table [role=row]:has-text('T4-SUM'):has-text('已驳回')")
    page.wait_for_selector("#review-detail:has-text('已驳回')")
    page.fill("#triage-note textarea", "已电话核实：复议 1 件为上年结转，表四按规定填写")
    page.click("#triage-note-save")
    page.wait_for_selector("#review-detail:has-text('已电话核实')")
    _shot(page, "审核.png")

    page.get_by_role("tab", name="批量概览").click()
    page.wait_for_selector("#overview-table:has-text('本批中位数')")
    page.wait_for_selector("#plot-rules canvas, #plot-rules svg")
    _shot(page, "审核-批量概览.png")
    page.get_by_role("tab", name="导出").click()
    page.click("#export-xlsx")
    page.wait_for_selector("#export-note:has-text('.xlsx')")
    with page.expect_download() as dl:
        page.click("#export-files a[download$='.xlsx']")
    from openpyxl import load_workbook

    saved = tmp_path / dl.value.suggested_filename
    dl.value.save_as(saved)
    assert saved.suffix == ".xlsx"
    sheet = load_workbook(saved)["审核意见"]
    t4 = next(r for r in sheet.iter_rows(min_row=2, values_only=True) if r[4] == "T4-SUM")
    assert t4[-2] == "已驳回" and t4[-1].startswith("已电话核实")
    _shot(page, "审核-导出.png")

    # a new visit: reload, upload the same report under another name
    report = next((home / "app" / "demo").glob("*/2024/青禾县市场监督管理局_2024.md"))
    again = tmp_path / "市场监管局年报（再次报送）.md"
    shutil.copyfile(report, again)
    page.reload()
    page.wait_for_selector("#status-line:has-text('版本')")
    page.get_by_role("tab", name="审核", exact=True).click()
    page.set_input_files("#review-upload input[type=file]", str(again))
    page.wait_for_selector("#review-upload:has-text('再次报送')")
    page.click("#review-run")
    page.wait_for_selector("#review-table [role=row]:has-text('T4-SUM')")
    row = _row(page, "T4-SUM")
    assert "已驳回" in row.inner_text() and "再次报送" in row.inner_text()
    assert "本批" in page.inner_text("#review-summary") and "已驳回 1" in page.inner_text("#review-summary")


def test_ask_shows_the_citation_beside_the_answer(app_url, page, llm):
    url, _ = app_url
    _open(page, url)
    page.wait_for_selector("#status-line:has-text('stub-qwen 可用')", timeout=30_000)  # the model was pinged
    page.wait_for_selector("#status-line:has-text('已索引随附的法律')", timeout=180_000)  # first start: corpus/, then the laws
    page.fill("#ask-input textarea", "年报里表三的办理结果该怎么分类填写？")
    page.click("#ask-send")
    page.wait_for_selector("#ask-sources .src-item")
    chat = page.inner_text("#ask-chat")
    assert "[1]" in chat and "大模型 stub-qwen" in chat
    sources = page.inner_text("#ask-sources")
    assert "[1]" in sources and "大模型作答" in sources
    assert any("年报里表三" in r["messages"][-1]["content"] for r in llm.chat_requests if r.get("messages"))
    page.fill("#ask-input textarea", "那表二呢？")  # a follow-up: the conversation goes with it
    page.click("#ask-send")
    page.wait_for_function("document.querySelectorAll('#ask-chat .message-row, #ask-chat [data-testid=user]').length >= 2")
    _shot(page, "问答.png")


def test_draft_marks_the_sentence_with_a_planted_wrong_number(app_url, page):
    url, _ = app_url
    _open(page, url, "起草")
    page.click("#draft-sample")
    page.wait_for_selector("#draft-note:has-text('青禾县人民政府')")
    page.click("#draft-run")
    page.wait_for_selector("#draft-verdict:has-text('校验发现')")
    verdict = page.inner_text("#draft-verdict")
    assert "99件" in verdict and "NAR-APPLY" in verdict and "重写" in verdict
    assert page.locator("#draft-verdict mark.draft-flag").count() >= 1
    text = page.input_value("#draft-text textarea")
    page.fill("#draft-text textarea", text.replace("99件", "39件"))  # the person corrects it
    page.click("#draft-recheck")
    page.wait_for_selector("#draft-verdict:has-text('修改稿')")
    assert "NAR-APPLY" not in page.inner_text("#draft-verdict")
    page.fill("#draft-text textarea", text)
    page.click("#draft-recheck")
    page.wait_for_selector("#draft-verdict mark.draft-flag")
    _shot(page, "起草.png")
    page.click("#draft-docx")
    page.wait_for_selector("#draft-download a[download$='.docx']")


def test_every_tab_in_chinese_with_screenshots(app_url, page):
    url, _ = app_url
    _open(page, url)
    assert "stub-qwen" in page.inner_text("#status-line")

    page.get_by_role("tab", name="审核", exact=True).click()
    upload = page.inner_text("#review-upload")
    assert "点击上传" in upload and "Click to Upload" not in upload  # Gradio's own labels in Chinese too

    page.get_by_role("tab", name="知识库", exact=True).click()
    page.wait_for_selector("#kb-sources [role=row]:has-text('corpus/')", timeout=120_000)  # first-start indexing done
    page.fill("#kb-query textarea, #kb-query input", "信息处理费怎么收")
    page.click("#kb-search")
    page.wait_for_selector("#kb-hits .hit")
    assert "来源：corpus/" in page.inner_text("#kb-hits")
    _shot(page, "知识库.png")
