"""``docs/rules.md``: generated from the rule classes themselves, so it cannot drift."""

from __future__ import annotations

from collections.abc import Sequence

from .base import SEVERITY_LABELS, Rule

GROUP_TITLES = {
    "parse": "解析与格式",
    "required": "必备内容与结构",
    "table2": "表二 主动公开",
    "table3": "表三 依申请公开",
    "table4": "表四 行政复议、行政诉讼",
    "cross_year": "跨年度衔接",
    "narrative": "正文与表格一致",
    "stale": "过时年份与他人名称",
    "copy": "雷同与照搬",
    "plausibility": "合理性",
}


def rules_markdown(rules: Sequence[Rule]) -> str:
    out = [
        "# 审核规则目录",
        "",
        "本文件由 `xxgk rules --format markdown > docs/rules.md` 生成，请勿手工编辑。",
        "每条规则给出编号、级别、检查内容、依据，以及一个会被标出的反例和改正后的正例。",
        "",
    ]
    groups: dict[str, list[Rule]] = {}
    for r in rules:
        groups.setdefault(r.group, []).append(r)
    order = list(GROUP_TITLES) + sorted(set(groups) - set(GROUP_TITLES))
    out.append("| 编号 | 级别 | 检查内容 |")
    out.append("|---|---|---|")
    for g in order:
        for r in groups.get(g, []):
            out.append(f"| [{r.id}](#{r.id.lower()}) | {SEVERITY_LABELS[r.severity]} | {r.title} |")
    out.append("")
    for g in order:
        if g not in groups:
            continue
        out.append(f"## {GROUP_TITLES.get(g, g)}")
        out.append("")
        for r in groups[g]:
            out.append(f"### {r.id}")
            out.append("")
            out.append(f"**{r.title}**（{SEVERITY_LABELS[r.severity]}）")
            out.append("")
            out.append(f"- 依据：{r.basis}")
            if r.aliases:
                out.append(f"- 旧编号：{'、'.join(r.aliases)}")
            out.append("")
            out.append("反例（会被标出）：")
            out.append("")
            out.append("```text\n" + r.bad_example + "\n```")
            out.append("")
            out.append("正例：")
            out.append("")
            out.append("```text\n" + r.good_example + "\n```")
            out.append("")
    return "\n".join(out)
