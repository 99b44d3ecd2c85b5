"""Small texts for the knowledge-base tests, written for the tests (not copied from any corpus)."""

from __future__ import annotations

from pathlib import Path

# A made-up regulation with chapters, a section, an article 之一 and multi-paragraph articles.
SAMPLE_LAW = """# 中华人民共和国样例公开条例

2020年1月1日 样例机关令第1号公布

<!-- INFO END -->

## 第一章 总　则

第一条 为了测试条文切分，制定本条例。

第二条 本条例所称样例信息，是指样例机关在工作中制作的信息。

样例信息应当以一定形式记录。

## 第二章 申请的处理

### 第一节 一般规定

第三条 样例机关收到公开申请，应当在二十个工作日内答复申请人。

第三条之一 申请人要求确认已经获取的样例信息的，样例机关可以告知其获取的途径。

第四条 对依申请公开的信息，样例机关可以收取信息处理费。

### 第二节 特别规定

第五条 涉及商业秘密的样例信息，应当征求第三方意见。

(一)第三方同意的，予以公开；

(二)第三方不同意的，不予公开。

## 第三章 附　则

第六条 本条例自2020年3月1日起施行。
"""

SECOND_LAW = """# 样例档案办法

<!-- INFO END -->

第一条 档案应当自形成之日起满二十五年向社会开放。

第二条 档案馆应当定期公布开放档案的目录。

第三条 档案的利用应当遵守保密规定。
"""

GUIDE = """# 年报填写提示

## 表二

规章和规范性文件的件数按本年实际填写，单位为件。

## 空格与零

没有发生的事项填 0，不要留空。
"""


def write_corpus(root: Path) -> dict[str, Path]:
    root.mkdir(parents=True, exist_ok=True)
    files = {
        "law": root / "样例公开条例(2020-01-01).md",
        "law2": root / "样例档案办法(2021-06-01).md",
        "guide": root / "填写提示.md",
    }
    files["law"].write_text(SAMPLE_LAW, encoding="utf-8")
    files["law2"].write_text(SECOND_LAW, encoding="utf-8")
    files["guide"].write_text(GUIDE, encoding="utf-8")
    return files
