"""Does the draft guard catch a wrong number or year in a drafted 五, and stay quiet on a right one?

    .venv/bin/python evals/draft_guard.py [--seeds 6]

For synthetic reports (5 agency kinds × seeds, each with last year's report) and the real reports in
``../shared/corpus/reports/``, a scripted "model" writes a draft of 五 that agrees with the tables
(several wordings per figure, :mod:`assistant.testing.draft_cases`), and copies with one planted
error: a count changed (±1…10) or the report year written as an earlier one. Each draft goes
through the real pipeline — ``Assistant.draft`` against the loopback OpenAI-compatible stub, so
the guard, the one retry with feedback and the final flags all run — with the stub answering the
retry with the same wrong draft (the worst case: a model that does not fix it). Also: the template
drafts of 五 and 一 written offline must raise nothing. Prints a Markdown table.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.llm import Assistant  # noqa: E402
from assistant.llm.client import ChatClient  # noqa: E402
from assistant.report import read_report, read_report_bytes  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from assistant.testing.draft_cases import agreeing_five, plant  # noqa: E402
from assistant.testing.llm_stub import LlmStub  # noqa: E402
from assistant.testing.synth import clean_report, to_html  # noqa: E402

AGENCIES = ("青禾县人民政府", "白沙镇人民政府", "青禾县交通运输局", "东湖街道办事处", "临川市人民政府")
REAL = ROOT.parent / "shared" / "corpus" / "reports"


class NoKb:
    """Drafts need no retrieval; citations are not part of this eval."""

    def articles(self) -> dict:
        return {}

    def close(self) -> None:
        pass


def cases(seeds: int):
    for agency in AGENCIES:
        for seed in range(seeds):
            prev = clean_report(agency, 2023, seed=seed * 2 + 11)
            cur = clean_report(agency, 2024, seed=seed * 2 + 12, previous=prev)
            yield (
                f"{agency}#{seed}",
                read_report_bytes(to_html(cur).encode(), f"{agency}_2024.html"),
                read_report_bytes(to_html(prev).encode(), f"{agency}_2023.html"),
                seed,
            )
    if REAL.is_dir():
        for f in sorted(REAL.iterdir()):
            if f.suffix in (".txt", ".html", ".md", ".pdf") and f.name != "INDEX.md":
                yield (f.stem, read_report(f), None, 0)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seeds", type=int, default=6)
    args = ap.parse_args()
    t0 = time.perf_counter()
    stats = {k: [0, 0] for k in ("agree", "count", "year", "offline")}  # [drafts, flagged]
    missed: list[str] = []
    with LlmStub() as stub:
        s = Settings(home=Path("/tmp/xxgk-draft-guard"))
        s.llm.base_url, s.llm.api_key, s.llm.max_retries = stub.base_url, "k", 0
        online = Assistant(s, kb=NoKb(), chat=ChatClient(s.llm))
        offline = Assistant(Settings(home=Path("/tmp/xxgk-draft-guard")), kb=NoKb())
        for name, report, prev, seed in cases(args.seeds):
            for variant in range(2):
                good = agreeing_five(report, seed=seed * 7 + variant)
                drafts = [("agree", good, None)]
                for kind in ("count", "year"):
                    bad, planted = plant(good, report, kind, seed=seed * 13 + variant)
                    drafts.append((kind, bad, planted))
                for kind, text, planted in drafts:
                    stub.queue.clear()
                    stub.enqueue(text, text)  # the draft, then the same text as the "fixed" one
                    d = online.draft(report, previous=prev)
                    hit = bool(d.flags) if planted is None else any(planted.wrong in (f.get("sentence") or "") for f in d.flags)
                    stats[kind][0] += 1
                    stats[kind][1] += int(hit)
                    if planted is not None and not hit:
                        missed.append(f"{name} {kind}: {planted.right}→{planted.wrong}")
                    if planted is None and hit:
                        missed.append(f"{name} agreeing draft flagged: {[f['problem'] for f in d.flags]}")
            for section in ("五", "一"):
                d = offline.draft(report, previous=prev, section=section)
                stats["offline"][0] += 1
                stats["offline"][1] += int(bool(d.flags))
                if d.flags:
                    missed.append(f"{name} offline {section}: {[(f.get('sentence'), f['problem']) for f in d.flags]}")
    dt = time.perf_counter() - t0
    rows = [
        ("与表格一致的草稿（误报）", "agree", "误报率"),
        ("植入错误件数", "count", "检出率"),
        ("植入错误年份", "year", "检出率"),
        ("离线模板草稿（五、一）（误报）", "offline", "误报率"),
    ]
    print("| 草稿 | 份数 | 被标出 | 比例 |\n|---|---:|---:|---:|")
    for label, key, what in rows:
        n, k = stats[key]
        print(f"| {label} | {n} | {k} | {what} {k / n:.1%} |")
    print(f"\n共用时 {dt:.1f} s（经过回环大模型服务的完整起草流程：起草→校验→带反馈重写一次→再校验）。")
    if missed:
        print("\n未按预期的草稿：")
        for m in missed:
            print(f"- {m}")


if __name__ == "__main__":
    main()
