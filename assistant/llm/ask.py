"""Ask: a question answered from the knowledge base, with numbered citations, or plainly refused.

    assistant = Assistant(settings)                # builds the knowledge base and the chat client
    answer = assistant.ask("申请人要求确认已获取的信息怎么处理")
    for piece in assistant.ask_stream(question, history=[("user", …), ("assistant", …)], report=report):
        ...                                        # str pieces while the model writes, then an Answer

Steps: a follow-up is rewritten into a standalone question (model, or a rule offline); the question
(and, with a model, its rewrite into the regulations' terms) is searched; when no passage is
relevant and no report is given, the answer is the no-basis message without asking the model.
Otherwise the model answers from numbered passages (and the report's facts), and the answer is
checked: markers that name no passage are removed, cited articles are looked up in the index,
numbers must trace to a passage, a fact or the question. Without a model, or when it fails, the
answer is extractive (离线模式): the best passages with their citations, or the no-basis message.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from ..errors import LlmError
from ..kb.hybrid import found
from ..rules.base import fmt_num
from . import offline, prompts
from .client import ChatClient, Message
from .facts import Fact, facts_text, findings_text, report_facts
from .verify import (
    MarkerFilter,
    allowed_numbers,
    check_articles,
    clean_markers,
    untraced_numbers,
)

if TYPE_CHECKING:
    from ..kb.base import KnowledgeBase
    from ..kb.hybrid import Hit
    from ..report.model import Report
    from ..rules.base import Finding
    from ..settings import Settings

NO_BASIS = "知识库中没有找到依据"
WEAK_BASIS = "知识库中没有找到明确依据"
WEAK_FLAG = {"kind": "weak_basis", "problem": "检索到的条文与问题的相关度不高，可能并不适用，请核对原文后再办理"}
Mode = Literal["llm", "offline"]


@dataclass(frozen=True)
class Passage:
    """A retrieved passage as the model sees it: ``[n]`` plus the hit."""

    n: int
    hit: Hit

    @property
    def marker(self) -> str:
        return f"[{self.n}]"

    def prompt_text(self, limit: int = 900) -> str:
        text = self.hit.text if len(self.hit.text) <= limit else self.hit.text[:limit] + "……"
        return f"{self.marker} {text}"


@dataclass(frozen=True)
class Citation:
    marker: str
    citation: str
    source: str
    text: str
    via: str = ""  # the 问答 or guide passage (its citation) through which search found this article

    def to_dict(self) -> dict[str, str]:
        d = {"marker": self.marker, "citation": self.citation, "source": self.source, "text": self.text}
        if self.via:
            d["via"] = self.via
        return d

    @classmethod
    def of(cls, marker: str, hit: Any) -> Citation:
        return cls(marker, hit.citation, hit.source, hit.text, str(hit.metadata.get("via", "")))


@dataclass
class Answer:
    question: str
    answer: str
    mode: Mode
    citations: list[Citation] = field(default_factory=list)
    flags: list[dict[str, Any]] = field(default_factory=list)
    standalone: str = ""  # the question as searched (a follow-up rewritten)
    passages: list[Passage] = field(default_factory=list)  # everything retrieved, for a sources panel
    facts: list[Fact] = field(default_factory=list)  # report facts the answer rests on
    notice: str | None = None  # why the answer is offline (model failed), or that the index is empty
    weak: bool = False  # nothing retrieved cleared the relevance threshold, the nearest passages were used

    @property
    def no_basis(self) -> bool:
        return self.answer.startswith(NO_BASIS)

    def to_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {
            "answer": self.answer,
            "citations": [c.to_dict() for c in self.citations],
            "mode": self.mode,
            "flags": self.flags,
        }
        if self.standalone and self.standalone != self.question:
            d["standalone_question"] = self.standalone
        if self.facts:
            d["report_facts"] = [{"label": f.label, "value": f.value, "unit": f.unit, "cells": list(f.cells)} for f in self.facts]
        if self.notice:
            d["notice"] = self.notice
        return d


def normalise_history(history: Sequence[Any]) -> list[Message]:
    """(role, text) pairs from tuples, ``{"role", "content"}`` dicts (content may be Gradio's list of
    ``{"type": "text", "text"}`` parts) or ``[user, assistant]`` pairs."""
    out: list[Message] = []
    for item in history or ():
        if isinstance(item, dict):
            role, content = item.get("role", "user"), item.get("content", "")
        elif isinstance(item, (list, tuple)) and len(item) == 2 and item[0] in ("user", "assistant", "system"):
            role, content = item
        elif isinstance(item, (list, tuple)) and len(item) == 2:  # [user, assistant] pairs
            out.extend(m for m in (("user", _flatten(item[0])), ("assistant", _flatten(item[1]))) if m[1])
            continue
        else:
            continue
        text = _flatten(content)
        if text and role in ("user", "assistant"):
            out.append((role, text))
    return out


def _flatten(content: Any) -> str:
    if content is None:
        return ""
    if isinstance(content, str):
        return content.strip()
    if isinstance(content, dict):
        return str(content.get("text") or content.get("content") or "").strip()
    if isinstance(content, (list, tuple)):
        return "".join(_flatten(p) for p in content).strip()
    return str(content).strip()


_FOLLOW_UP = re.compile(r"^(那|那么|如果|要是|假如|还有|另外|此外|它|这个|这种|这样|上述|同样|也)|呢[？?]?$|^.{0,10}[？?]$")


def offline_standalone(question: str, history: Sequence[Message]) -> str:
    """Without a model: a follow-up (“那如果申请人是企业呢？”) is searched together with the last
    question the user asked; a question that stands on its own is left alone."""
    last = next((t for r, t in reversed(history) if r == "user"), None)
    if last and _FOLLOW_UP.search(question.strip()):
        return f"{last} {question}"
    return question


class Assistant:
    """Ask and draft over one knowledge base and one chat model (either may be absent)."""

    def __init__(
        self,
        settings: Settings,
        kb: KnowledgeBase | None = None,
        chat: ChatClient | None = None,
        *,
        today: _dt.date | None = None,
        kb_turn: Callable[[], AbstractContextManager[KnowledgeBase]] | None = None,
    ):
        """``kb_turn`` (the app's) hands out the knowledge base for each use, so indexing can take
        turns with searches; the model is never called while it is held."""
        self.settings = settings
        self._kb = kb
        self.chat = chat or ChatClient(settings.llm)
        self.today = today or _dt.date.today()
        self._kb_turn = kb_turn

    def kb_use(self) -> AbstractContextManager[KnowledgeBase]:
        return self._kb_turn() if self._kb_turn is not None else nullcontext(self.kb)

    @property
    def kb(self) -> KnowledgeBase:
        if self._kb is None:
            from ..kb.base import KnowledgeBase

            self._kb = KnowledgeBase(self.settings)
        return self._kb

    def _prompt(self, name: str, **values: object) -> list[Message]:
        return prompts.load(name, self.settings.llm.prompts_dir).render(**values)

    # -- steps -----------------------------------------------------------------------------
    def standalone(self, question: str, history: Sequence[Message]) -> tuple[str, str | None]:
        """(standalone question, notice when the model failed and the rule was used)."""
        if not history:
            return question, None
        if not self.chat.enabled:
            return offline_standalone(question, history), None
        lines = "\n".join(f"{'用户' if r == 'user' else '助手'}：{t[:300]}" for r, t in history[-6:])
        try:
            out = self.chat.complete(self._prompt("condense", history=lines, question=question)).strip()
        except LlmError as e:
            return offline_standalone(question, history), str(e)
        out = out.splitlines()[0].strip() if out else ""
        return (out if 4 <= len(out) <= 200 else offline_standalone(question, history)), None

    def rewrites(self, question: str) -> list[str]:
        """The question in the regulations' terms (model only; a failure just means no rewrite)."""
        if not (self.chat.enabled and self.settings.llm.rewrite_queries):
            return []
        try:
            out = self.chat.complete(self._prompt("rewrite_query", question=question)).strip()
        except LlmError:
            return []
        out = out.splitlines()[0].strip() if out else ""
        return [out] if out and out != question and len(out) <= 200 else []

    def retrieve(self, question: str, rewrites: Sequence[str] = ()) -> tuple[list[Hit], str | None]:
        """Hits for the question (and its rewrites), and a notice when the index is empty."""
        with self.kb_use() as kb:
            if kb.stats()["chunks"] == 0:
                return [], "知识库还是空的：请先运行 xxgk index（或在界面“知识库”页建立索引），再来提问。"
            return kb.search(question, k=self.settings.llm.passages, rewrites=list(rewrites)), None

    # -- draft -----------------------------------------------------------------------------
    def draft_stream(self, report: Report, *, previous: Report | None = None, section: str = "五", findings: list[Finding] | None = None) -> Iterator[Any]:
        """Pieces of the model's first attempt, then the guarded :class:`~assistant.llm.draft.Draft`."""
        from .draft import draft_stream

        return draft_stream(self, report, previous=previous, section=section, findings=findings)

    def draft(self, report: Report, *, previous: Report | None = None, section: str = "五", findings: list[Finding] | None = None) -> Any:
        """The guarded draft of section 五 (or 一) of ``report``."""
        from .draft import Draft

        result = None
        for item in self.draft_stream(report, previous=previous, section=section, findings=findings):
            if isinstance(item, Draft):
                result = item
        return result

    # -- ask -------------------------------------------------------------------------------
    def ask(self, question: str, history: Sequence[Any] = (), report: Report | None = None, findings: Sequence[Finding] | None = None) -> Answer:
        result = None
        for item in self.ask_stream(question, history, report, findings):
            if isinstance(item, Answer):
                result = item
        assert result is not None
        return result

    def ask_stream(
        self, question: str, history: Sequence[Any] = (), report: Report | None = None, findings: Sequence[Finding] | None = None
    ) -> Iterator[str | Answer]:
        """Pieces of the answer as the model writes them (markers already cleaned), then the
        checked :class:`Answer`. Offline answers arrive whole."""
        question = question.strip()
        hist = normalise_history(history)
        standalone, notice = self.standalone(question, hist)
        hits, empty_notice = self.retrieve(standalone, self.rewrites(standalone))
        notice = notice or empty_notice
        # a basis when any hit is relevant (None: relevance unknown for this embedding model, go on);
        # a weak one when none is but the best is not far off: the nearest passages are still used,
        # with a caution (the model may still find no basis in them), rather than a refusal
        basis = found(hits)
        top = max((h.relevance for h in hits if h.relevance is not None), default=None)
        weak = basis is False and top is not None and top >= self.settings.llm.weak_relevance
        passages = [] if basis is False and not weak else [Passage(i, h) for i, h in enumerate(hits, 1)]
        facts: list[Fact] = report_facts(report) if report is not None else []
        mode: Mode = "llm" if self.chat.enabled else "offline"
        base = Answer(question, "", mode, standalone=standalone, passages=passages, notice=notice, weak=weak)

        if not passages and report is None:
            base.answer = offline.no_basis(standalone, hits)
            yield base
            return
        if not self.chat.enabled:
            yield offline.answer(base, facts, findings, report)
            return

        report_data = "（未提供报告）"
        if report is not None:
            report_data = facts_text(report, facts) + "\n审核发现：\n" + findings_text(findings or [])
        messages = self._prompt(
            "ask",
            question=standalone,
            passages="\n\n".join(p.prompt_text() for p in passages) or "（没有检索到相关资料）",
            report_facts=report_data,
            today=f"{self.today.year}年{self.today.month}月{self.today.day}日",
        )
        messages[1:1] = hist[-6:]  # the conversation sits between the rules and the question
        filt = MarkerFilter(p.n for p in passages)
        raw: list[str] = []
        try:
            for piece in self.chat.stream(messages):
                raw.append(piece)
                out = filt.feed(piece)
                if out:
                    yield out
            tail = filt.flush()
            if tail:
                yield tail
        except LlmError as e:
            base.mode = "offline"
            base.notice = f"{e}" + ("（已收到的部分回答已丢弃）" if e.partial else "")
            yield offline.answer(base, facts, findings, report)
            return
        yield self._finish(base, "".join(raw), facts, findings, report, hist)

    def _finish(self, a: Answer, raw: str, facts: list[Fact], findings: Sequence[Finding] | None, report: Report | None, hist: list[Message]) -> Answer:
        text, used, flags = clean_markers(raw.strip(), (p.n for p in a.passages))
        by_n = {p.n: p for p in a.passages}
        a.answer = text
        if a.no_basis:
            a.citations = []
            text_for_checks = ""
        else:
            a.citations = [Citation.of(by_n[n].marker, by_n[n].hit) for n in used]
            text_for_checks = text
            if not used and a.passages and not facts:
                flags.append({"kind": "no_citation", "problem": "回答没有标注任何引用，无法核对其依据"})
        with self.kb_use() as kb:
            articles = kb.articles()
        flags += check_articles(text_for_checks, articles)
        allowed = allowed_numbers(
            a.question,
            a.standalone,
            *(t for _, t in hist),
            *(p.hit.text for p in a.passages),
            findings_text(findings or []) if report is not None else "",
            values=[f.value for f in facts] + [self.today.year, *([report.year] if report and report.year else [])],
        )
        flags += untraced_numbers(text_for_checks, allowed)
        a.facts = [f for f in facts if f.value is not None and _mentions(text, f)]
        if a.weak and not a.no_basis and not a.facts:  # an answer from the report's own figures is not weak
            flags.append(dict(WEAK_FLAG))
        a.flags = flags
        return a


def _mentions(text: str, fact: Fact) -> bool:
    return f"{fmt_num(fact.value)}{fact.unit}" in text
