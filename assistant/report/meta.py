"""Report metadata and structure: title, agency, year, agency kind, the six sections."""

from __future__ import annotations

import re
from pathlib import Path

from .document import Document, Paragraph
from .model import Section
from .values import nfkc, norm_label

CN_NUMS = "一二三四五六七八九十"
FORMAT_TITLES: dict[str, str] = {
    "一": "总体情况",
    "二": "主动公开政府信息情况",
    "三": "收到和处理政府信息公开申请情况",
    "四": "政府信息公开行政复议、行政诉讼情况",
    "五": "存在的主要问题及改进情况",
    "六": "其他需要报告的事项",
}
_SECTION_KEYWORDS: dict[str, re.Pattern[str]] = {
    "一": re.compile(r"总体情况|总体概况|基本情况|概述"),
    "二": re.compile(r"主动公开"),
    "三": re.compile(r"收到和处理|依申请|申请情况|申请的情况"),
    "四": re.compile(r"行政复议|行政诉讼"),
    "五": re.compile(r"存在的主要问题|主要问题|改进情况|整改|改进措施"),
    "六": re.compile(r"其他需要报告|其他事项|其他需报告"),
}
_HEADING_RE = re.compile(rf"^\s*([{CN_NUMS}]{{1,3}})\s*[、.．]\s*(\S.{{0,40}})$")
# table-3 row labels look like headings in flattened text: never sections
_PAGE_NUMBER = re.compile(r"^\s*[-—–－]\s*\d{1,3}\s*[-—–－]\s*$")  # "- 5 -", "— 4 —" from PDF pages
_TABLE_ROW_RE = re.compile(r"本年新收|上年结转|本年度办理结果|结转下年度|继续办理")
_TITLE_RE = re.compile(
    r"^(?P<pre>.*?)(?P<year>(?:19|20)\d\d)\s*年\s*(?:度)?\s*(?P<post>.*?)"
    r"(?:政府信息公开|政务公开|信息公开)(?:工作)?\s*(?:年度)?\s*(?:报告|年报)"
)
# page chrome that sits before a title on the same line: 正文, 当前位置：首页 > …, 【字体：大 中 小】
_CHROME_RE = re.compile(r"^.*(正文|全文|当前位置|首页|字体|打印|索引号|发布日期|来源)[^\u4e00-\u9fff]*|^[>»\s]+")
_FILE_RE = re.compile(r"^(?P<agency>.+?)[_\-\s]?(?P<year>(?:19|20)\d\d)")


def find_title(doc: Document) -> tuple[str | None, str | None, int | None]:
    """(title, agency, year) from the first paragraphs; joins a title broken across lines."""
    paras = [p.text.strip() for p in doc.paragraphs[:60] if p.text.strip()]
    for i, text in enumerate(paras):
        if _HEADING_RE.match(text) and i > 0:
            # reached the body without a title
            break
        for span in (1, 2, 3):
            cand = nfkc("".join(paras[i : i + span]))
            cand = re.sub(r"\s+", "", cand)
            if len(cand) > 80:
                break
            m = _TITLE_RE.search(cand)
            if m:
                pre = _CHROME_RE.sub("", m.group("pre") or "")
                agency = (pre or m.group("post") or "").strip(" ：:—-_|")
                agency = re.sub(r"^(关于)", "", agency)
                return _CHROME_RE.sub("", m.group(0)), agency or None, int(m.group("year"))
    return None, None, None


def from_filename(source: str) -> tuple[str | None, int | None]:
    m = _FILE_RE.match(Path(source).stem)
    if not m:
        return None, None
    agency = m.group("agency").strip("_- ")
    return (agency or None), int(m.group("year"))


def agency_kind(agency: str | None) -> str | None:
    """人民政府 | 乡镇 | 街道 | 部门 | 其他, inferred from the agency's name."""
    if not agency:
        return None
    a = agency.strip()
    if re.search(r"街道(办事处)?$|街道$", a):
        return "街道"
    if a.endswith("人民政府") or a.endswith("政府"):
        head = a[: -4] if a.endswith("人民政府") else a[:-2]
        if re.search(r"[镇乡]$", head):
            return "乡镇"
        return "人民政府"
    if re.search(r"(管理委员会|管委会)$", a):
        return "人民政府"  # 开发区/实验区 管委会 act as a local government
    if re.search(r"(局|委员会|委|厅|办公室|办|中心|署|院|所|部|处|队|站)$", a):
        return "部门"
    return "其他"


def is_heading(text: str) -> re.Match[str] | None:
    t = text.strip()
    if len(t) > 44:
        return None
    m = _HEADING_RE.match(t)
    if not m or _TABLE_ROW_RE.search(t):
        return None
    return m


def find_sections(doc: Document) -> list[Section]:
    """Numbered top-level headings (一、…) with their body text, each mapped onto a format section."""
    heads: list[tuple[int, Paragraph, re.Match[str]]] = []
    paras = doc.paragraphs
    for i, p in enumerate(paras):
        m = is_heading(p.text)
        if m:
            heads.append((i, p, m))
    raw: list[tuple[str, str, str, int | None, dict[str, int]]] = []
    for k, (i, p, m) in enumerate(heads):
        end = heads[k + 1][0] if k + 1 < len(heads) else len(paras)
        body = "\n".join(q.text for q in paras[i + 1 : end] if q.text.strip() and not _PAGE_NUMBER.match(q.text))
        title_rest = norm_label(m.group(2))
        scores: dict[str, int] = {}
        for num, pat in _SECTION_KEYWORDS.items():
            if norm_label(FORMAT_TITLES[num]) == title_rest:
                scores[num] = 3
            elif pat.search(title_rest):
                scores[num] = 2 if m.group(1) == num else 1
        raw.append((m.group(1), p.text.strip(), body, p.line, scores))
    # each format section goes to its best-scoring heading (ties: the first)
    best: dict[str, int] = {}
    for num in FORMAT_TITLES:
        cands = [(r[4][num], -idx) for idx, r in enumerate(raw) if num in r[4]]
        if cands:
            best[num] = -max(cands)[1]
    owner = {idx: num for num, idx in best.items()}
    # one heading cannot own two sections: keep its highest score
    sections = []
    for idx, (number, title, body, line, _scores) in enumerate(raw):
        sections.append(Section(number=number, title=title, text=body, line=line, canonical=owner.get(idx)))
    return sections
