"""``xxgk check`` and ``xxgk rules``."""

from __future__ import annotations

import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class OutFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    xlsx = "xlsx"


def check(
    paths: Annotated[
        Optional[list[Path]], typer.Argument(help="报告文件或文件夹（文件夹会递归查找 .txt/.html/.docx/.pdf/.md）")
    ] = None,
    previous: Annotated[
        Optional[list[Path]],
        typer.Option("--previous", "-p", help="同一单位上一年度的报告（文件或文件夹），用于跨年度核对"),
    ] = None,
    corpus: Annotated[
        Optional[list[Path]],
        typer.Option("--corpus", help="另在这些文件夹中按单位名称和年度查找上年报告"),
    ] = None,
    fmt: Annotated[OutFormat, typer.Option("--format", "-f", help="输出格式：text（默认）、json、markdown、xlsx")] = OutFormat.text,
    output: Annotated[Optional[Path], typer.Option("--output", "-o", help="写入文件（xlsx 格式必须指定）")] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
    jobs: Annotated[
        Optional[int],
        typer.Option("--jobs", "-j", min=1, help="并行的进程数（默认：8 份以上的批量用全部 CPU 核心；1 = 只用一个进程）"),
    ] = None,
) -> None:
    """审核年度报告：解析全部200个单元格，检查表格勾稽关系、跨年度衔接、正文与表格是否一致等。

    退出码：0 无错误；1 有错误级别的问题；2 用法错误或有文件无法读取（其余文件照常审核）。
    """
    from ..export import to_json, to_markdown, to_text, write_xlsx
    from ..review import exit_code, expand_paths, review_paths

    if not paths:
        typer.echo("错误：请给出要审核的报告文件或文件夹，例如：xxgk check 报告.pdf 或 xxgk check 报告/", err=True)
        raise typer.Exit(2)
    missing = [str(p) for p in [*paths, *(previous or []), *(corpus or [])] if not p.exists()]
    if missing:
        typer.echo(f"错误：找不到文件或文件夹：{'、'.join(missing)}（请检查路径是否正确）", err=True)
        raise typer.Exit(2)
    if fmt == OutFormat.xlsx and output is None:
        typer.echo("错误：xlsx 格式需要用 -o 指定输出文件，例如：xxgk check 报告/ --format xlsx -o 审核意见.xlsx", err=True)
        raise typer.Exit(2)
    files = expand_paths(paths)
    if not files:
        typer.echo("错误：没有找到可审核的报告文件（支持 .txt .html .docx .pdf .md）", err=True)
        raise typer.Exit(2)

    progress = None
    bar = None
    if len(files) > 1 and not quiet:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        bar = Progress(
            TextColumn("审核中"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            TextColumn("{task.description}"),
            console=Console(stderr=True),
            transient=True,
        )
        task = bar.add_task("", total=len(files))
        bar.start()

        def progress(i: int, n: int, name: str) -> None:
            bar.update(task, completed=i, description=Path(name).name if name else "")

    try:
        results = review_paths(files, previous=previous or [], corpus=corpus or [], progress=progress, workers=jobs)
    finally:
        if bar is not None:
            bar.stop()

    if fmt != OutFormat.text or output is not None:  # the text report already lists them on stdout
        for res in results:
            if res.error is not None:
                typer.echo(f"无法读取：{res.error}", err=True)

    if fmt == OutFormat.xlsx:
        write_xlsx(results, output)
        typer.echo(f"已写入 {output}（{len(results)} 份报告）", err=True)
    else:
        text = {OutFormat.text: to_text, OutFormat.json: to_json, OutFormat.markdown: to_markdown}[fmt](results)
        if output is not None:
            output.write_text(text + "\n", encoding="utf-8")
            typer.echo(f"已写入 {output}", err=True)
        else:
            sys.stdout.write(text + "\n")
    raise typer.Exit(exit_code(results))


def rules(
    fmt: Annotated[str, typer.Option("--format", "-f", help="text（默认）、json 或 markdown")] = "text",
) -> None:
    """列出全部审核规则：编号、级别、检查内容与依据。"""
    import json

    from ..rules.base import SEVERITY_LABELS
    from ..rules.docs import rules_markdown
    from ..rules.registry import all_rules

    catalogue = all_rules()
    if fmt == "json":
        items = [
            {"id": r.id, "group": r.group, "severity": r.severity, "title": r.title, "basis": r.basis}
            for r in catalogue
        ]
        typer.echo(json.dumps(items, ensure_ascii=False, indent=2))
    elif fmt == "markdown":
        typer.echo(rules_markdown(catalogue))
    else:
        for r in catalogue:
            typer.echo(f"{r.id:<18} {SEVERITY_LABELS[r.severity]}  {r.title}")
            typer.echo(f"{'':<18}       依据：{r.basis}")
        typer.echo(f"共 {len(catalogue)} 条规则。详见 docs/rules.md")


def register(app: typer.Typer) -> None:
    app.command("check")(check)
    app.command("rules")(rules)
