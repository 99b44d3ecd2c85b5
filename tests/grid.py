"""Build format-shaped table grids in tests (the same shapes readers produce)."""

from __future__ import annotations

from assistant.report.cells import T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS
from assistant.report.document import Document, Paragraph, Table

_GROUP_OF = {
    "withheld_1": "（三）不予公开",
    "unable_1": "（四）无法提供",
    "not_processed_1": "（五）不予处理",
    "other_1": "（六）其他处理",
}


def fmt(v) -> str:
    if v is None:
        return ""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v)


def t2_grid(cells: dict) -> list[list[str | None]]:
    g = lambda k: fmt(cells.get(k, 0))  # noqa: E731
    return [
        ["第二十条第（一）项", None, None, None],
        ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
        ["规章", g("t2.regulation.issued"), g("t2.regulation.repealed"), g("t2.regulation.in_force")],
        ["行政规范性文件", g("t2.normative_doc.issued"), g("t2.normative_doc.repealed"), g("t2.normative_doc.in_force")],
        ["第二十条第（五）项", None, None, None],
        ["信息内容", "本年处理决定数量", None, None],
        ["行政许可", g("t2.license.decisions"), None, None],
        ["第二十条第（六）项", None, None, None],
        ["信息内容", "本年处理决定数量", None, None],
        ["行政处罚", g("t2.penalty.decisions"), None, None],
        ["行政强制", g("t2.coercion.decisions"), None, None],
        ["第二十条第（八）项", None, None, None],
        ["信息内容", "本年收费金额（单位：万元）", None, None],
        ["行政事业性收费", g("t2.fee.amount"), None, None],
    ]


def t3_grid(cells: dict, *, drop_labels: frozenset[str] = frozenset()) -> list[list[str | None]]:
    rows: list[list[str | None]] = [
        ["（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）", None, None, "申请人情况", None, None, None, None, None, None],
        [None, None, None, "自然人", "法人或其他组织", None, None, None, None, "总计"],
        [None, None, None, None, "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", None],
    ]
    for row in T3_ROWS:
        vals = [fmt(cells.get(f"t3.{row.key}.{c}", 0)) for c in T3_COLUMNS]
        if row.key in drop_labels:
            rows.append([None, None, None, *vals])
        elif row.key in ("new", "carried_over", "carry_forward"):
            rows.append([row.label, None, None, *vals])
        elif row.key in ("public", "partial", "result_total"):
            first = "三、本年度办理结果" if row.key == "public" else None
            rows.append([first, row.label, None, *vals])
        else:
            rows.append([None, _GROUP_OF.get(row.key), row.label, *vals])
    return rows


def t4_grid(cells: dict) -> list[list[str | None]]:
    heads = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
    return [
        ["行政复议", None, None, None, None, "行政诉讼", None, None, None, None, None, None, None, None, None],
        [*heads, "未经复议直接起诉", None, None, None, None, "复议后起诉", None, None, None, None],
        [None] * 5 + heads + heads,
        [fmt(cells.get(f"t4.{g}.{c}", 0)) for g in T4_GROUPS for c in T4_COLUMNS],
    ]


def document(cells: dict, *, agency="青禾县人民政府", year=2024, sections=None, drop_labels=frozenset(), form="html", empty_unknown=False) -> Document:
    sections = sections or {}
    blocks: list = [Paragraph(f"{agency}{year}年政府信息公开工作年度报告", 1)]
    titles = [
        ("一", "一、总体情况"),
        ("二", "二、主动公开政府信息情况"),
        ("三", "三、收到和处理政府信息公开申请情况"),
        ("四", "四、政府信息公开行政复议、行政诉讼情况"),
        ("五", "五、存在的主要问题及改进情况"),
        ("六", "六、其他需要报告的事项"),
    ]
    tables = {"二": t2_grid(cells), "三": t3_grid(cells, drop_labels=drop_labels), "四": t4_grid(cells)}
    n = 0
    for num, title in titles:
        blocks.append(Paragraph(title, len(blocks) + 1))
        if num in sections:
            blocks.append(Paragraph(sections[num], len(blocks) + 1))
        if num in tables:
            blocks.append(Table(tables[num], index=n, empty_is_unknown=empty_unknown))
            n += 1
    return Document(source=f"{agency}_{year}.{form}", form=form, blocks=blocks)


def clean_cells(seed: int = 1) -> dict:
    """A consistent set of all 200 cells (every identity holds), deterministic per seed."""
    from assistant.testing.synth import clean_report

    return dict(clean_report("青禾县人民政府", 2024, seed=seed).cells)
