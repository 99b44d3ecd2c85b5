"""Document → Report: every number onto its canonical cell, with provenance.

Rows are gathered from every table (a table split across pages is just more rows) and, where the
tables lack them, from flattened paragraphs ("label" lines followed by "number" lines). A row's
label cells are matched by keywords (:mod:`labels`); its values are the cells after the last label.
A table-3 row whose label was lost (PDF converters do this) is placed only when the rows around it
pin its position exactly; otherwise its cells stay unknown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import ALL_CELLS, T3_COLUMNS, T3_ROW_BY_KEY, T3_ROW_KEYS, T4_COLUMNS, T4_GROUPS
from .document import Document, Paragraph, Table
from .labels import (
    FORMAT_2019_MARKERS,
    T2_COLUMNS,
    T2_PATTERNS,
    T3_SINGLE_OTHER,
    T4_HEADER,
    match_t2,
    match_t3,
    match_t4_group,
)
from .meta import agency_kind, find_sections, find_title, from_filename
from .model import FORMAT_2019, FORMAT_2021, FORMAT_UNKNOWN, Cell, CellSource, ParseIssue, Report
from .values import is_value_text, nfkc, parse_value


# where a cell sits: (table index, row, column, line, page); a CellSource is made only for mapped cells
Loc = tuple[int | None, int | None, int | None, int | None, int | None]


@dataclass
class Row:
    labels: list[str]
    values: list[tuple[str, Loc]]  # (text, where)
    empty_unknown: bool = False
    from_text: bool = False
    label_srcs: list[Loc] = field(default_factory=list)  # where each label cell sits (tables)


@dataclass
class _State:
    form: str
    cells: dict[str, Cell] = field(default_factory=dict)
    issues: list[ParseIssue] = field(default_factory=list)
    found: dict[str, bool] = field(default_factory=lambda: {"t2": False, "t3": False, "t4": False})
    t2_2019: bool = False
    t4_header_seen: bool = False
    t3_events: list[tuple[str | None, Row]] = field(default_factory=list)
    allowed: frozenset[str] = frozenset({"t2", "t3", "t4"})  # tables this pass may fill
    t4_group: str | None = None  # a heading just named one table-4 group ("行政诉讼（复议后起诉）")

    def put(self, cell_id: str, text: str, loc: Loc, empty_unknown: bool, inferred: str | None = None) -> None:
        if cell_id in self.cells:
            return  # first reading wins (a table repeated later, or text after tables)
        value, written = parse_value(text)
        if written == "blank" and empty_unknown:
            value, written = None, "missing"
            self.issues.append(
                ParseIssue(
                    "cell_unknown",
                    "该单元格在文件中为空，但这种格式（由 PDF 转换的 Markdown）中的空格常是丢失的文字，无法确定其值",
                    (cell_id,),
                )
            )
        elif written == "text":
            self.issues.append(
                ParseIssue("cell_text", f"单元格写的是“{text}”，不是数字", (cell_id,), {"raw": text})
            )
        table, row, col, line, page = loc
        self.cells[cell_id] = Cell(cell_id, value, written, CellSource(self.form, table, row, col, line, page, text, inferred))


def _table_rows(table: Table) -> list[Row]:
    rows = []
    index, line, page, unknown = table.index, table.line, table.page, table.empty_is_unknown
    for r, cells in enumerate(table.rows):
        # a label is a non-empty cell that is not a value; values are the cells after the last label
        is_label = [t is not None and t.strip() != "" and not is_value_text(t) for t in cells]
        last_label = max((c for c, lbl in enumerate(is_label) if lbl), default=-1)
        label_cols = [c for c in range(last_label + 1) if is_label[c]]
        rows.append(
            Row(
                [cells[c] for c in label_cols],  # type: ignore[misc]
                [(t, (index, r, c, line, page)) for c, t in enumerate(cells) if c > last_label and t is not None],
                unknown,
                label_srcs=[(index, r, c, line, page) for c in label_cols],
            )
        )
    return rows


def _expected_count(labels: list[str]) -> int | None:
    if match_t3(labels):
        return 7
    if (k := match_t2(labels)) is not None:
        return len(T2_COLUMNS[k])
    if match_t4_group(labels):
        return 5
    return None


def _text_in_value_cells(row: Row) -> Row:
    """“行政处罚 | 若干”: words in a value cell look like a label. Split them off when a shorter
    label matches a row and the words then fill exactly that row's value cells."""
    if len(row.labels) < 2 or len(row.label_srcs) != len(row.labels) or _expected_count(row.labels):
        return row
    for k in range(len(row.labels) - 1, 0, -1):
        n = _expected_count(row.labels[:k])
        if n is not None:
            moved = list(zip(row.labels[k:], row.label_srcs[k:]))
            if len(moved) + len(row.values) == n:
                return Row(row.labels[:k], moved + row.values, row.empty_unknown, row.from_text, row.label_srcs[:k])
            return row
    return row


_SPLIT_NUMS = re.compile(r"^(?P<label>\D.*?)\s+(?P<nums>[-—/\d.,\s]+)$")
_GLUED_NUM = re.compile(r"^(?P<label>\D+?)(?P<nums>\d[\d.,]*)$")  # "行政许可97": spaces lost in extraction
_NARRATIVE = re.compile(r"[。；;]")


def _text_rows(paras: list[Paragraph]) -> list[Row]:
    """Rows from flattened text: label lines followed by value lines; or "label 1 2 3" on one line."""
    rows: list[Row] = []
    labels: list[str] = []
    values: list[tuple[str, Loc]] = []

    def flush() -> None:
        nonlocal labels, values
        if values:
            rows.append(Row(labels, values, from_text=True))
            labels = []
        values = []

    for p in paras:
        t = nfkc(p.text).strip()
        if not t:
            continue
        src: Loc = (None, None, None, p.line, p.page)
        if is_value_text(t):
            values.append((t, src))
            continue
        m = _SPLIT_NUMS.match(t) or _GLUED_NUM.match(t)
        if m and len(m.group("label")) <= 40 and all(is_value_text(x) for x in m.group("nums").split()):
            flush()
            labels = []
            nums = m.group("nums").split()
            rows.append(Row([m.group("label")], [(x, src) for x in nums], from_text=True))
            continue
        flush()
        if len(t) > 60 or _NARRATIVE.search(t):  # narrative: breaks any label run
            labels = []
        else:
            labels.append(t)
    flush()
    return rows


def _fit(values: list, n: int, labelled: bool) -> list | None:
    """Exactly n values, dropping blank padding at the ends; None when it cannot be made to fit."""
    vals = list(values)
    if not labelled:
        while len(vals) > n and vals[0][0].strip() == "":
            vals.pop(0)
    while len(vals) > n and vals[-1][0].strip() == "":
        vals.pop()
    while len(vals) > n and vals[0][0].strip() == "":  # padding left by a label spanning columns
        vals.pop(0)
    return vals if len(vals) == n else None


def _map_row(st: _State, row: Row) -> None:
    row = _text_in_value_cells(row)
    if any(FORMAT_2019_MARKERS.search(lbl) for lbl in row.labels):
        st.t2_2019 = True
    if any(T4_HEADER.search(lbl) for lbl in row.labels):
        st.t4_header_seen = True
    if not row.values:
        return
    labelled = bool(row.labels)
    vals15 = _fit(row.values, 15, labelled)
    if vals15 is not None and st.t4_header_seen and "t4" in st.allowed and not st.found["t4"]:
        st.found["t4"] = True
        ids = [f"t4.{g}.{c}" for g in T4_GROUPS for c in T4_COLUMNS]
        for cid, (text, src) in zip(ids, vals15):
            st.put(cid, text, src, row.empty_unknown)
        return
    key3 = match_t3(row.labels) if "t3" in st.allowed else None
    if key3 is not None:
        vals = _fit(row.values, 7, True)
        if vals is None and all(not t.strip() for t, _src in row.values):
            return  # a header row ("…其他" over blank placeholders), not data
        if vals is None:
            st.issues.append(
                ParseIssue(
                    "row_shape",
                    f"表三“{T3_ROW_BY_KEY[key3].label}”一行应有7个数，实际读到{len(row.values)}个，该行单元格记为未知",
                    tuple(f"t3.{key3}.{c}" for c in T3_COLUMNS),
                )
            )
            st.t3_events.append((key3, Row(row.labels, [])))
            return
        st.t3_events.append((key3, Row(row.labels, vals, row.empty_unknown, row.from_text)))
        return
    if labelled and T3_SINGLE_OTHER.match(re.sub(r"\s", "", nfkc(row.labels[-1]))):
        st.issues.append(
            ParseIssue(
                "old_layout",
                "表三“（六）其他处理”只有一行（旧版格式），未分1—3项：三（六）1—3 记为未知",
                tuple(f"t3.other_{i}.{c}" for i in (1, 2, 3) for c in T3_COLUMNS),
            )
        )
        st.t3_events.append(("__single_other__", Row(row.labels, [])))
        return
    key2 = match_t2(row.labels) if "t2" in st.allowed else None
    if key2 is not None:
        _map_t2(st, key2, row)
        return
    group = match_t4_group(row.labels) if "t4" in st.allowed else None
    if group is not None:
        vals = _fit(row.values, 5, True)
        if vals is not None:
            st.found["t4"] = True
            for col, (text, src) in zip(T4_COLUMNS, vals):
                st.put(f"t4.{group}.{col}", text, src, row.empty_unknown)
        return
    if labelled:
        vals7 = _fit(row.values, 7, True)
        if vals7 is not None and st.t3_events and not st.t4_header_seen and "t3" in st.allowed:
            # inside table 3, a row of 7 numbers whose label was cut by a converter ("行政机关不再处理其政府信息公"):
            # a label-less row for placement (only where its neighbours pin it down)
            st.t3_events.append((None, Row([], vals7, row.empty_unknown, row.from_text)))
        return
    vals5 = _fit(row.values, 5, False)
    if vals5 is not None and st.t4_group and "t4" in st.allowed:
        # table 4 split into three small tables, each under a heading naming its group
        st.found["t4"] = True
        for col, (text, src) in zip(T4_COLUMNS, vals5):
            st.put(f"t4.{st.t4_group}.{col}", text, src, row.empty_unknown)
        st.t4_group = None
        return
    vals7 = _fit(row.values, 7, False)
    if vals7 is not None and not st.t4_header_seen and "t3" in st.allowed:
        st.t3_events.append((None, Row([], vals7, row.empty_unknown, row.from_text)))


def _map_t2(st: _State, key: str, row: Row) -> None:
    cols = T2_COLUMNS[key]
    if st.t2_2019:
        # 2019 trial layout: only the 处理决定数量 column (the last one) means the same thing
        if key in ("license", "penalty", "coercion") and row.values:
            st.found["t2"] = True
            text, src = row.values[-1]
            st.put(f"t2.{key}.decisions", text, src, row.empty_unknown)
        return
    vals = _fit(row.values, len(cols), True)
    if vals is None:
        n = dict((k, n) for k, _p, n in T2_PATTERNS)[key]
        st.issues.append(
            ParseIssue(
                "row_shape",
                f"表二该行应有{n}个数，实际读到{len(row.values)}个，该行单元格记为未知",
                tuple(f"t2.{key}.{c}" for c in cols),
            )
        )
        return
    st.found["t2"] = True
    for col, (text, src) in zip(cols, vals):
        st.put(f"t2.{key}.{col}", text, src, row.empty_unknown)


def _place_t3(st: _State) -> None:
    """Write table-3 rows; place label-less rows only where the anchors around them leave no doubt."""
    events = st.t3_events
    pos = {k: i for i, k in enumerate(T3_ROW_KEYS)}
    anchors = [(i, k) for i, (k, _r) in enumerate(events) if k is not None and k in pos]
    placed: dict[int, str] = {}
    for i, (k, _r) in enumerate(events):
        if k is not None and k in pos:
            placed[i] = k
    bounds = [(-1, -1)] + [(i, pos[k]) for i, k in anchors]
    for (ia, pa), (ib, pb) in zip(bounds, bounds[1:]):
        gap = [j for j in range(ia + 1, ib) if events[j][0] is None]
        if not gap or ia < 0:
            continue
        slots = list(range(pa + 1, pb))
        if len(slots) == len(gap):
            before, after = T3_ROW_BY_KEY[T3_ROW_KEYS[pa]].short, T3_ROW_BY_KEY[T3_ROW_KEYS[pb]].short
            for j, slot in zip(gap, slots):
                placed[j] = T3_ROW_KEYS[slot]
                note = f"在文件中没有行名，按位置（介于{before}与{after}之间）推定"
                st.issues.append(
                    ParseIssue(
                        "row_inferred",
                        f"表三 {T3_ROW_BY_KEY[T3_ROW_KEYS[slot]].short} 一行{note}",
                        tuple(f"t3.{T3_ROW_KEYS[slot]}.{c}" for c in T3_COLUMNS),
                    )
                )
                events[j] = (None, Row([note], events[j][1].values, events[j][1].empty_unknown))
        else:
            st.issues.append(
                ParseIssue(
                    "row_unplaced",
                    f"表三有{len(gap)}行数字没有行名，无法确定属于哪一行，相关单元格记为未知",
                )
            )
    for j, key in sorted(placed.items()):
        row = events[j][1]
        if not row.values:
            continue
        st.found["t3"] = True
        inferred = row.labels[0] if events[j][0] is None and row.labels else None
        for col, (text, src) in zip(T3_COLUMNS, row.values):
            st.put(f"t3.{key}.{col}", text, src, row.empty_unknown, inferred)


_CLAUSE_PUNCT = re.compile(r"[，。；,]")


def _is_t4_heading(text: str) -> bool:
    """A paragraph that opens table 4 ("四、…行政复议、行政诉讼情况", "行政复议 行政诉讼"), not narrative."""
    t = text.strip()
    return len(t) <= 30 and not _CLAUSE_PUNCT.search(t) and bool(T4_HEADER.search(t))


def map_document(doc: Document) -> Report:
    st = _State(form=doc.form)
    for block in doc.blocks:
        if isinstance(block, Table):
            for row in _table_rows(block):
                _map_row(st, row)
        elif st.t3_events and _is_t4_heading(block.text):
            st.t4_header_seen = True  # only once table 3 has begun: earlier mentions are the preamble
            st.t4_group = match_t4_group([block.text.lstrip("#").strip()])
    # flattened text (no-tab dumps, lines outside tables) fills only the tables not found as tables
    if any(k is not None for k, _row in st.t3_events):
        st.found["t3"] = True
    missing = {t for t, ok in st.found.items() if not ok}
    if any(cid not in st.cells for cid in ALL_CELLS if cid.startswith("t2.")):
        missing.add("t2")  # e.g. 规章 rows in a table, 行政许可 etc. as lines of text
    if missing:
        st.t4_header_seen = False
        st.allowed = frozenset(missing)
        for row in _text_rows(doc.paragraphs):
            _map_row(st, row)
    _place_t3(st)

    title, agency, year = find_title(doc)
    f_agency, f_year = from_filename(doc.source)
    agency = agency or f_agency
    year = year or f_year
    if st.t2_2019:
        version = FORMAT_2019
        st.issues.append(
            ParseIssue(
                "format_2019",
                "表二使用的是2019年试行格式（本年新制作/新公开/对外公开总数量等），不是2021年格式：表二中2021年格式才有的单元格记为未知",
            )
        )
    elif st.found["t3"] or st.found["t2"]:
        version = FORMAT_2021
    else:
        version = FORMAT_UNKNOWN
    cells = {}
    for cid in ALL_CELLS:
        cells[cid] = st.cells.get(cid) or Cell(cid, None, "missing", None)
    return Report(
        source=doc.source,
        form=doc.form,
        agency=agency,
        year=year,
        agency_kind=agency_kind(agency),
        format_version=version,
        title=title,
        sections=find_sections(doc),
        cells=cells,
        tables_found=st.found,
        issues=st.issues,
        document=doc,
    )
