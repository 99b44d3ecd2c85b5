"""起草: draft 五 or 一 of a report, the guard's flags on the sentences, edit, re-check, download
(wiring only; the work is in ``app/drafting.py`` and ``assistant.llm``)."""

from __future__ import annotations

from .. import chat as ch
from .. import drafting as dr
from .. import workspace as ws
from .._gradio import gr, guarded
from ..context import AppContext

TITLE = "起草"
_ACCEPT = sorted(ws.REPORT_SUFFIXES_UI - {".zip"})


def build(ctx: AppContext) -> None:
    from ...kb.sources import default_corpus

    slot = gr.State(None)
    mode = gr.State("offline")
    gr.Markdown(
        "上传本年度报告（表格已填好），可另附上年度报告：起草“五、存在的主要问题及改进情况”时会逐项回应上年提出的问题。"
        "草稿写好后，用审核报告的同一套规则逐句校验数字和年份，与表格不符的句子标黄；可以直接修改，再「重新校验」后下载。",
        elem_classes=["hint"],
    )
    with gr.Row(equal_height=True):
        report = gr.File(label="本年度报告", file_types=_ACCEPT, elem_id="draft-report", height=110)
        previous = gr.File(label="上年度报告（可选）", file_types=_ACCEPT, elem_id="draft-previous", height=110)
        with gr.Column(scale=0, min_width=220):
            section = gr.Radio(list(dr.SECTIONS), value=next(iter(dr.SECTIONS)), label="起草哪一部分", elem_id="draft-section")
            sample_btn = gr.Button("使用示例报告", size="sm", elem_id="draft-sample")
    note = gr.Markdown("", elem_id="draft-note")
    run_btn = gr.Button("生成草稿", variant="primary", elem_id="draft-run")
    with gr.Row():
        with gr.Column(scale=3):
            text = gr.Textbox(label="草稿（可直接修改）", lines=16, max_lines=40, elem_id="draft-text", interactive=True)
            with gr.Row():
                check_btn = gr.Button("重新校验", elem_id="draft-recheck")
                docx_btn = gr.Button("下载 Word", elem_id="draft-docx")
                txt_btn = gr.Button("下载文本", elem_id="draft-txt")
            download = gr.File(label="下载", interactive=False, elem_id="draft-download")
        with gr.Column(scale=2):
            verdict = gr.HTML(dr.verdict_html(None, "生成草稿后，这里显示校验结果。"), elem_id="draft-verdict")

    @guarded
    def load(rep, prev):  # noqa: ANN001, ANN202
        if not rep:
            return None, ""
        return ch.load_slot(ctx, rep, prev)

    @guarded
    def sample():  # noqa: ANN202
        return ch.sample_slot(default_corpus(ctx.settings))

    def run(s, sec):  # noqa: ANN001, ANN202 - a generator: the model's text streams in
        from .._gradio import error

        try:
            for body, html, d in dr.draft_events(ctx, s, dr.SECTIONS[sec]):
                yield body, html, (d.mode if d is not None else "offline")
        except Exception as e:  # noqa: BLE001
            raise error(f"起草失败：{e}") from e

    @guarded
    def check(s, sec, body, m):  # noqa: ANN001, ANN202
        return dr.recheck(ctx, s, dr.SECTIONS[sec], body, m)[0]

    @guarded
    def save(s, sec, body, m, fmt):  # noqa: ANN001, ANN202
        path = dr.export_draft(ctx, s, dr.SECTIONS[sec], body, fmt, m)
        if path is None:
            raise gr.Error("还没有草稿：请先「生成草稿」。", title="提示")
        return str(path), dr.recheck(ctx, s, dr.SECTIONS[sec], body, m)[0]

    gr.on([report.change, previous.change], load, [report, previous], [slot, note])
    sample_btn.click(sample, None, [slot, note])
    run_btn.click(run, [slot, section], [text, verdict, mode], concurrency_id="llm", concurrency_limit=ctx.settings.app.ask_concurrency)
    check_btn.click(check, [slot, section, text, mode], [verdict])
    docx_btn.click(lambda s, sec, b, m: save(s, sec, b, m, "docx"), [slot, section, text, mode], [download, verdict])
    txt_btn.click(lambda s, sec, b, m: save(s, sec, b, m, "txt"), [slot, section, text, mode], [download, verdict])
