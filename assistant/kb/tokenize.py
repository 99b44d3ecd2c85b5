"""Chinese tokens for BM25: jieba (search mode) plus a dictionary of 政务公开 terms.

``bm25s.tokenize`` cannot split Chinese, so BM25 gets these tokens instead. The domain words
keep terms such as 依申请公开 or 过程性信息 whole (search mode still adds their parts), and
question words staff type (怎么办, 是否, 哪些 …) are dropped.
"""

from __future__ import annotations

import logging
import re
import threading
from collections.abc import Iterable

# Terms of the 条例, the annual-report format and related laws that jieba would otherwise split.
DOMAIN_TERMS: tuple[str, ...] = (
    "政府信息", "政府信息公开", "政府信息公开条例", "信息公开", "主动公开", "依申请公开", "不予公开",
    "部分公开", "予以公开", "无法提供", "不予处理", "过程性信息", "内部事务信息", "行政执法案卷",
    "三安全一稳定", "国家秘密", "商业秘密", "个人隐私", "第三方", "征求意见", "信息处理费", "补正",
    "答复期限", "延长答复", "申请人", "公开申请", "更正申请", "重复申请", "信访", "举报", "投诉",
    "行政复议", "行政复议机关", "行政诉讼", "复议", "诉讼", "维持", "纠正", "撤销", "驳回", "确认违法",
    "年度报告", "工作年度报告", "政府信息公开工作年度报告", "政务公开", "公开指南", "公开目录",
    "政府公报", "政府网站", "政务新媒体", "规章", "规范性文件", "行政许可", "行政处罚", "行政强制",
    "行政事业性收费", "工作机构", "主管部门", "监督检查", "考核", "社会评议", "责任追究", "举报投诉",
    "公共企事业单位", "法律服务机构", "社会公益组织", "科研机构", "商业企业", "自然人", "结转",
    "申请数量", "办理结果", "逾期", "保守国家秘密", "保密审查", "定密", "解密", "档案", "开放",
    "个人信息", "敏感个人信息", "个人信息处理者", "数据安全", "重要数据", "行政机关", "法律法规",
    "行政法规", "人民政府", "县级以上", "乡镇人民政府", "街道办事处", "互联网", "公共利益",
    "合法权益", "不予受理", "受理", "期限", "工作日", "告知", "送达", "公示", "听证", "国务院办公厅",
)

STOPWORDS: frozenset[str] = frozenset(
    """的 了 和 与 或 及 是 在 对 把 被 就 都 也 还 又 要 会 能 可 可以 吗 呢 吧 啊 么 怎么 怎么办 怎样
    如何 什么 哪些 哪个 哪里 多少 几 是否 是不是 有没有 能否 能不能 应该 需要 应当 该 这 那 这个 那个
    这种 这些 那些 我 我们 你 他 她 它 他们 其 之 为 以 于 等 个 人 时 后 前 中 上 下 一个 没有 不是
    请问 问 一下 情况 怎么样 有 没 呀 啥 咋 吗？""".split()
)

_PUNCT = re.compile(r"^[\W_]+$", re.UNICODE)

# How staff say it → how the regulations say it. Only queries are expanded (documents keep their
# own words); a phrase found anywhere in the query adds the statutory terms to its tokens.
QUERY_SYNONYMS: tuple[tuple[str, str], ...] = (
    ("群众", "公民"), ("老百姓", "公民"), ("市民", "公民"), ("企业", "法人"), ("公司", "法人"),
    ("提意见", "批评 建议 监督"), ("挂网", "主动公开 网站"), ("上网", "主动公开 网站"), ("网上", "网站"),
    ("核对", "沟通 确认"), ("口径", "沟通 确认"), ("别的部门", "其他机关"), ("其他部门", "其他机关"),
    ("拿不准", "不能确定"), ("吃不准", "不能确定"), ("定不了", "不能确定"),
    ("找不到", "不存在"), ("没有他要", "不存在"), ("都没有", "不存在"), ("查无", "不存在"),
    ("不归我们", "不属于 负责公开"), ("不是我们", "不属于 负责公开"), ("别的单位", "其他机关"),
    ("又申请", "重复申请"), ("同样的问题", "重复申请"), ("再次申请", "重复申请"),
    ("一小部分", "部分 区分处理"), ("一部分", "部分 区分处理"), ("整份", "全部"),
    ("复印件", "形式 提供"), ("纸质", "形式 提供"), ("现场查阅", "查阅 形式"),
    ("不服", "行政复议 行政诉讼"), ("告我们", "行政诉讼"), ("起诉", "行政诉讼 起诉"), ("打官司", "行政诉讼"),
    ("法院", "人民法院 行政诉讼"), ("交钱", "收取 费用"), ("收钱", "收取 费用"), ("要钱", "收取 费用"),
    ("多久", "期限"), ("多少天", "期限 日"), ("几天", "期限 日"), ("维权", "合法权益"),
    ("反映", "举报 投诉"), ("年报", "年度报告"), ("上百件", "数量 频次 合理范围"),
    ("频繁", "数量 频次 合理范围"), ("大量", "数量 频次 合理范围"), ("界定", "是指 所称"),
    ("算不算", "是指 所称"), ("什么叫", "是指 所称"), ("能不能给", "公开 提供"), ("给不给", "公开 提供"),
    ("必须给", "公开 提供"), ("申请表", "申请 内容 包括"), ("谁来定", "确定 报请"), ("报给谁", "报请 确定"),
    ("泄密", "国家秘密"), ("隐私", "个人隐私"), ("内部", "内部事务"), ("补材料", "补正"),
)


class Tokenizer:
    """A jieba tokenizer with our dictionary; thread-safe, built once per object (~1 s)."""

    def __init__(self, extra_terms: Iterable[str] = ()):
        self._terms = tuple(DOMAIN_TERMS) + tuple(extra_terms)
        self._jieba = None
        self._lock = threading.Lock()

    def _tok(self):  # noqa: ANN202 - jieba has no type stubs
        with self._lock:
            if self._jieba is None:
                import jieba

                jieba.setLogLevel(logging.WARNING)
                t = jieba.Tokenizer()
                for term in self._terms:
                    t.add_word(term, freq=200000)
                self._jieba = t
            return self._jieba

    def tokens(self, text: str) -> list[str]:
        """Lower-cased search-mode tokens without punctuation and stopwords."""
        out: list[str] = []
        for w in self._tok().cut_for_search(text):
            w = w.strip().lower()
            if not w or w in STOPWORDS or _PUNCT.match(w):
                continue
            out.append(w)
        return out

    def expand(self, text: str) -> str:
        """The query followed by the statutory terms of the staff phrases it contains."""
        extra = " ".join(dict.fromkeys(terms for phrase, terms in QUERY_SYNONYMS if phrase in text))
        return f"{text} {extra}" if extra else text

    def query_tokens(self, text: str) -> list[str]:
        return self.tokens(self.expand(text))

    def tokens_many(self, texts: Iterable[str]) -> list[list[str]]:
        return [self.tokens(t) for t in texts]
