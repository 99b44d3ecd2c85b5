"""``evals/retrieval/run.py --rewrite``: the lever ask uses with a model (the question rewritten into the
regulations' terms, searched together with it), measured against the loopback stub standing in for a
real endpoint; the rewrites are cached per model so a rerun does not ask again."""

from __future__ import annotations

import json

from assistant.kb.base import KnowledgeBase
from assistant.kb.embed import HashEmbedder
from assistant.settings import Settings
from assistant.testing.llm_stub import LlmStub
from evals.retrieval import run as retrieval_run

from .llm_helpers import by_task, task_of, user_text

LAW = """# 样例办事条例

第一条 为了规范样例事项，制定本条例。

第二条 行政机关收取信息处理费的具体办法，由价格主管部门会同财政部门制定。

第三条 多个行政机关共同制作的政府信息，由牵头制作的行政机关负责答复。
"""
QUESTION = "这种事怎么办？"
REWRITE = "多个行政机关共同制作的政府信息由牵头制作的行政机关负责答复"


def _settings(tmp_path, stub: LlmStub, model: str = "stub-model") -> Settings:
    s = Settings(home=tmp_path / "home")
    s.llm.base_url, s.llm.api_key, s.llm.model, s.llm.max_retries, s.llm.timeout = stub.base_url, "k", model, 0, 5.0
    return s


def test_rewrites_come_from_the_model_and_are_cached_per_model(tmp_path):
    questions = [{"id": "a", "question": QUESTION}, {"id": "b", "question": "单位食堂的菜谱谁定？"}]
    cache = tmp_path / "rewrites.jsonl"
    with LlmStub() as stub:
        stub.responder = by_task(rewrite=lambda req: REWRITE if user_text(req) == QUESTION else user_text(req))
        got = retrieval_run.model_rewrites(questions, cache, _settings(tmp_path, stub))
        asked = [r for r in stub.chat_requests if task_of(r) == "rewrite"]
        assert got == {QUESTION: [REWRITE], "单位食堂的菜谱谁定？": []}  # a rewrite equal to the question is none
        assert len(asked) == 2
        rows = [json.loads(x) for x in cache.read_text(encoding="utf-8").splitlines()]
        assert {(r["model"], r["question"]) for r in rows} == {("stub-model", QUESTION), ("stub-model", "单位食堂的菜谱谁定？")}
        again = retrieval_run.model_rewrites(questions, cache, _settings(tmp_path, stub))
        assert again == got and len([r for r in stub.chat_requests if task_of(r) == "rewrite"]) == 2  # from the cache
        retrieval_run.model_rewrites(questions[:1], cache, _settings(tmp_path, stub, model="other-model"))
        assert len([r for r in stub.chat_requests if task_of(r) == "rewrite"]) == 3  # another model is asked again


def test_a_question_is_scored_with_its_rewrite_fused_in(tmp_path):
    corpus = tmp_path / "c"
    corpus.mkdir()
    (corpus / "样例办事条例(2020-01-01).md").write_text(LAW, encoding="utf-8")
    kb = KnowledgeBase(Settings(home=tmp_path / "kb"), embedder=HashEmbedder())
    kb.index([corpus])
    q = {"id": "a", "question": QUESTION, "gold": ["《样例办事条例》第三条"], "kind": "regulation", "split": "tune"}
    s = kb.searcher()
    plain = retrieval_run.run(s, [q])[0].rank
    helped = retrieval_run.run(s, [q], {QUESTION: [REWRITE]})[0].rank
    assert helped == 1 and (plain is None or plain > 1)
    kb.close()
