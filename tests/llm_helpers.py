"""Shared pieces for the ask/draft tests: a scripted stub per task, a small fake knowledge base."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from assistant.kb.hybrid import Hit


def task_of(request: dict) -> str:
    """Which prompt a chat request comes from: ask | condense | rewrite | draft | fix."""
    msgs = request.get("messages", [])
    system = next((m["content"] for m in msgs if m["role"] == "system"), "")
    last = msgs[-1]["content"] if msgs else ""
    if "草稿中有以下内容与统计表或报告年度不一致" in last:
        return "fix"
    if "改写成一个可以单独理解的完整问题" in system:
        return "condense"
    if "改写成一句法规条文会使用的说法" in system:
        return "rewrite"
    if "起草人" in system:
        return "draft"
    return "ask"


def by_task(**replies: str | Callable[[dict], str]) -> Callable[[dict], str]:
    """A stub responder: the reply for each task (a string, or a function of the request)."""

    def respond(request: dict) -> str:
        r = replies.get(task_of(request), "")
        return r(request) if callable(r) else r

    return respond


def user_text(request: dict) -> str:
    return request["messages"][-1]["content"]


def hit(citation: str, text: str, *, relevant: bool | None = True, relevance: float | None = 0.9, law: str = "", article: str = "", source: str = "") -> Hit:
    meta = {"doc_type": "regulation", "law": law, "article": article} if law else {"doc_type": "guide"}
    return Hit(citation=citation, source=source or f"/法规/{law or 'guide'}.md", text=f"{citation}\n{text}", score=0.5, metadata=meta, relevance=relevance, relevant=relevant)


ARTICLE_33 = hit(
    "《政府信息公开条例》第三十三条",
    "行政机关收到政府信息公开申请，能够当场答复的，应当当场予以答复。不能当场答复的，应当自收到申请之日起20个工作日内予以答复；需要延长答复期限的，延长的期限最长不得超过20个工作日。",
    law="政府信息公开条例",
    article="第三十三条",
)
ARTICLE_36 = hit(
    "《政府信息公开条例》第三十六条",
    "对政府信息公开申请，行政机关根据下列情况分别作出答复：……(七)所申请公开信息属于工商、不动产登记资料等信息的，告知申请人依照有关法律、行政法规的规定办理。",
    law="政府信息公开条例",
    article="第三十六条",
)
ARTICLE_39 = hit(
    "《政府信息公开条例》第三十九条",
    "申请人以政府信息公开申请的形式进行信访、投诉、举报等活动，行政机关应当告知申请人不作为政府信息公开申请处理。申请人要求行政机关确认或者重新出具已获取信息的，行政机关可以不予处理。",
    law="政府信息公开条例",
    article="第三十九条",
)


@dataclass
class FakeSearcher:
    hits: Sequence[Hit]
    queries: list[str] = field(default_factory=list)

    def search(self, query: str, k: int = 5, filters=None, mode="hybrid", rewrites=()):  # noqa: ANN001
        self.queries.append(query)
        self.queries.extend(rewrites)
        return list(self.hits)[:k]


class FakeKb:
    """What Assistant needs of a KnowledgeBase: stats, searcher, articles, close."""

    def __init__(self, hits: Sequence[Hit], articles: dict[str, set[str]] | None = None):
        self._searcher = FakeSearcher(hits)
        self._articles = articles if articles is not None else {"政府信息公开条例": {f"第{n}条" for n in ("一", "二", "三十三", "三十六", "三十九", "四十二")}}

    def stats(self) -> dict[str, int]:
        return {"files": 1, "chunks": len(self._searcher.hits), "generation": 1}

    def searcher(self) -> FakeSearcher:
        return self._searcher

    def search(self, query: str, k: int = 5, filters=None, mode="hybrid", rewrites=()):  # noqa: ANN001
        return self._searcher.search(query, k=k, filters=filters, mode=mode, rewrites=rewrites)

    def articles(self) -> dict[str, set[str]]:
        return self._articles

    def close(self) -> None:
        pass
