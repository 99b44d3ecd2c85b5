"""知识库: add regulations and past reports, list and remove sources, try a search (wiring only)."""

from __future__ import annotations

from .. import knowledge as kn
from .._gradio import gr, guarded
from ..context import AppContext

TITLE = "知识库"


def build(ctx: AppContext) -> None:
    gr.Markdown(
        "问答和起草从这里检索依据。上传官方法规文本（如《政府信息公开条例》，每条以“第X条”开头另起一行）或往年报告，"
        "建立索引后即可检索；同名文件再次上传会替换旧版本。",
        elem_classes=["hint"],
    )
    with gr.Row(equal_height=True):
        files = gr.File(label="法规或往年报告（可多选，或上传 .zip）", file_count="multiple",
                        file_types=sorted(kn.kb_suffixes() | {".zip"}), elem_id="kb-upload", height=140)
        with gr.Column(scale=0, min_width=200):
            add_btn = gr.Button("加入知识库并索引", variant="primary", elem_id="kb-add")
            refresh_btn = gr.Button("刷新列表", size="sm", elem_id="kb-refresh")
    add_note = gr.Markdown("", elem_id="kb-add-note")
    sources = gr.Dataframe(headers=list(kn.SOURCE_HEADERS), value=[], interactive=False, wrap=True, elem_id="kb-sources", max_height=320)
    with gr.Row():
        to_remove = gr.Dropdown([], multiselect=True, label="选择要移除的来源", elem_id="kb-remove-choice", scale=4)
        remove_btn = gr.Button("从知识库移除", variant="stop", elem_id="kb-remove", scale=1)
    gr.Markdown("#### 试一试检索")
    with gr.Row():
        query = gr.Textbox(label="问题或关键词", placeholder="如：申请人要求确认已获取的信息怎么处理", elem_id="kb-query", scale=4)
        k = gr.Slider(1, 10, value=5, step=1, label="条数", scale=1)
        search_btn = gr.Button("检索", elem_id="kb-search", scale=1)
    hits = gr.HTML("", elem_id="kb-hits")

    @guarded
    def listing():  # noqa: ANN202
        return kn.source_rows(ctx), gr.Dropdown(choices=kn.source_choices(ctx), value=[])

    @guarded
    def add(uploads, progress=gr.Progress()):  # noqa: ANN001, ANN202
        totals: dict[str, int] = {}

        def step(stage: str, advance: int, total: int) -> None:
            totals[stage] = totals.get(stage, 0) + advance
            progress((min(totals[stage], total), total) if total else 0, desc=f"{stage}", unit="项")

        res = kn.add_documents(ctx, uploads or [], progress=step)
        return (res.message, *listing(), None)

    @guarded
    def remove(paths):  # noqa: ANN001, ANN202
        return (kn.remove_sources(ctx, paths or []), *listing())

    gr.on([refresh_btn.click], listing, None, [sources, to_remove], show_progress="hidden")
    add_btn.click(add, [files], [add_note, sources, to_remove, files], concurrency_id="kb_index",
                  concurrency_limit=ctx.settings.app.index_concurrency, trigger_mode="once")
    remove_btn.click(remove, [to_remove], [add_note, sources, to_remove], concurrency_id="kb_index",
                     concurrency_limit=ctx.settings.app.index_concurrency)
    gr.on([search_btn.click, query.submit], guarded(lambda q, n: kn.search_html(ctx, q, int(n))), [query, k], [hits])
    # the list fills when the page opens (the first-start indexing may still be adding to it)
    gr.on([files.upload], lambda: "", None, [add_note], show_progress="hidden")
    _loaded = gr.Timer(3.0, active=True)
    _loaded.tick(lambda: (*listing(), gr.Timer(active=ctx.job.snapshot().running)), None, [sources, to_remove, _loaded], show_progress="hidden")
