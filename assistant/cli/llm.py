"""``xxgk ask``, ``xxgk draft`` and ``xxgk doctor`` (langchain, openai, chromadb load inside the commands)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer


def _settings():  # noqa: ANN202
    from ..settings import Settings

    return Settings()


def _review_one(path: Path, previous: Path | None = None):  # noqa: ANN202 - (Report, findings, previous Report | None)
    """Read and check one report (paired with last year's as ``xxgk check`` pairs it)."""
    from ..review import review_paths

    results = review_paths([path], previous=[previous] if previous else [])
    res = results[0]
    if res.error is not None:
        raise res.error
    for extra in results[1:]:  # an unreadable --previous
        if extra.error is not None:
            raise extra.error
    return res.report, res.findings, res.previous


def _history(path: Path | None) -> list:
    from ..errors import UsageError

    if path is None:
        return []
    try:
        raw = path.read_text(encoding="utf-8")
    except OSError as e:
        raise UsageError(f"无法读取对话记录 {path}：{e.strerror or e}", "请检查路径") from e
    try:
        data = json.loads(raw)
    except json.JSONDecodeError:
        try:
            data = [json.loads(line) for line in raw.splitlines() if line.strip()]
        except json.JSONDecodeError as e:
            raise UsageError(f"对话记录 {path} 不是 JSON", '格式：[{"role": "user", "content": "……"}, {"role": "assistant", "content": "……"}]') from e
    if not isinstance(data, list):
        raise UsageError(f"对话记录 {path} 应为消息列表", '格式：[{"role": "user", "content": "……"}, {"role": "assistant", "content": "……"}]')
    return data


def ask(
    question: Annotated[str, typer.Argument(help="要问的问题，如“申请人要求确认已获取的信息怎么处理”")],
    report: Annotated[Optional[Path], typer.Option("--report", "-r", help="针对这份报告提问：其数据由表格单元格计算后交给模型")] = None,
    history: Annotated[Optional[Path], typer.Option("--history", help='此前的对话（JSON：[{"role": "user", "content": "…"}, …]），用于理解追问')] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出一个 JSON 对象：answer、citations、mode、flags")] = False,
) -> None:
    """问答：依据知识库中的法规条文、指南和往年报告回答，逐句标注引用；知识库没有依据时如实说明。

    配置了大模型（XXGK_LLM__BASE_URL 或 OPENAI_BASE_URL）时由模型归纳作答并流式输出，
    否则为离线模式：给出最相关的条文和段落。退出码：0 已回答（含“没有找到依据”）；2 用法或文件错误。
    """
    from ..errors import UsageError
    from ..llm import Answer, Assistant

    if not question.strip():
        raise UsageError("问题是空的", '例如：xxgk ask "依申请公开的答复期限是多久"')
    rep, findings = None, None
    if report is not None:
        if not report.exists():
            raise UsageError(f"找不到报告文件：{report}", "请检查路径是否正确")
        rep, findings, _ = _review_one(report)
    hist = _history(history)
    settings = _settings()
    assistant = Assistant(settings)
    try:
        final: Answer | None = None
        streamed = False
        for item in assistant.ask_stream(question, hist, rep, findings):
            if isinstance(item, Answer):
                final = item
            elif not as_json:
                sys.stdout.write(item)
                sys.stdout.flush()
                streamed = True
        assert final is not None
    finally:
        assistant.kb.close()
    if as_json:
        sys.stdout.write(json.dumps(final.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    if final.notice:
        typer.echo(f"\n提示：{final.notice}", err=True)
    if not streamed or final.mode == "offline":
        sys.stdout.write(("\n\n" if streamed else "") + final.answer + "\n")
    else:
        sys.stdout.write("\n")
    if final.citations:
        sys.stdout.write("\n来源：\n" + "".join(
            f"{c.marker} {c.citation}（{c.source}）\n" + (f"    经由：{c.via}\n" if c.via else "") for c in final.citations
        ))
    for fl in final.flags:
        sys.stdout.write(f"注意：{fl['problem']}\n")
    mode = f"大模型（{assistant.chat.label}）" if final.mode == "llm" else "离线模式"
    typer.echo(f"〔{mode}〕", err=True)


def draft(
    report: Annotated[Path, typer.Argument(help="本年度报告（表格已填好；正文可以没有）")],
    previous: Annotated[Optional[Path], typer.Option("--previous", "-p", help="上一年度报告：起草“五”时逐项回应其中提出的问题；不给时按单位和年度在同一文件夹中查找")] = None,
    section: Annotated[str, typer.Option("--section", "-s", help="五（存在的主要问题及改进情况，默认）或 一（总体情况）")] = "五",
    as_json: Annotated[bool, typer.Option("--json", help="输出一个 JSON 对象：text、mode、flags")] = False,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="另存为 .docx 或 .txt")] = None,
) -> None:
    """起草报告的“五、存在的主要问题及改进情况”（或“一、总体情况”），并用审核规则校验草稿。

    草稿中的每个数字和年份都与表格单元格、报告年度核对；不一致时带着问题重写一次，仍不一致的句子会标出。
    未配置大模型时按表格数据和审核发现生成模板草稿（离线模式）。
    退出码：0 校验通过；1 草稿中仍有需核对的内容；2 用法或文件错误。
    """
    from ..errors import UsageError
    from ..llm import Assistant

    section = section.strip().strip("、")
    if section not in ("五", "一", "5", "1"):
        raise UsageError(f"不支持起草第“{section}”部分", "可起草：--section 五（默认）或 --section 一")
    section = {"5": "五", "1": "一"}.get(section, section)
    for p in (report, previous):
        if p is not None and not p.exists():
            raise UsageError(f"找不到文件：{p}", "请检查路径是否正确")
    if output is not None and output.suffix.lower() not in (".docx", ".txt"):
        raise UsageError(f"不支持的输出格式：{output.suffix or '（无扩展名）'}", "请用 .docx 或 .txt")
    rep, findings, prev = _review_one(report, previous)
    assistant = Assistant(_settings())
    try:
        result = assistant.draft(rep, previous=prev, section=section, findings=findings)
    finally:
        assistant.kb.close()
    if output is not None:
        if output.suffix.lower() == ".docx":
            result.to_docx(output, title=f"{rep.agency or ''}{rep.year or ''}年政府信息公开工作年度报告（草稿）")
        else:
            output.write_text(f"{result.heading()}\n{result.text}\n\n{result.flags_text()}\n", encoding="utf-8")
        typer.echo(f"已写入 {output}", err=True)
    if as_json:
        sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
    elif output is None:
        sys.stdout.write(f"{result.heading()}\n{result.text}\n\n{result.flags_text()}\n")
    if result.notice:
        typer.echo(f"提示：{result.notice}", err=True)
    mode = "大模型" if result.mode == "llm" else "离线模式（模板草稿，【】处请补充）"
    typer.echo(f"〔{mode}；上年报告：{prev.source if prev else '未提供'}〕", err=True)
    raise typer.Exit(1 if result.flags else 0)


def doctor() -> None:
    """检查运行环境：大模型（试调用 1 个 token）、向量模型、知识库索引（含哪些法规）、数据目录、版本。"""
    from ..llm.doctor import run_checks

    settings = _settings()
    ok = True
    for title, lines, good in run_checks(settings):
        typer.echo(f"{'✓' if good else '✗'} {title}")
        for line in lines:
            typer.echo(f"    {line}")
        ok = ok and good
    raise typer.Exit(0 if ok else 1)


def register(app: typer.Typer) -> None:
    app.command("ask")(ask)
    app.command("draft")(draft)
    app.command("doctor")(doctor)
