"""Render a :class:`SynthReport` as a web-page text dump, a published HTML page or Markdown.

DOCX and PDF live in :mod:`assistant.testing.synth_binary` (they need python-docx/reportlab).
All renderers here are pure functions of the report: same report, same bytes.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import TYPE_CHECKING

from .synth_model import table_of_heading
from .synth_tables import GRIDS, layout, prose, text_of

if TYPE_CHECKING:
    from .synth_model import SynthReport

FORMS: dict[str, str] = {"text": ".txt", "html": ".html", "docx": ".docx", "pdf": ".pdf", "markdown": ".md"}


def section_parts(r: SynthReport) -> list[tuple[str, str | None, str, list[str]]]:
    """(heading, table key or None, "table"|"prose"|"", body paragraphs) for each section, in order.

    A table is placed after the first heading it belongs to (``table_of_heading``); a table in
    ``omit_tables`` is left out; one in ``prose_tables`` becomes a sentence before the body.
    """
    out: list[tuple[str, str | None, str, list[str]]] = []
    placed: set[str] = set()
    for heading, body in r.sections:
        paras = [p for p in body.split("\n") if p.strip()]
        key = table_of_heading(heading)
        mode = ""
        if key is not None and key not in placed and key not in r.omit_tables:
            placed.add(key)
            if key in r.prose_tables:
                paras.insert(0, prose(r, key))
                mode = "prose"
            else:
                mode = "table"
        out.append((heading, key if mode == "table" else None, mode, paras))
    return out


def signature_lines(r: SynthReport) -> list[str]:
    return [r.agency, r.date] if r.signature else []


# --------------------------------------------------------------------------- text dump


def _dump_table(r: SynthReport, key: str) -> list[str]:
    """Rows as copied from a browser: one TAB-led line per cell, a lone TAB for each cell that
    reaches down from an earlier row (rowspan), an empty line after each row; a header broken
    over two lines continues on a line without a tab."""
    grid = GRIDS[key](r)
    pos, _ = layout(grid)
    lines: list[str] = []
    for ri, row in enumerate(pos):
        for ci, p in enumerate(row):
            if p is None or p.col != ci:
                continue  # colspan continuation (or a hole)
            if p.row < ri:
                lines.append("\t")
            else:
                lines.append("\t" + text_of(r, p.cell))
        lines.append("")
    return lines


def to_text_dump(r: SynthReport) -> str:
    """The report as text copied from its web page (like the seed ``湍东镇人民政府_2024.txt``)."""
    lines = ["", r.title, ""]
    for heading, key, _mode, paras in section_parts(r):
        lines.append(heading)
        if key is not None:
            lines.append("")
            lines += _dump_table(r, key)
            lines += [""] * (2 if key == "t4" else 1)
        lines += paras
        lines.append("")
    if r.signature:
        lines += signature_lines(r)
    else:
        lines.pop()
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------- HTML

_NBSP_BLANK = '<p class="MsoNormal" align="center"><o:p>&nbsp;</o:p></p>'
_CSS = """  body{margin:0;font-family:"Microsoft YaHei",sans-serif;color:#333}
  .top{background:#b8141b;color:#fff;padding:12px 40px;font-size:22px}
  .nav{background:#d9262e;margin:0;padding:0 40px;list-style:none}
  .nav li{display:inline-block;padding:8px 16px}.nav a{color:#fff;text-decoration:none}
  .crumb{padding:10px 40px;font-size:13px}
  .xxgk-meta{margin:0 40px;border-collapse:collapse;font-size:13px;width:90%}
  .xxgk-meta td{border:1px solid #ccc;padding:4px 8px}
  .article{padding:20px 40px}.article h1{text-align:center;font-size:24px}
  .footer{background:#f2f2f2;text-align:center;font-size:12px;padding:16px}"""


def _iso_date(r: SynthReport) -> str:
    m = re.match(r"(\d{4})年(\d{1,2})月(\d{1,2})日", r.date)
    return f"{m[1]}-{int(m[2]):02d}-{int(m[3]):02d}" if m else r.date


def _site_owner(r: SynthReport) -> str:
    head = re.match(r"^(.+?[县市区])", r.agency)
    return f"{head[1]}人民政府" if head else r.agency


def _html_cell(r: SynthReport, p_cell, ri: int, ci: int) -> str:
    attrs = ""
    if p_cell.colspan > 1:
        attrs += f' colspan="{p_cell.colspan}"'
    if p_cell.rowspan > 1:
        attrs += f' rowspan="{p_cell.rowspan}"'
    width = 50 * p_cell.colspan
    text = text_of(r, p_cell)
    if not text:
        inner = _NBSP_BLANK
    else:
        pad = "&nbsp;" if p_cell.is_value and (ri + ci) % 4 == 0 else ""
        inner = "".join(
            f'<p class="MsoNormal" align="center"><span style="font-family:宋体;font-size:10.5pt">{html.escape(line)}{pad}</span></p>'
            for line in text.split("\n")
        )
    return f'<td{attrs} width="{width}" valign="center" style="border:solid windowtext 1.0pt;padding:0cm 5.4pt">{inner}</td>'


def _html_table(r: SynthReport, key: str) -> str:
    grid = GRIDS[key](r)
    pos, _ = layout(grid)
    out = ['<table class="MsoNormalTable" border="1" cellspacing="0" cellpadding="0" style="border-collapse:collapse;border:none">', "<tbody>"]
    for ri, row in enumerate(pos):
        tds = [_html_cell(r, p.cell, ri, ci) for ci, p in enumerate(row) if p is not None and p.row == ri and p.col == ci]
        out.append('<tr style="height:20.0pt">' + "".join(tds) + "</tr>")
    out += ["</tbody>", "</table>"]
    return "\n".join(out)


def _p(text: str, *, bold: bool = False, align: str = "") -> str:
    style = "text-indent:2em;line-height:28pt" if not align else f"text-align:{align};line-height:28pt"
    font = "黑体" if bold else "仿宋_GB2312"
    inner = f'<span style="font-family:{font};font-size:16pt">{html.escape(text)}</span>'
    if bold:
        inner = f"<strong>{inner}</strong>"
    return f'<p class="MsoNormal" style="{style}">{inner}</p>'


def _report_body(r: SynthReport) -> list[str]:
    out = []
    for heading, key, _mode, paras in section_parts(r):
        out.append(_p(heading, bold=True))
        if key is not None:
            out.append(_html_table(r, key))
            out.append('<p class="MsoNormal"><span><o:p>&nbsp;</o:p></span></p>')
        out += [_p(t) for t in paras]
    out += [_p(t, align="right") for t in signature_lines(r)]
    return out


def to_html(r: SynthReport, chrome: bool = True) -> str:
    """The report as published on a 政府信息公开专栏 page (site chrome around Word-pasted tables)."""
    title = html.escape(r.title)
    body = "\n".join(_report_body(r))
    if not chrome:
        return f'<!DOCTYPE html>\n<html>\n<head>\n<meta charset="utf-8">\n<title>{title}</title>\n</head>\n<body>\n<h1>{title}</h1>\n{body}\n</body>\n</html>\n'
    owner = html.escape(_site_owner(r))
    agency = html.escape(r.agency)
    index_no = f"QH{abs(hash_text(r.agency)) % 10**8:08d}/{r.year + 1}-{r.seed % 1000 + 12:05d}"
    return f"""<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta http-equiv="X-UA-Compatible" content="IE=edge">
<meta name="SiteName" content="{owner}">
<meta name="ColumnName" content="政府信息公开年报">
<meta name="ArticleTitle" content="{title}">
<title>{title}_{owner}</title>
<style>
{_CSS}
</style>
<script type="text/javascript">
  var siteConfig = {{ siteId: "qinghe", column: "xxgknb", pageSize: 20 }};
  function changeFont(size) {{ document.getElementById("zoom").style.fontSize = size + "px"; }}
</script>
</head>
<body>
<div class="top">{owner} · 政府信息公开</div>
<ul class="nav">
  <li><a href="/index.html">首页</a></li>
  <li><a href="/xxgk/zn/">政府信息公开指南</a></li>
  <li><a href="/xxgk/zd/">政府信息公开制度</a></li>
  <li><a href="/xxgk/fdzdgknr/">法定主动公开内容</a></li>
  <li><a href="/xxgk/nb/">政府信息公开年报</a></li>
  <li><a href="/hdjl/">互动交流</a></li>
</ul>
<div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; <a href="/xxgk/">政府信息公开</a> &gt; <a href="/xxgk/nb/">政府信息公开年报</a></div>
<table class="xxgk-meta">
  <tr><td>索引号：</td><td>{index_no}</td><td>发布机构：</td><td>{agency}</td></tr>
  <tr><td>发布日期：</td><td>{_iso_date(r)}</td><td>主题分类：</td><td>政务公开</td></tr>
  <tr><td>名&nbsp;&nbsp;称：</td><td colspan="3">{title}</td></tr>
</table>
<div class="article">
<h1 class="title">{title}</h1>
<div class="info">来源：{agency}&nbsp;&nbsp;发布时间：{_iso_date(r)}&nbsp;&nbsp;字号：[<a href="javascript:changeFont(18)">大</a> <a href="javascript:changeFont(16)">中</a> <a href="javascript:changeFont(14)">小</a>]</div>
<div class="TRS_Editor" id="zoom">
{body}
</div>
</div>
<div class="footer">
<p>主办单位：{owner}办公室&nbsp;&nbsp;网站标识码：QH{abs(hash_text(owner)) % 10**10:010d}</p>
<p>联系电话：0000-0000000&nbsp;&nbsp;建议使用1366×768分辨率浏览</p>
</div>
<script type="text/javascript">
  (function () {{ var v = document.createElement("img"); v.src = "/stat/pv.gif?c=" + siteConfig.column; }})();
</script>
</body>
</html>
"""


def hash_text(s: str) -> int:
    """A stable (process-independent) small hash for made-up ids."""
    h = 0
    for ch in s:
        h = (h * 131 + ord(ch)) % (2**61 - 1)
    return h


# --------------------------------------------------------------------------- Markdown


def _md_table(r: SynthReport, key: str) -> list[str]:
    grid = GRIDS[key](r)
    pos, _ = layout(grid)
    rows = []
    for ri, row in enumerate(pos):
        cells = []
        for ci, p in enumerate(row):
            own = p is not None and p.row == ri and p.col == ci
            cells.append(text_of(r, p.cell).replace("\n", "") if own else "")
        rows.append("| " + " | ".join(cells) + " |")
    sep = "|" + "---|" * len(pos[0])
    return [rows[0], sep, *rows[1:]]


def to_markdown(r: SynthReport) -> str:
    """Headings and clean pipe tables (merged cells written once, at their top-left corner)."""
    out = [f"# {r.title}", ""]
    for heading, key, _mode, paras in section_parts(r):
        out += [f"## {heading}", ""]
        if key is not None:
            out += _md_table(r, key) + [""]
        for t in paras:
            out += [t, ""]
    for t in signature_lines(r):
        out += [t, ""]
    return "\n".join(out).rstrip("\n") + "\n"


# --------------------------------------------------------------------------- dispatcher


def render(r: SynthReport, form: str, path: str | Path) -> Path:
    """Write ``r`` in ``form`` (text/html/docx/pdf/markdown, or the suffix) to ``path``.

    When ``path`` is a directory the file is named ``<agency>_<year><suffix>`` inside it.
    """
    form = {".txt": "text", ".html": "html", ".docx": "docx", ".pdf": "pdf", ".md": "markdown", "txt": "text", "md": "markdown"}.get(form, form)
    if form not in FORMS:
        raise ValueError(f"unknown form {form!r}; one of {sorted(FORMS)}")
    path = Path(path)
    if path.is_dir():
        path = path / f"{r.name}{FORMS[form]}"
    if form == "text":
        path.write_text(to_text_dump(r), encoding="utf-8")
    elif form == "html":
        path.write_text(to_html(r), encoding="utf-8")
    elif form == "markdown":
        path.write_text(to_markdown(r), encoding="utf-8")
    else:
        from .synth_binary import to_docx, to_pdf

        (to_docx if form == "docx" else to_pdf)(r, path)
    return path
