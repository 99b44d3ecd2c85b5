"""审核: the reviewer's workspace (Gradio wiring only; the work is in ``workspace``, ``detail``,
``memo`` and ``overview``)."""

from __future__ import annotations

import time

from ...rules.base import SEVERITY_LABELS
from .. import workspace as ws
from .._gradio import error, gr, guarded, info, warning
from ..context import AppContext
from ..demo import demo_batch
from ..detail import detail_html
from ..memo import write_memos
from ..overview import CHANGE_COLORS, overview_figures

TITLE = "审核"
_ACCEPT = sorted(ws.REPORT_SUFFIXES_UI)
_SEV_COLORS = {"错误": "#c0392b", "警告": "#d68910", "提示": "#2e86c1"}


def build(ctx: AppContext) -> None:
    session = gr.State(None, time_to_live=12 * 3600)  # a batch's parsed reports: freed after 12 idle hours
    selected = gr.State(None)

    gr.Markdown(
        "上传一份或一批报告（可多选，或上传 .zip 压缩包），可另附上年报告做跨年度核对；点「载入示例」可先看一批示例报告的审核结果。",
        elem_classes=["hint"],
    )
    with gr.Row(equal_height=True):
        reports = gr.File(label="本批报告", file_count="multiple", file_types=_ACCEPT, elem_id="review-upload", height=140)
        previous = gr.File(label="上年报告（可选）", file_count="multiple", file_types=_ACCEPT, elem_id="review-previous", height=140)
    with gr.Row():
        run_btn = gr.Button("开始审核", variant="primary", elem_id="review-run")
        demo_btn = gr.Button("载入示例", elem_id="review-demo")
    summary = gr.Markdown(ws.summary_markdown(ws.ReviewSession(), {}), elem_id="review-summary")

    with gr.Tabs():
        with gr.Tab("问题清单", id="findings"):
            with gr.Row():
                f_sev = gr.Dropdown(list(SEVERITY_LABELS.values()), multiselect=True, label="级别", elem_id="filter-severity")
                f_rule = gr.Dropdown([], multiselect=True, label="规则", elem_id="filter-rule")
                f_agency = gr.Dropdown([], multiselect=True, label="单位", elem_id="filter-agency")
                f_status = gr.Dropdown(list(ws.STATUS_FILTERS), value="全部", label="处理情况", elem_id="filter-status")
            table = gr.Dataframe(
                headers=list(ws.TABLE_HEADERS), value=[], interactive=False, wrap=True, elem_id="review-table",
                column_widths=["4%", "13%", "11%", "5%", "5%", "9%", "12%", "27%", "6%", "8%"], max_height=600,
            )
            with gr.Row():
                detail = gr.HTML(detail_html(ws.ReviewSession(), None, None), elem_id="review-detail")
                with gr.Column(scale=0, min_width=220):
                    with gr.Row():
                        confirm_btn = gr.Button("确认", variant="primary", size="sm", elem_id="triage-confirm")
                        dismiss_btn = gr.Button("驳回", variant="stop", size="sm", elem_id="triage-dismiss")
                        undo_btn = gr.Button("撤销", size="sm", elem_id="triage-undo")
                    note = gr.Textbox(label="备注", lines=3, placeholder="写给报送单位或同事的说明", elem_id="triage-note")
                    note_btn = gr.Button("保存备注", size="sm", elem_id="triage-note-save")
        with gr.Tab("批量概览", id="overview"):
            overview_md = gr.Markdown("审核一批报告后，这里按单位列出关键数字并作图。", elem_id="overview-note")
            overview_table = gr.Dataframe(value=[], interactive=False, wrap=True, elem_id="overview-table", max_height=360)
            with gr.Row():
                plot_rules = gr.BarPlot(None, x="规则", y="条数", color="级别", title="各规则的问题条数", elem_id="plot-rules",
                                        height=320, x_label_angle=-40, color_map=_SEV_COLORS)
                plot_agencies = gr.BarPlot(None, x="单位", y="占比（%）", color="结果", title="各单位申请办理结果构成（%）",
                                           elem_id="plot-agencies", height=320, x_label_angle=-40)
            plot_years = gr.BarPlot(None, x="单位", y="增减（件）", color="变化", title="收到申请：本年比上年增减（件）",
                                    elem_id="plot-years", height=320, x_label_angle=-40, color_map=CHANGE_COLORS)
        with gr.Tab("导出", id="export"):
            gr.Markdown(
                "**Excel**：全部问题，含处理情况和备注。**Word 审核意见**：每个报送单位一份，只列出已「确认」的问题及依据。",
            )
            with gr.Row():
                xlsx_btn = gr.Button("导出 Excel", elem_id="export-xlsx")
                memo_btn = gr.Button("生成 Word 审核意见", elem_id="export-memo")
            export_note = gr.Markdown("", elem_id="export-note")
            export_files = gr.File(label="下载", file_count="multiple", interactive=False, elem_id="export-files")

    filters = [f_sev, f_rule, f_agency, f_status]
    view_outputs = [summary, table, f_rule, f_agency, detail, selected, note]

    def _filters(sev: list[str], rules: list[str], agencies: list[str], status: str) -> ws.Filters:
        return ws.Filters(ws.severity_filter(sev or []), tuple(rules or ()), tuple(agencies or ()), status or "全部")

    def _table(s: ws.ReviewSession | None, sev: list[str], rules: list[str], agencies: list[str], status: str) -> list[list]:
        if s is None:
            return []
        return ws.table_rows(s, ws.decisions_for(ctx.triage, s), _filters(sev, rules, agencies, status))

    def _show(s: ws.ReviewSession):
        dec = ws.decisions_for(ctx.triage, s)
        ch = ws.choices(s)
        for n in s.notices:
            warning(n, duration=12)
        return (
            ws.summary_markdown(s, dec),
            ws.table_rows(s, dec),
            gr.Dropdown(choices=ch["rules"], value=[]),
            gr.Dropdown(choices=ch["agencies"], value=[]),
            detail_html(s, None, None),
            None,
            "",
        )

    @guarded
    def _overview(s: ws.ReviewSession):
        fig = overview_figures(s)
        return fig.note, fig.table, fig.by_rule, fig.by_agency, fig.by_year

    @guarded
    def run_review(files, prev_files, progress=gr.Progress()):  # noqa: ANN001, ANN202 - Gradio values
        if not files:
            raise error("请先上传报告文件（可多选，或上传 .zip 压缩包），或点「载入示例」。")
        progress(0, desc="正在读取和审核……")
        s = ws.review_files(
            files, prev_files or [], work_dir=ctx.uploads_dir, limits=ctx.limits,
            progress=lambda i, n, f: progress((i, n), desc="审核中", unit="份"),
            label=f"本批（{time.strftime('%H:%M')} 上传）",
        )
        return (s, *_show(s))

    @guarded
    def load_demo(progress=gr.Progress()):  # noqa: ANN202
        progress(0, desc="正在准备示例报告……")
        b = demo_batch(ctx.app_dir)
        s = ws.review_folder(b.reports, b.previous, b.folder, progress=lambda i, n, f: progress((i, n), desc="审核中", unit="份"),
                             label="示例批次（青禾县各部门和乡镇，合成报告，部分故意植入了常见错误）")
        return (s, *_show(s))

    @guarded
    def select(s, evt: gr.SelectData):  # noqa: ANN001, ANN202
        if s is None or evt.row_value is None:
            return detail_html(ws.ReviewSession(), None, None), None, ""
        key = int(evt.row_value[0])
        row = s.row(key)
        d = ctx.triage.get(row.fingerprint) if row else None
        return detail_html(s, key, d), key, d.note if d else ""

    def _user(request: gr.Request | None) -> str:
        return (getattr(request, "username", None) or "") if request is not None else ""

    def act(action: str):
        @guarded
        def handler(s, key, sev, rules, agencies, status, request: gr.Request):  # noqa: ANN001, ANN202
            if s is None or key is None:
                warning("请先在表格中点选一条问题。")
                return gr.skip(), gr.skip(), gr.skip()
            d = ws.decide(ctx.triage, s, key, action, user=_user(request))
            table_now = _table(s, sev, rules, agencies, status)
            return detail_html(s, key, d), table_now, ws.summary_markdown(s, ws.decisions_for(ctx.triage, s))

        return handler

    @guarded
    def save_note(s, key, text, sev, rules, agencies, status, request: gr.Request):  # noqa: ANN001, ANN202
        if s is None or key is None:
            warning("请先在表格中点选一条问题。")
            return gr.skip(), gr.skip()
        d = ws.save_note(ctx.triage, s, key, text, user=_user(request))
        info("备注已保存。")
        return detail_html(s, key, d), _table(s, sev, rules, agencies, status)

    @guarded
    def export_xlsx(s):  # noqa: ANN001, ANN202
        if s is None or not s.results:
            raise error("还没有审核结果可以导出。")
        path = ws.export_excel(s, ws.decisions_for(ctx.triage, s), ctx.exports_dir)
        return f"已生成 {path.name}。", [str(path)]

    @guarded
    def export_memos(s, request: gr.Request):  # noqa: ANN001, ANN202
        if s is None or not s.results:
            raise error("还没有审核结果可以导出。")
        out = ctx.exports_dir / time.strftime("审核意见_%Y%m%d-%H%M%S")
        res = write_memos(s, ws.decisions_for(ctx.triage, s), out, reviewer=_user(request))
        if not res.files:
            return "还没有「确认」的问题：请先在问题清单中确认要写入审核意见的问题。", None
        skipped = f"；{len(res.skipped)} 个单位没有已确认的问题，未生成" if res.skipped else ""
        return f"已生成 {len(res.files)} 份审核意见{skipped}。", [str(p) for p in res.files]

    review_opts = dict(concurrency_limit=ctx.settings.app.review_concurrency, concurrency_id="review")
    run_btn.click(run_review, [reports, previous], [session, *view_outputs], **review_opts).then(
        _overview, [session], [overview_md, overview_table, plot_rules, plot_agencies, plot_years]
    )
    demo_btn.click(load_demo, None, [session, *view_outputs], **review_opts).then(
        _overview, [session], [overview_md, overview_table, plot_rules, plot_agencies, plot_years]
    )
    for f in filters:
        f.change(_table, [session, *filters], [table], show_progress="hidden")
    table.select(select, [session], [detail, selected, note], show_progress="hidden")
    for btn, action in ((confirm_btn, "确认"), (dismiss_btn, "驳回"), (undo_btn, "撤销")):
        btn.click(act(action), [session, selected, *filters], [detail, table, summary], show_progress="hidden")
    note_btn.click(save_note, [session, selected, note, *filters], [detail, table], show_progress="hidden")
    xlsx_btn.click(export_xlsx, [session], [export_note, export_files])
    memo_btn.click(export_memos, [session], [export_note, export_files])
