"""「载入示例」: the bundled samples plus a small county batch with defects we planted on purpose.

The bundled ``corpus/samples/`` (青禾县人民政府 2023 and 2024) are clean, so on their own a
first-time user would see an empty findings table. The example batch adds six departments and
towns of the same fictional county, written by the synthetic generator (:mod:`assistant.testing`)
with their 2023 reports, five of them with one or two typical defects each (a table that does
not add up, a narrative number that contradicts the table, last year's carry-over not matching,
last year's year left in the text, a section copied from last year, an empty 六). Every name and
number is invented. The files are written once per data dir (deterministic) and reused.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..report.cells import t3

DEMO_VERSION = "v1"


@dataclass(frozen=True)
class DemoBatch:
    reports: list[Path]  # this year's reports (2024)
    previous: list[Path]  # last year's reports (2023)
    folder: Path


def samples_dir() -> Path | None:
    """The project's ``corpus/samples`` (source checkout), else ``./corpus/samples``."""
    for cand in (Path(__file__).resolve().parents[2] / "corpus" / "samples", Path.cwd() / "corpus" / "samples"):
        if cand.is_dir():
            return cand
    return None


def _edit_section(r, num: str, fn: Callable[[str], str]) -> None:  # noqa: ANN001 - SynthReport
    for i, (head, body) in enumerate(r.sections):
        if head.startswith(num + "、"):
            r.sections[i] = (head, fn(body))
            return
    raise ValueError(f"no section {num}")


def _body(r, num: str) -> str:  # noqa: ANN001
    return next(b for h, b in r.sections if h.startswith(num + "、"))


def _table_slip(cur, prev) -> None:  # noqa: ANN001 - 一、本年新收 自然人 one too many: the row and the column no longer add up
    cur.cells[t3("new", "natural")] += 1


def _narrative_number(cur, prev) -> None:  # noqa: ANN001 - 一 says more applications than table 3
    def fn(body: str) -> str:
        return re.sub(r"((?:收到|新收|受理)政府信息公开申请)(\d+)件", lambda m: f"{m.group(1)}{int(m.group(2)) + 7}件", body, count=1)

    _edit_section(cur, "一", fn)


def _carry_and_fee(cur, prev) -> None:  # noqa: ANN001 - last year's 四 ≠ this year's 二; 六 only says 无
    from ..testing.synth_text import write_sections

    for row in ("carry_forward", "new"):
        for col in ("natural", "total"):
            prev.cells[t3(row, col)] += 2
    prev.sections = write_sections(prev, None)
    _edit_section(cur, "六", lambda b: "无。")


def _stale_and_copied(cur, prev) -> None:  # noqa: ANN001 - 五 copied from last year (with last year's year in it)
    _edit_section(cur, "五", lambda b: _body(prev, "五"))


def _table4_total(cur, prev) -> None:  # noqa: ANN001 - 表四 行政复议 总计 one more than its parts
    cur.cells["t4.review.total"] += 1


# agency, seed, form, defect (None = clean)
_BATCH: tuple[tuple[str, int, str, Callable | None], ...] = (
    ("青禾县交通运输局", 41, "html", _table_slip),
    ("青禾县教育局", 42, "html", _narrative_number),
    ("白沙镇人民政府", 43, "text", _carry_and_fee),
    ("东湖街道办事处", 44, "html", _stale_and_copied),
    ("青禾县市场监督管理局", 45, "markdown", _table4_total),
    ("青禾县自然资源局", 46, "html", None),
)


def _write(folder: Path) -> None:
    from ..testing.synth_model import clean_report
    from ..testing.synth_render import render

    cur_dir, prev_dir = folder / "2024", folder / "2023"
    cur_dir.mkdir(parents=True)
    prev_dir.mkdir(parents=True)
    for agency, seed, form, defect in _BATCH:
        prev = clean_report(agency, 2023, seed=seed)
        cur = clean_report(agency, 2024, seed=seed + 100, previous=prev)
        if defect is not None:
            defect(cur, prev)
        render(prev, form, prev_dir)
        render(cur, form, cur_dir)
    samples = samples_dir()
    if samples is not None:
        for f in sorted(samples.iterdir()):
            if f.is_file() and "_2023" in f.name:
                shutil.copyfile(f, prev_dir / f.name)
            elif f.is_file():
                shutil.copyfile(f, cur_dir / f.name)


def demo_batch(data_dir: Path) -> DemoBatch:
    """The example batch under ``data_dir/demo/<version>`` (written on first use, atomically)."""
    folder = data_dir / "demo" / DEMO_VERSION
    if not (folder / "2024").is_dir():
        folder.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".demo-", dir=folder.parent))
        try:
            _write(tmp)
            try:
                tmp.rename(folder)
            except OSError:  # another session wrote it first
                pass
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    return DemoBatch(
        reports=sorted(p for p in (folder / "2024").iterdir() if p.is_file()),
        previous=sorted(p for p in (folder / "2023").iterdir() if p.is_file()),
        folder=folder,
    )


__all__ = ["DEMO_VERSION", "DemoBatch", "demo_batch", "samples_dir"]
