"""The narrative of a synthetic report: six sections in our own words, consistent with the tables.

Wording varies with (agency, year, seed) so two agencies' reports are not the same text; every
number the narrative states is taken from the report's cells.
"""

from __future__ import annotations

import random
from typing import TYPE_CHECKING

from ..report.cells import T3_PARTS, t3

if TYPE_CHECKING:
    from .synth_model import SynthReport

# (short name, this year's problem, how it was fixed, what we will do next)
PROBLEMS: tuple[tuple[str, str, str, str], ...] = (
    ("政策解读形式较为单一", "政策解读形式较为单一，图表、音视频等解读方式运用不多",
     "组织业务科室编制图解、短视频等解读材料，重要政策文件做到与文件同步解读",
     "丰富政策解读形式，推动重要政策文件多元化解读全覆盖"),
    ("部分栏目更新不够及时", "部分栏目信息更新不够及时，个别内容发布滞后",
     "建立栏目更新台账，明确专人负责、定期巡查，对逾期未更新的栏目及时督促整改",
     "落实栏目更新责任清单，实行按月巡查通报"),
    ("依申请公开答复不够规范", "依申请公开答复文书的规范化程度有待提高",
     "修订依申请公开答复文书范本，答复前统一经法制审核",
     "加强答复文书合法性审核，组织开展典型案例学习"),
    ("工作人员业务能力不足", "信息公开工作人员调整较多，业务能力有待提升",
     "举办政务公开专题培训，实现信息员培训全覆盖",
     "常态化开展业务培训和交流，提升队伍专业化水平"),
    ("基层公开标准化规范化不够深入", "基层政务公开标准化、规范化建设还不够深入",
     "对照基层政务公开标准目录逐项梳理公开事项，完善公开清单",
     "动态调整公开事项标准目录，推动目录与专栏栏目一一对应"),
    ("政民互动回应不够及时", "政民互动渠道留言回复时效有待提高",
     "建立留言办理限时回复机制，每周通报办理情况",
     "压实留言办理责任，提升回应质量和时效"),
    ("重点领域公开不够全面", "部分重点领域信息公开的全面性、系统性有待加强",
     "梳理重点领域公开要素清单，逐项补齐缺漏内容",
     "围绕群众关切持续拓展重点领域公开的深度和广度"),
    ("专栏检索功能不够便捷", "政府信息公开专栏检索、导航等功能还不够便捷",
     "对专栏进行改版，优化栏目设置和站内检索功能",
     "持续优化专栏功能，提升信息查找的便利度"),
)  # fmt: skip

CN_ORD = "一二三四五六七八九十"


def problem_indices(agency: str, year: int, seed: int, avoid: tuple[int, ...] = ()) -> tuple[int, ...]:
    """The (2 or 3) problems a report names in 五; avoids last year's so 五 is not copied."""
    rng = random.Random(f"problems|{agency}|{year}|{seed}")
    pool = [i for i in range(len(PROBLEMS)) if i not in avoid]
    return tuple(rng.sample(pool, rng.choice((2, 3))))


def we_of(agency: str, kind: str) -> str:
    """How the report calls itself: 我县 / 我镇 / 我街道 / 我局 …"""
    head = agency.removesuffix("人民政府")
    if kind in ("人民政府", "乡镇"):
        return "我" + head[-1]
    if kind == "街道":
        return "我街道"
    for suffix, we in (("局", "我局"), ("委员会", "我委"), ("办公室", "我办"), ("中心", "我中心")):
        if agency.endswith(suffix):
            return we
    return "本机关"


def _focus(agency: str, kind: str) -> str:
    if "交通" in agency:
        return "交通运输保障和行业治理重点任务"
    if kind == "街道":
        return "基层治理和为民服务"
    if kind == "乡镇":
        return "乡村振兴和基层治理"
    if kind == "人民政府":
        return "全县经济社会发展中心工作" if agency.endswith("县人民政府") else "经济社会发展中心工作"
    return "本部门职能和年度重点任务"


def _level(agency: str) -> str:
    return next((x for x in ("县", "区", "市") if x in agency), "县")


def _topics(agency: str, kind: str) -> str:
    if "交通" in agency:
        return "交通建设项目进展、道路运输行政许可、公路养护和治超执法"
    if kind == "街道":
        return "社区治理、民生保障和惠民补贴发放"
    if kind == "乡镇":
        return "乡村振兴项目、惠农补贴发放和农村集体“三资”管理"
    if kind == "人民政府":
        return "财政预决算、重大建设项目、公共资源配置和社会公益事业建设"
    return "部门预决算、行政执法和政策文件"


def _platforms(rng: random.Random, kind: str) -> str:
    if kind == "部门":
        return rng.choice(("县政府门户网站部门信息公开专栏和部门政务新媒体", "政府信息公开专栏、部门微信公众号和服务窗口"))
    if kind in ("街道", "乡镇"):
        return rng.choice(("政府门户网站信息公开专栏、村（社区）公开栏和微信群", "信息公开专栏、便民服务中心公开栏和政务新媒体"))
    return rng.choice(("政府门户网站、政务新媒体和公开栏", "政府信息公开专栏、微信公众号和便民服务大厅", "门户网站专栏、政务微博和信息公开查阅点"))


def _sum(r: SynthReport, rows: tuple[str, ...], col: str = "total") -> int:
    return sum(int(r.cells.get(t3(row, col)) or 0) for row in rows)


def _i(r: SynthReport, cid: str) -> int:
    return int(r.cells.get(cid) or 0)


def _sub(rng: random.Random, inline: bool, n: int, head: str, body: str) -> list[str]:
    label = f"（{CN_ORD[n]}）{head}"
    return [f"{label}。{body}"] if inline else [label, body]


def _overview(r: SynthReport, rng: random.Random, we: str) -> str:
    focus = _focus(r.agency, r.kind)
    intro = rng.choice((
        f"{r.year}年，{r.agency}坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻《中华人民共和国政府信息公开条例》，围绕{focus}，以公开促落实、以公开优服务，政府信息公开工作取得新进展。",
        f"{r.year}年，{we}认真落实上级关于政务公开工作的部署要求，把政府信息公开作为建设法治政府、服务型政府的重要抓手，紧扣{focus}，着力提升公开质量和实效。",
        f"本报告依据《中华人民共和国政府信息公开条例》编制，统计期限为{r.year}年1月1日至12月31日。一年来，{r.agency}紧扣{focus}，健全公开制度、规范办理流程、拓展公开渠道，推动政府信息公开工作走深走实。",
    ))  # fmt: skip
    if r.kind == "部门" and rng.random() < 0.6:
        intro = rng.choice((
            f"{r.year}年，{r.agency}在{_level(r.agency)}委、{_level(r.agency)}政府的领导下，严格执行《中华人民共和国政府信息公开条例》，结合{focus}，持续规范部门政府信息公开工作。",
            f"{r.year}年，{we}把政务公开融入部门业务全过程，围绕{focus}，推动决策、执行、管理、服务、结果公开，各项工作有序推进。",
        ))  # fmt: skip
    inline = rng.random() < 0.5
    paras = [intro]
    # (一) 主动公开
    items = rng.randint(160, 1600)
    platforms = _platforms(rng, r.kind)
    nd_i, nd_r, nd_f = _i(r, "t2.normative_doc.issued"), _i(r, "t2.normative_doc.repealed"), _i(r, "t2.normative_doc.in_force")
    docs = (
        f"本年度制发行政规范性文件{nd_i}件、废止{nd_r}件，现行有效{nd_f}件，均在印发后按规定及时公开并同步解读"
        if nd_i
        else f"本年度未制发行政规范性文件，废止{nd_r}件，现行有效{nd_f}件均已在专栏集中公开"
    )
    lic, pen = _i(r, "t2.license.decisions"), _i(r, "t2.penalty.decisions")
    body = rng.choice((
        f"全年通过{platforms}主动公开政府信息{items}条。{docs}；依法公开行政许可决定{lic}件、行政处罚决定{pen}件。",
        f"{we}坚持“以公开为常态、不公开为例外”，全年依托{platforms}发布各类政府信息{items}条。{docs}。行政许可、行政处罚结果分别公开{lic}件、{pen}件，做到应公开尽公开。",
    ))  # fmt: skip
    body += f"重点公开了{_topics(r.agency, r.kind)}等方面信息。"
    paras += _sub(rng, inline, 0, "主动公开", body)
    # (二) 依申请公开
    new, carried = _i(r, "t3.new.total"), _i(r, "t3.carried_over.total")
    done, carry = _i(r, "t3.result_total.total"), _i(r, "t3.carry_forward.total")
    counts = rng.choice((
        f"全年共收到政府信息公开申请{new}件，上年结转{carried}件，办结{done}件，结转下年度{carry}件。",
        f"本年度新收政府信息公开申请{new}件，上年结转{carried}件，共办结{done}件，结转下年度继续办理{carry}件。",
        f"{r.year}年{we}受理政府信息公开申请{new}件，上年结转{carried}件；办结{done}件，结转下年度{carry}件。",
    ))  # fmt: skip
    kinds = [
        ("予以公开", _sum(r, ("public",))),
        ("部分公开", _sum(r, ("partial",))),
        ("不予公开", _sum(r, tuple(f"withheld_{i}" for i in range(1, 9)))),
        ("无法提供", _sum(r, ("unable_1", "unable_2", "unable_3"))),
        ("不予处理", _sum(r, tuple(f"not_processed_{i}" for i in range(1, 6)))),
        ("其他处理", _sum(r, ("other_1", "other_2", "other_3"))),
    ]
    split = "、".join(f"{k}{n}件" for k, n in kinds if n)
    nat = _i(r, "t3.new.natural")
    legal = sum(_i(r, t3("new", c)) for c in T3_PARTS[1:])
    review, corrected = _i(r, "t4.review.total"), _i(r, "t4.review.corrected")
    suits = _i(r, "t4.suit_direct.total") + _i(r, "t4.suit_after_review.total")
    corrected += _i(r, "t4.suit_direct.corrected") + _i(r, "t4.suit_after_review.corrected")
    tail = f"，其中结果被纠正{corrected}件，均已按要求整改" if corrected else "，未发生被纠错情形"
    body = (
        f"{counts}办结的申请中，{split}。新收申请中自然人提出{nat}件，法人或其他组织提出{legal}件。"
        f"全年发生政府信息公开行政复议{review}件、行政诉讼{suits}件{tail}。"
    )
    paras += _sub(rng, inline, 1, "依申请公开", body)
    # (三) 政府信息管理
    body = rng.choice((
        f"严格落实公开属性源头认定和发布前保密审查制度，对现行有效的{nd_f}件行政规范性文件开展动态清理，及时标注有效性。",
        "规范信息发布审核流程，拟公开信息经科室初审、办公室复核、分管领导审签后发布，全年未发生泄密和不当公开情况。",
        "完善政府信息公开指南和公开目录，按季度梳理公开事项，对依申请公开较为集中的事项及时转为主动公开。",
    ))  # fmt: skip
    paras += _sub(rng, inline, 2, "政府信息管理", body)
    # (四) 平台建设
    body = rng.choice((
        "持续优化政府信息公开专栏栏目设置，完善站内检索和无障碍服务；加强政务新媒体日常管理，确保内容安全、更新及时。",
        "以政府网站为第一平台，统筹政务新媒体和线下查阅点，实现线上线下同步公开；对专栏开展季度自查，及时修复错链断链。",
        "推动政务公开专区与便民服务窗口融合，提供政策咨询、信息查阅和申请受理等服务，专区全年接待群众咨询数百人次。",
    ))  # fmt: skip
    paras += _sub(rng, inline, 3, "政府信息公开平台建设", body)
    # (五) 监督保障
    trainings = rng.randint(2, 6)
    body = rng.choice((
        f"调整充实政务公开工作领导小组，明确分管领导和专职工作人员，全年组织业务培训{trainings}次。",
        f"将政务公开纳入年度重点工作统筹推进，定期研究部署，全年开展专题培训{trainings}次，信息员业务水平稳步提升。",
    ))  # fmt: skip
    if r.kind in ("人民政府", "乡镇", "街道"):
        body += rng.choice((
            f"工作考核、社会评议和责任追究结果情况：{we}将政务公开工作纳入年度绩效考核，通过问卷调查、政务服务“好差评”等方式开展社会评议，总体评价良好；全年未发生因政府信息公开工作不力被追究责任的情况。",
            f"关于工作考核、社会评议和责任追究结果情况，{we}把政务公开工作列入年度目标考核，组织群众代表对公开工作开展社会评议，满意率较高；本年度未发生政府信息公开工作责任追究情况。",
        ))  # fmt: skip
    paras += _sub(rng, inline, 4, "监督保障", body)
    return "\n".join(paras)


def _problems(r: SynthReport, previous: SynthReport | None, rng: random.Random, we: str) -> str:
    prev_idx = problem_indices(previous.agency, previous.year, previous.seed) if previous is not None else ()
    if not prev_idx:
        prev_idx = problem_indices(r.agency, r.year - 1, r.seed)
    idx = problem_indices(r.agency, r.year, r.seed, avoid=prev_idx)
    now = [PROBLEMS[i] for i in idx]
    before = [PROBLEMS[i] for i in prev_idx]
    listed = "；".join(f"{CN_ORD[k]}是{p[1]}" for k, p in enumerate(now))
    opening = rng.choice((
        f"{r.year}年，{we}政府信息公开工作虽取得一定成效，但仍存在一些不足：{listed}。",
        f"对照新形势新要求，{we}政府信息公开工作还存在一些差距：{listed}。",
    ))  # fmt: skip
    fixed = "、".join(p[0] for p in before)
    done = "；".join(p[2] for p in before)
    review = f"针对上年度报告指出的{fixed}等问题，我们{done}，相关问题已整改到位。"
    plan = "；".join(f"{CN_ORD[k]}是{p[3]}" for k, p in enumerate(now))
    nxt = rng.choice((f"下一步，{we}将重点做好以下工作：{plan}。", f"针对本年度存在的问题，{we}将采取以下措施：{plan}。"))
    if rng.random() < 0.5:
        return "\n".join(["（一）存在的主要问题", opening, "（二）改进情况", review + nxt])
    return "\n".join([f"存在的问题：{opening}", f"改进情况：{review}{nxt}"])


def _other(r: SynthReport, rng: random.Random, we: str) -> str:
    unpaid = _i(r, "t3.other_2.total")
    if unpaid == 0:
        fee = rng.choice((
            "本年度未收取信息处理费。",
            f"{r.year}年，{we}未向申请人发出信息处理费收费通知，本年度未收取信息处理费。",
            f"本年度{we}依申请提供政府信息均未收取信息处理费。",
        ))  # fmt: skip
    else:
        paid = rng.randint(0, 2)
        notices = unpaid + paid
        price = rng.choice((100, 200, 300))
        fee = (
            f"本年度依据《政府信息公开信息处理费管理办法》向申请人发出收费通知{notices}件，"
            f"通知收取信息处理费{notices * price}元，实际收取{paid * price}元；"
            f"其中{unpaid}件因申请人逾期未缴纳费用，不再处理其政府信息公开申请。"
        )
    tasks = rng.randint(12, 36)
    points = rng.choice((
        f"关于年度政务公开工作要点落实情况：{we}对照{r.year}年政务公开工作要点，逐项分解{tasks}项任务、明确责任科室和完成时限，各项任务均已按期完成。",
        f"年度政务公开工作要点落实情况：{we}制定{r.year}年政务公开工作要点任务分解表，{tasks}项重点任务均已落实到位。",
    ))  # fmt: skip
    paras = [fee, points]
    if r.kind in ("人民政府", "部门"):
        a, b = rng.randint(3, 40), rng.randint(2, 30)
        paras.append(f"全年承办人大代表建议{a}件、政协委员提案{b}件，均按期办结，办理复文已按规定公开。")
    return "\n".join(paras)


def write_sections(r: SynthReport, previous: SynthReport | None = None) -> list[tuple[str, str]]:
    """The six format sections for ``r`` (bodies of 二/三/四 are empty: their tables go there)."""
    from .synth_model import SECTION_TITLES

    rng = random.Random(f"text|{r.agency}|{r.year}|{r.seed}")
    we = we_of(r.agency, r.kind)
    bodies = [_overview(r, rng, we), "", "", "", _problems(r, previous, rng, we), _other(r, rng, we)]
    return list(zip(SECTION_TITLES, bodies, strict=True))
