"""问答: chat over the knowledge base with the sources beside each answer (wiring only; the work is
in ``app/chat.py`` and ``assistant.llm``)."""

from __future__ import annotations

from .. import chat as ch
from .. import workspace as ws
from .._gradio import gr, guarded
from ..context import AppContext

TITLE = "问答"
EXAMPLES = [
    "群众要的材料我们单位根本没有，怎么答复？",
    "申请人要求我们确认他已经拿到的信息，怎么处理？",
    "依申请公开最晚多少天要答复？",
]


def build(ctx: AppContext) -> None:
    from ...kb.sources import default_corpus

    slot = gr.State(None)
    gr.Markdown(
        "就政府信息公开的法规、办理和年报填报提问。回答只依据知识库（法规条文、指南、往年报告），每句注明出处，右侧列出原文；"
        "知识库中没有依据时如实说明。可以接着追问；载入一份报告后，也可以问这份报告的数字（由表格单元格计算）。",
        elem_classes=["hint"],
    )
    with gr.Row():
        with gr.Column(scale=3):
            chat = gr.Chatbot(label="对话", height=480, elem_id="ask-chat", placeholder="在下方输入问题，按回车或点「提问」。")
            with gr.Row():
                question = gr.Textbox(show_label=False, placeholder=EXAMPLES[0], scale=5, elem_id="ask-input", lines=1)
                send = gr.Button("提问", variant="primary", scale=1, elem_id="ask-send")
                new = gr.Button("新对话", scale=0, size="sm", elem_id="ask-new")
            gr.Examples(EXAMPLES, inputs=[question], label="示例问题")
            with gr.Accordion("针对本报告提问（可选）", open=False, elem_id="ask-report-box"):
                with gr.Row(equal_height=True):
                    report = gr.File(label="报告", file_types=sorted(ws.REPORT_SUFFIXES_UI - {".zip"}), elem_id="ask-report", height=110)
                    with gr.Column(scale=0, min_width=180):
                        sample_btn = gr.Button("使用示例报告", size="sm", elem_id="ask-sample")
                        unload_btn = gr.Button("不针对报告", size="sm", elem_id="ask-unload")
                report_note = gr.Markdown("未载入报告：回答只依据知识库。", elem_id="ask-report-note")
        with gr.Column(scale=2):
            sources = gr.HTML(ch.sources_html(None), elem_id="ask-sources", label="依据")

    def respond(q, history, s):  # noqa: ANN001, ANN202 - a generator: the answer streams
        try:
            for msgs, html in ch.chat_turn(ctx, q, history or [], s):
                yield msgs, html, ""
        except Exception as e:  # noqa: BLE001 - one Chinese line on the page, never a traceback
            from .._gradio import error
            from ..context import KbBusy

            raise error(str(e) if isinstance(e, KbBusy) else f"作答失败：{type(e).__name__}: {e}") from e

    @guarded
    def load(file):  # noqa: ANN001, ANN202
        if not file:
            return None, "未载入报告：回答只依据知识库。"
        return ch.load_slot(ctx, file)

    @guarded
    def sample():  # noqa: ANN202
        return ch.sample_slot(default_corpus(ctx.settings))

    gr.on([send.click, question.submit], respond, [question, chat, slot], [chat, sources, question],
          concurrency_id="llm", concurrency_limit=ctx.settings.app.ask_concurrency)
    new.click(lambda: ([], ch.sources_html(None)), None, [chat, sources], show_progress="hidden")
    report.change(load, [report], [slot, report_note])
    sample_btn.click(sample, None, [slot, report_note])
    unload_btn.click(lambda: (None, None, "未载入报告：回答只依据知识库。"), None, [slot, report, report_note], show_progress="hidden")
