"""Recall and false findings of the rule catalogue on mutated copies of clean reports.

    .venv/bin/python evals/review_mutations.py [--seeds 4] [--shared ../shared/corpus/reports]

Builds clean synthetic reports (several agency kinds and seeds, each with its clean previous year,
rendered in turn as web-page text dump, HTML and Markdown), then copies with exactly one defect each
— for every rule: table arithmetic (issue 3), cross-year, narrative, stale, copied, required,
plausibility — plus copies with consistent edits and correct alternative narrative sentences; and
mutated copies of the real reports in text-like forms (../shared/corpus/reports: .txt/.html/.md),
with the real seed 湍东镇人民政府_2024.txt also fixed of its three real defects as a clean copy.
Every copy is parsed by ``read_report`` and checked by ``check_report`` (the whole catalogue).

Prints Markdown: per-rule recall (a mutation counts as found when its rule raises a finding the
unmutated copy did not), false findings (errors/warnings) on clean copies by rule, and the median
parse and check times.
"""

from __future__ import annotations

import argparse
import copy
import re
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.report import read_report_bytes  # noqa: E402
from assistant.report.cells import t3  # noqa: E402
from assistant.rules.engine import check_report  # noqa: E402
from assistant.rules.registry import all_rules  # noqa: E402
from assistant.testing.synth import clean_report, to_html, to_markdown, to_text_dump  # noqa: E402
from assistant.testing.synth import SynthReport, may_make_rules  # noqa: E402
from assistant.testing.synth_text import write_sections  # noqa: E402

# ----------------------------------------------------------------------------- mutations
AGENCIES = ("青禾县人民政府", "白沙镇人民政府", "青禾县交通运输局", "东湖街道办事处", "临川市人民政府")
GROUP_OF = {r.id: r.group for r in all_rules()}


@dataclass
class Case:
    cur: SynthReport
    prev: SynthReport | None
    peer: SynthReport | None = None

    def copy(self) -> Case:
        return copy.deepcopy(self)


def _regen(r: SynthReport, prev: SynthReport | None) -> None:
    """Rewrite the narrative from the (edited) cells, so text and tables agree again."""
    r.sections = write_sections(r, prev)


def _add(r: SynthReport, row: str, col: str, d: int, *, balanced: bool = True) -> None:
    """Add ``d`` applications to a table-3 result row; with ``balanced`` also to （七）总计 and 一 (still consistent)."""
    rows = [row] + (["result_total", "new"] if balanced else [])
    for rw in rows:
        for c in (col, "total"):
            r.cells[t3(rw, c)] = (r.cells[t3(rw, c)] or 0) + d


def _edit_section(r: SynthReport, num: str, fn) -> bool:
    for i, (head, body) in enumerate(r.sections):
        if head.startswith(num + "、"):
            new = fn(body)
            if new is None or new == body:
                return False
            r.sections[i] = (head, new)
            return True
    return False


def _body(r: SynthReport, num: str) -> str:
    return next(b for h, b in r.sections if h.startswith(num + "、"))


def _sub_number(pattern: str, num: str = "一"):
    """A mutation that changes the first number matched by ``pattern`` (group 2) to a wrong one."""

    def mutate(c: Case) -> Case | None:
        def fn(body: str) -> str | None:
            m = re.search(pattern, body)
            if not m:
                return None
            return body[: m.start(2)] + str(int(m.group(2)) + 11) + body[m.end(2) :]

        return c if _edit_section(c.cur, num, fn) else None

    return mutate


def _cells(edit, *, regen: bool = True, kinds: tuple[str, ...] = ()):
    def mutate(c: Case) -> Case | None:
        if kinds and c.cur.kind not in kinds:
            return None
        if edit(c) is False:
            return None
        if regen:
            _regen(c.cur, c.prev)
        return c

    return mutate


def _set(cell: str, value):
    return lambda c: c.cur.cells.__setitem__(cell, value)


def _bump(cell: str, d):
    return lambda c: c.cur.cells.__setitem__(cell, c.cur.cells[cell] + d)


def _xy_carry(c: Case) -> None:
    assert c.prev is not None
    for row in ("carry_forward", "new"):
        for col in ("natural", "total"):
            c.prev.cells[t3(row, col)] += 1
    _regen(c.prev, None)


def _xy_year(c: Case) -> Case:
    c.prev = clean_report(c.cur.agency, c.cur.year - 2, seed=c.cur.seed)
    return c


def _stale_year(num: str):
    def mutate(c: Case) -> Case | None:
        y = c.cur.year
        return c if _edit_section(c.cur, num, lambda b: b.replace(f"{y}年", f"{y - 1}年", 1)) else None

    return mutate


def _foreign(agency: str) -> str:
    m = re.match(r"^(.+?)(县|镇|街道|市)(.*)$", agency)
    assert m, agency
    return "石门" + m.group(2) + m.group(3)


def _stale_name(c: Case) -> Case:
    own, other = c.cur.agency, _foreign(c.cur.agency)
    if not _edit_section(c.cur, "一", lambda b: b.replace(own, other, 1) if own in b else None):
        _edit_section(c.cur, "一", lambda b: f"{c.cur.year}年，{other}认真贯彻落实《中华人民共和国政府信息公开条例》。" + b)
    return c


def _copy_prev(c: Case) -> Case | None:
    assert c.prev is not None
    return c if _edit_section(c.cur, "五", lambda b: _body(c.prev, "五")) else None


def _copy_peer(c: Case) -> Case | None:
    assert c.peer is not None
    text = _body(c.peer, "五").replace(c.peer.agency, c.cur.agency)
    return c if _edit_section(c.cur, "五", lambda b: text) else None


def _drop_sentences(num: str, word: str):
    def mutate(c: Case) -> Case | None:
        def fn(body: str) -> str:
            return re.sub(rf"[^。\n：]*{word}[^。\n]*。", "", body)

        return c if _edit_section(c.cur, num, fn) else None

    return mutate


def _drop_topic(head: str):
    def mutate(c: Case) -> Case | None:
        def fn(body: str) -> str:
            lines = body.split("\n")
            out, skip = [], False
            for ln in lines:
                if ln.startswith("（"):
                    skip = head in ln
                if not skip:
                    out.append(ln)
            return "\n".join(out)

        return c if _edit_section(c.cur, "一", fn) else None

    return mutate


def _no_assess(c: Case) -> Case | None:
    if c.cur.kind not in ("人民政府", "乡镇", "街道"):
        return None
    fn = lambda b: re.sub(r"(关于)?工作考核、社会评议和责任追究结果情况[^\n]*", "", b)  # noqa: E731
    return c if _edit_section(c.cur, "一", fn) else None


def _fee_silent(variant: int):
    def mutate(c: Case) -> Case | None:
        fn = (lambda b: "无。") if variant else (lambda b: "\n".join(b.split("\n")[1:]))
        return c if _edit_section(c.cur, "六", fn) else None

    return mutate


def _fee_conflict(c: Case) -> Case | None:
    _add(c.cur, "other_2", "natural", 1)
    _regen(c.cur, c.prev)
    return c if _edit_section(c.cur, "六", lambda b: "本年度未收取信息处理费。\n" + "\n".join(b.split("\n")[1:])) else None


def _all_done(c: Case) -> Case | None:
    if not c.cur.cells[t3("carry_forward", "total")]:
        return None
    fn = lambda b: re.sub(r"办结\d+件，结转下年度(继续办理)?\d+件", "所有申请均已办结", b, count=1)  # noqa: E731
    return c if _edit_section(c.cur, "一", fn) else None


def _says_none(c: Case) -> Case | None:
    if not c.cur.cells[t3("new", "total")]:
        return None
    pat = r"(（二）依申请公开。)?[^。\n]*(收到|新收|受理)政府信息公开申请\d+件[^。]*。"
    fn = lambda b: re.sub(pat, lambda m: (m.group(1) or "") + "本年度未收到政府信息公开申请。", b, count=1)  # noqa: E731
    return c if _edit_section(c.cur, "一", fn) else None


def _nar_fee(c: Case) -> Case:
    wrong = round(float(c.cur.cells["t2.fee.amount"]) + 5.5, 2)
    _edit_section(c.cur, "一", lambda b: b + f"\n全年行政事业性收费{wrong}万元。")
    return c


def _said(template: str, wrong: dict[str, float] | None = None):
    """A mutation (or, without ``wrong``, a consistent edit) that adds a sentence in report wording to 一.

    ``template`` names cells as ``{t4.review.total}``; ``wrong`` adds to some of them in the sentence only."""

    def mutate(c: Case) -> Case | None:
        values = {cid: c.cur.cells[cid] for cid in re.findall(r"\{([^}]+)\}", template)}
        for cid, d in (wrong or {}).items():
            values[cid] = round(float(values[cid]) + d, 2) if cid == "t2.fee.amount" else values[cid] + d
        text = template
        for cid, v in values.items():
            text = text.replace("{" + cid + "}", f"{v:g}" if isinstance(v, float) else str(v))
        return c if _edit_section(c.cur, "一", lambda b: b + "\n" + text) else None

    return mutate


# wordings of tables 2 and 4 the generator never writes (issue 14): a wrong number in each
SAID = [
    ("NAR-DECISION", "作出行政处罚决定N件 wrong", "全年共作出行政处罚决定{t2.penalty.decisions}件。", {"t2.penalty.decisions": 7}),
    ("NAR-DECISION", "办理行政许可N件 wrong", "全年办理行政许可{t2.license.decisions}件。", {"t2.license.decisions": 12}),
    ("NAR-DECISION", "实施行政强制措施N件 wrong", "实施行政强制措施{t2.coercion.decisions}件。", {"t2.coercion.decisions": 2}),
    ("NAR-REGULATION", "制定规章N件 wrong", "全年制定政府规章{t2.regulation.issued}件，现行有效规章{t2.regulation.in_force}件。",
     {"t2.regulation.issued": 2}),
    ("NAR-NORMDOC", "印发…等规范性文件N件 wrong", "印发《关于进一步规范政务公开工作的通知》等规范性文件{t2.normative_doc.issued}件。",
     {"t2.normative_doc.issued": 3}),
    ("NAR-FEE", "收取行政事业性收费N元 wrong", "本年度收取行政事业性收费共计{t2.fee.amount}万元。", {"t2.fee.amount": 1.25}),
    ("NAR-LITIGATION", "复议其中维持N件 wrong", "政府信息公开行政复议{t4.review.total}件，其中结果维持{t4.review.upheld}件。",
     {"t4.review.upheld": 2}),
    ("NAR-LITIGATION", "诉讼尚未审结N件 wrong",
     "被提起政府信息公开行政诉讼{t4.suit_direct.total}件，其中尚未审结{t4.suit_direct.pending}件。", {"t4.suit_direct.pending": 2}),
    ("NAR-LITIGATION", "有N件…行政复议 wrong", "本年度有{t4.review.total}件涉及政府信息公开的行政复议。", {"t4.review.total": 2}),
]  # fmt: skip
SAID_CLEAN = "".join(t for *_x, t, _w in SAID)


def _regulation(c: Case):
    if may_make_rules(c.cur.agency):
        return False
    c.cur.cells["t2.regulation.issued"] = 2
    c.cur.cells["t2.regulation.in_force"] += 2


LOCAL = ("乡镇", "街道", "部门")
MUTATIONS = [
    ("T3-ROW", "cell+1", _cells(_bump(t3("new", "natural"), 1), regen=False)),
    ("T3-TOTAL", "total changed", _cells(_bump(t3("result_total", "total"), 1), regen=False)),
    ("T3-BALANCE", "balance broken", _cells(lambda c: _add(c.cur, "carry_forward", "natural", 1, balanced=False))),
    ("T3-INT", "negative", _cells(_set(t3("unable_3", "commercial"), -1), regen=False)),
    ("T3-INT", "decimal count", _cells(_set(t3("partial", "natural"), 1.5), regen=False)),
    ("T4-SUM", "total changed", _cells(_bump("t4.review.total", 1))),
    ("T4-INT", "negative", _cells(_set("t4.suit_direct.other", -1))),
    ("T2-INT", "negative", _cells(_set("t2.penalty.decisions", -3))),
    ("T2-FEE", "negative fee", _cells(_set("t2.fee.amount", -0.5))),
    ("REQ-TABLE", "table removed", _cells(lambda c: c.cur.omit_tables.add("t4"), regen=False)),
    ("REQ-TABLE", "table as prose", _cells(lambda c: c.cur.prose_tables.add("t3"), regen=False)),
    ("REQ-SECTION", "section dropped", _cells(lambda c: setattr(c.cur, "sections", c.cur.sections[:5]), regen=False)),
    ("XY-CARRY", "last year's 四 differs", _cells(_xy_carry, regen=False)),
    ("XY-INFORCE", "现行有效 breaks the chain", _cells(_bump("t2.normative_doc.in_force", 3))),
    ("XY-YEAR", "previous is two years back", _xy_year),
    ("NAR-APPLY", "收到N件 wrong", _sub_number(r"((?:收到|新收|受理)政府信息公开申请)(\d+)件")),
    ("NAR-APPLY", "says none received", _says_none),
    ("NAR-CARRY", "上年结转N件 wrong", _sub_number(r"(上年结转)(\d+)件")),
    ("NAR-DONE", "办结N件 wrong", _sub_number(r"(办结)(\d+)件")),
    ("NAR-FORWARD", "结转下年度N件 wrong", _sub_number(r"(结转下年度(?:继续办理)?)(\d+)件")),
    ("NAR-FORWARD", "says all done", _all_done),
    ("NAR-RESULT", "予以公开N件 wrong", _sub_number(r"(予以公开)(\d+)件")),
    ("NAR-LITIGATION", "行政复议N件 wrong", _sub_number(r"(行政复议)(\d+)件")),
    ("NAR-DECISION", "行政处罚N件 wrong", _sub_number(r"(行政处罚决定|分别公开\d+件、)(\d+)件")),
    ("NAR-NORMDOC", "现行有效N件 wrong", _sub_number(r"(现行有效)(\d+)件")),
    ("NAR-FEE", "收费万元 wrong", _nar_fee),
    *((rule, name, _said(template, wrong)) for rule, name, template, wrong in SAID),
    ("STALE-YEAR", "last year's year in 一", _stale_year("一")),
    ("STALE-YEAR", "last year's year in 五", _stale_year("五")),
    ("STALE-YEAR", "last year's year in 六", _stale_year("六")),
    ("STALE-NAME", "neighbour's name in 一", _stale_name),
    ("COPY-PREV", "五 copied from last year", _copy_prev),
    ("COPY-PEER", "五 copied from a peer", _copy_peer),
    ("COPY-NOFOLLOWUP", "五 silent on last year", _drop_sentences("五", "上年度")),
    ("REQ-ASSESS", "考核/评议/追究 removed", _no_assess),
    ("REQ-FEE", "六 fee sentence removed", _fee_silent(0)),
    ("REQ-FEE", "六 says only 无", _fee_silent(1)),
    ("REQ-FEE-CONFLICT", "六 none charged, （六）2 > 0", _fee_conflict),
    ("REQ-TOPICS", "监督保障 removed from 一", _drop_topic("监督保障")),
    ("REQ-TOPICS", "政府信息管理 removed from 一", _drop_topic("政府信息管理")),
    ("PLAUS-REGULATION", "规章 制发 at county level", _cells(_regulation, regen=False, kinds=LOCAL + ("人民政府",))),
    ("PLAUS-FEE-COUNT", "fee as a count", _cells(_set("t2.fee.amount", "12件"), regen=False)),
    ("PLAUS-SECRET", "国家秘密 at a township", _cells(lambda c: _add(c.cur, "withheld_1", "natural", 1), kinds=LOCAL)),
]


_CN = "零一二三四五六七八九"


def cn_number(n: int) -> str:
    """12 → 十二, 40 → 四十, 7 → 七 (n < 100)."""
    if n < 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def _chinese_numerals(c: Case) -> Case | None:
    fn = lambda b: re.sub(r"(?<![\d.])(\d{1,2})件", lambda m: cn_number(int(m.group(1))) + "件", b)  # noqa: E731
    return c if _edit_section(c.cur, "一", fn) else None


def _sentence_variant(c: Case) -> Case | None:
    new, carried = c.cur.cells[t3("new", "total")], c.cur.cells[t3("carried_over", "total")]
    if not carried:
        return None
    fn = lambda b: re.sub(r"(收到|新收|受理)政府信息公开申请\d+件", f"收到政府信息公开申请{new + carried}件（含上年结转）", b, count=1)  # noqa: E731
    return c if _edit_section(c.cur, "一", fn) else None


CLEAN_EDITS = [
    ("more applications, consistent", _cells(lambda c: _add(c.cur, "public", "natural", 3))),
    ("normative docs, consistent", _cells(lambda c: (_bump("t2.normative_doc.issued", 2)(c), _bump("t2.normative_doc.in_force", 2)(c)))),
    ("fee notices with unpaid, consistent", _cells(lambda c: _add(c.cur, "other_2", "natural", 1))),
    ("收到 incl. carried-over", _sentence_variant),
    ("counts in Chinese numerals", _chinese_numerals),
    ("tables 2 and 4 in other wordings, consistent", _said(SAID_CLEAN)),
]


def _ins(before: str, sentence: str):
    return lambda t: (t.replace(before, sentence + before, 1), False)


def real_fixed(text: str) -> str:
    """The real seed with its three real defects fixed (a clean copy: no reviewer warning expected)."""
    t = text.replace(
        "为群众和企业营造一个和谐稳定、安全可靠的环境。",
        "为群众和企业营造一个和谐稳定、安全可靠的环境。工作考核、社会评议和责任追究结果情况：我镇将政务公开纳入年度绩效考核，"
        "通过群众评议开展社会评议，评价良好；全年未发生责任追究情况。",
        1,
    )
    t = t.replace("改进措施：", "针对上年度报告指出的公开不及时问题，我镇建立了发布台账，已整改到位。改进措施：", 1)
    return t.replace("\n无。\n", "\n本年度未收取信息处理费。\n", 1)


REAL_MUTATIONS = [
    ("NAR-APPLY", "inserted 收到申请3件", _ins("2024年，我镇通过", "全年共收到政府信息公开申请3件。")),
    ("NAR-LITIGATION", "inserted 行政复议2件", _ins("2024年，我镇通过", "全年发生政府信息公开行政复议2件。")),
    ("STALE-YEAR", "2023 for 2024", lambda t: (t.replace("2024年，我镇通过", "2023年，我镇通过", 1), False)),
    ("STALE-NAME", "neighbour's name", lambda t: (t.replace("湍东镇坚持", "白河镇坚持", 1), False)),
]

RENDER = {"text": (to_text_dump, ".txt"), "html": (lambda r: to_html(r), ".html"), "markdown": (to_markdown, ".md")}
TARGETS = {"table2": 1.0, "table3": 1.0, "table4": 1.0, "cross_year": 1.0, "structure": 0.9, "narrative": 0.9,
           "stale": 0.9, "copy": 0.9, "required": 0.9, "plausibility": 0.9}  # fmt: skip


class Timer:
    def __init__(self) -> None:
        self.parse: list[float] = []
        self.check: list[float] = []


def parse(r, form: str, timer: Timer):
    fn, ext = RENDER[form]
    t0 = time.perf_counter()
    rep = read_report_bytes(fn(r).encode("utf-8"), f"{r.agency}_{r.year}{ext}")
    timer.parse.append(time.perf_counter() - t0)
    return rep


def run_check(report, previous, peers, timer: Timer):
    t0 = time.perf_counter()
    fs = check_report(report, previous=previous, peers=peers)
    timer.check.append(time.perf_counter() - t0)
    return fs


def _keys(findings) -> set[tuple[str, str]]:
    return {(f.rule, f.message) for f in findings}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared" / "corpus" / "reports"))
    args = ap.parse_args()
    timer = Timer()
    found: dict[str, list[bool]] = defaultdict(list)
    readable: dict[str, list[bool]] = defaultdict(list)  # only copies whose clean version the parser read fully
    misses: dict[str, list[str]] = defaultdict(list)
    false_clean: Counter[tuple[str, str]] = Counter()
    clean_copies = 0
    forms = list(RENDER)
    k = 0
    for agency in AGENCIES:
        for seed in range(args.seeds):
            form = forms[k % len(forms)]
            k += 1
            prev = clean_report(agency, 2023, seed=seed)
            cur = clean_report(agency, 2024, seed=seed + 100, previous=prev)
            peer_agency = AGENCIES[(AGENCIES.index(agency) + 1) % len(AGENCIES)]
            peer = clean_report(peer_agency, 2024, seed=seed + 200)
            base = Case(cur, prev, peer)
            prev_rep = parse(prev, form, timer)
            peer_rep = parse(peer, form, timer)
            base_rep = parse(cur, form, timer)
            base_f = run_check(base_rep, prev_rep, [peer_rep], timer)
            base_ok = not any(f.rule == "PARSE-UNKNOWN" for f in base_f + check_report(prev_rep))
            clean_copies += 1
            for f in base_f:
                if f.severity in ("error", "warning"):
                    false_clean[f.rule, f.severity] += 1
            for name, edit in CLEAN_EDITS:
                case = edit(base.copy())
                if case is None:
                    continue
                rep = parse(case.cur, form, timer)
                p = parse(case.prev, form, timer) if case.prev is not None else None
                clean_copies += 1
                for f in run_check(rep, p, [peer_rep], timer):
                    if f.severity in ("error", "warning"):
                        false_clean[f.rule, f.severity] += 1
                        misses["(clean) " + name].append(f"{agency}/{seed}/{form}: {f.rule} {f.message[:60]}")
            base_keys = _keys(base_f)
            for rule, name, mutate in MUTATIONS:
                case = mutate(base.copy())
                if case is None:  # not applicable to this agency/seed
                    continue
                rep = parse(case.cur, form, timer)
                p = parse(case.prev, form, timer) if case.prev is not None else None
                peers = [parse(case.peer, form, timer)] if case.peer is not None else [peer_rep]
                fs = run_check(rep, p, peers, timer)
                hit = any(f.rule == rule and (f.rule, f.message) not in base_keys for f in fs)
                found[rule].append(hit)
                if base_ok:
                    readable[rule].append(hit)
                if not hit:
                    why = "" if base_ok else " (parser: clean copy already had unreadable cells)"
                    misses[rule].append(f"{name} {agency}/{seed}/{form}{why}")
    clean_copies += run_real(Path(args.shared), timer, found, readable, misses, false_clean)
    print(report_markdown(found, readable, false_clean, clean_copies, timer))
    if misses:
        print("\n### Misses and false findings\n")
        for rule, items in sorted(misses.items()):
            for it in items[:6]:
                print(f"- {rule}: {it}")
    return 0


def _real_generic(text: str, year: int) -> list[tuple[str, str, str, bool]]:
    """(rule, name, mutated text, with previous) for any real report in a text-like form."""
    out = []
    body = max(text.find("一、总体情况"), 0)
    m = re.compile(rf"{year}年(?=，|度|我|全年)").search(text, body)
    if m:
        out.append(("STALE-YEAR", "last year's year in 一", text[: m.start()] + str(year - 1) + text[m.start() + 4 :], False))
    gap = r"(?:<[^>]+>|\s)*"  # tags and spaces inside a sentence of an HTML page or a converted PDF
    m = re.compile(rf"(收到(?:[^。，<]|<[^>]+>){{0,12}}?申请{gap})(\d+){gap}(?:<[^>]+>|\d)*件").search(text, body)
    if m:
        out.append(("NAR-APPLY", "收到N件 wrong", text[: m.start(2)] + str(int(m.group(2)) + 7) + text[m.end(2) :], False))
    m = re.compile(r"针对(?:<[^>]+>)*\d{4}年度[^，。<]*问题[^，。<]*，").search(text, body)
    if m:
        out.append(("COPY-NOFOLLOWUP", "follow-up removed", text[: m.start()] + text[m.end() :], False))
    out.append(("COPY-PREV", "same as last year's", text, True))
    return out


def run_real(folder: Path, timer: Timer, found, readable, misses, false_clean) -> int:
    """Mutations of the real reports (text-like forms); the seed also as a clean copy with its defects fixed."""
    clean = 0
    for path in sorted(folder.glob("*_20*.*")):
        if path.suffix not in (".txt", ".html", ".md"):
            continue
        text = path.read_text(encoding="utf-8")
        year = int(path.stem.rsplit("_", 1)[1])
        base_keys = _keys(run_check(read_report_bytes(text.encode("utf-8"), path.name), None, [], timer))
        muts = _real_generic(text, year)
        if path.name == "湍东镇人民政府_2024.txt":
            muts += [(rule, name, *fn(text)) for rule, name, fn in REAL_MUTATIONS if rule not in ("COPY-PREV",)]
            fixed = read_report_bytes(real_fixed(text).encode("utf-8"), path.name)
            clean += 1
            for f in run_check(fixed, None, [], timer):
                if f.severity in ("error", "warning"):
                    false_clean[f.rule, f.severity] += 1
                    misses["(clean) real seed, defects fixed"].append(f"{f.rule} {f.message[:60]}")
        last = path.name.replace(str(year), str(year - 1))
        for rule, name, new_text, with_prev in muts:
            rep = read_report_bytes(new_text.encode("utf-8"), path.name)
            prev = None
            if with_prev:
                prev = read_report_bytes(text.replace(f"{year}年", f"{year - 1}年").encode("utf-8"), last)
            fs = run_check(rep, prev, [], timer)
            hit = any(f.rule == rule and (f.rule, f.message) not in base_keys for f in fs)
            found[rule].append(hit)
            readable[rule].append(hit)
            if not hit:
                misses[rule].append(f"{name} (real: {path.name})")
    return clean


def _pct(hits: list[bool]) -> str:
    return f"{100 * sum(hits) / len(hits):.0f}%" if hits else "–"


def report_markdown(found, readable, false_clean, clean_copies: int, timer: Timer) -> str:
    lines = [
        "| group | rule | mutated copies | found | recall | recall (fully parsed copies) | target |",
        "|---|---|---:|---:|---:|---:|---:|",
    ]
    by_group: dict[str, list[bool]] = defaultdict(list)
    by_group_ok: dict[str, list[bool]] = defaultdict(list)
    for rule in sorted(found, key=lambda r: (GROUP_OF.get(r, ""), r)):
        hits = found[rule]
        g = GROUP_OF.get(rule, "?")
        by_group[g] += hits
        by_group_ok[g] += readable[rule]
        lines.append(
            f"| {g} | {rule} | {len(hits)} | {sum(hits)} | {_pct(hits)} | {_pct(readable[rule])} "
            f"| {TARGETS.get(g, 0.9) * 100:.0f}% |"
        )
    lines += ["", "| group | mutated copies | recall | recall (fully parsed copies) |", "|---|---:|---:|---:|"]
    for g, hits in sorted(by_group.items()):
        lines.append(f"| {g} | {len(hits)} | {_pct(hits)} | {_pct(by_group_ok[g])} |")
    errs = sum(n for (_r, s), n in false_clean.items() if s == "error")
    warns = sum(n for (_r, s), n in false_clean.items() if s == "warning")
    lines += ["", f"Clean copies: {clean_copies} — false errors: **{errs}**, false warnings: **{warns}**"]
    for (rule, sev), n in sorted(false_clean.items()):
        lines.append(f"- {rule} ({sev}): {n}")
    lines.append(
        f"\nMedian parse {1000 * statistics.median(timer.parse):.1f} ms, median check "
        f"{1000 * statistics.median(timer.check):.1f} ms (the whole catalogue, one report) over {len(timer.check)} checks."
    )
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
