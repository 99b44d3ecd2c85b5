"""Matching row labels as real reports write them onto the format's rows.

Labels are compared after :func:`values.norm_label` (no spaces, half-width brackets, “、”→“.”).
Keywords, not exact strings: reports write “1、” for “1.”, “规范性文件” for “行政规范性文件”,
“其他法律和行政法规禁止公开”, “行政机关不再受理…”, and break labels across lines.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .values import norm_label

# (row key, pattern) — most specific first; tested against the last label cell, then the joined labels.
T3_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (k, re.compile(p))
    for k, p in (
        ("new", r"本年新收"),
        ("carried_over", r"上年结转"),
        ("carry_forward", r"结转下年"),
        ("withheld_1", r"国家秘密"),
        ("withheld_2", r"法律.{0,3}行政法规禁止|禁止公开"),
        ("withheld_3", r"三安全一稳定|危及"),
        ("withheld_4", r"第三方合法权益|第三方"),
        ("withheld_5", r"内部事务"),
        ("withheld_6", r"过程性"),
        ("withheld_7", r"执法案卷"),
        ("withheld_8", r"行政查询"),
        ("unable_1", r"不掌握"),
        ("unable_2", r"现成信息|另行制作"),
        ("unable_3", r"补正后|仍不明确"),
        ("not_processed_1", r"信访|举报投诉"),
        ("not_processed_2", r"重复申请"),
        ("not_processed_3", r"公开出版物"),
        ("not_processed_4", r"大量反复|反复申请"),
        ("not_processed_5", r"重新出具|确认或"),
        ("other_1", r"逾期不补正|不补正"),
        ("other_2", r"收费通知|缴纳费用|缴费"),
        ("partial", r"部分公开"),
        ("public", r"(?<!不)予以公开"),
        ("result_total", r"^(\(七\))?总计$|^\(七\)"),
        ("other_3", r"^(3\.?)?其他$|^\(六\)其他处理3\.?其他$"),
    )
)
T3_SINGLE_OTHER = re.compile(r"^\(六\)其他处理$")

# table 2 rows: (key, pattern, number of values in the 2021 format)
T2_PATTERNS: tuple[tuple[str, re.Pattern[str], int], ...] = (
    ("normative_doc", re.compile(r"规范性文件"), 3),
    ("regulation", re.compile(r"^规章$|^(第二十条第\(一\)项)?规章$"), 3),
    ("license", re.compile(r"行政许可$"), 1),
    ("penalty", re.compile(r"行政处罚$"), 1),
    ("coercion", re.compile(r"行政强制$"), 1),
    ("fee", re.compile(r"行政事业性收费$"), 1),
)
T2_COLUMNS = {
    "regulation": ("issued", "repealed", "in_force"),
    "normative_doc": ("issued", "repealed", "in_force"),
    "license": ("decisions",),
    "penalty": ("decisions",),
    "coercion": ("decisions",),
    "fee": ("amount",),
}

T4_GROUP_PATTERNS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("suit_direct", re.compile(r"未经复议")),
    ("suit_after_review", re.compile(r"复议后")),
    ("review", re.compile(r"^行政(法)?复议$")),
)

# Markers of the 2019 trial format (国办公开办函〔2019〕60号)
FORMAT_2019_MARKERS = re.compile(r"新制作|新公开数量|对外公开总数量|政府集中采购|上一年项目数量|本年增.?减")

T4_HEADER = re.compile(r"行政(法)?复议|行政诉讼")


def match_t3(labels: list[str]) -> str | None:
    return _match_t3(tuple(labels))


@lru_cache(maxsize=4096)
def _match_t3(labels: tuple[str, ...]) -> str | None:
    if not labels:
        return None
    last = norm_label(labels[-1])
    joined = norm_label("".join(labels))
    for text in (last, joined):
        for key, pat in T3_PATTERNS:
            if pat.search(text):
                return key
    return None


def match_t2(labels: list[str]) -> str | None:
    return _match_t2(tuple(labels))


@lru_cache(maxsize=4096)
def _match_t2(labels: tuple[str, ...]) -> str | None:
    if not labels:
        return None
    last = norm_label(labels[-1])
    for key, pat, _n in T2_PATTERNS:
        if pat.search(last):
            return key
    return None


def match_t4_group(labels: list[str]) -> str | None:
    return _match_t4_group(tuple(labels))


@lru_cache(maxsize=4096)
def _match_t4_group(labels: tuple[str, ...]) -> str | None:
    if not labels:
        return None
    last = norm_label(labels[-1])
    for key, pat in T4_GROUP_PATTERNS:
        if pat.search(last):
            return key
    return None
