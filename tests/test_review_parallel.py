"""A batch read and checked in worker processes gives the same results, in the same order, as one process."""

from __future__ import annotations

import shutil

import pytest

from assistant import review
from assistant.export import to_dict
from assistant.review import default_workers, review_paths
from assistant.testing.synth import clean_report, render


@pytest.fixture(scope="module")
def batch(tmp_path_factory):
    """Ten reports in three forms, last year's report of one of them, a copy of 五, an unreadable file."""
    d = tmp_path_factory.mktemp("batch")
    agencies = ["青禾县人民政府", "白沙镇人民政府", "东湖街道办事处", "青禾县交通运输局", "青禾县教育局",
                "青禾县财政局", "石门镇人民政府", "青禾县民政局", "临川市人民政府"]  # fmt: skip
    prev = clean_report("青禾县人民政府", 2023, seed=1)
    prev.cells["t3.carry_forward.total"] += 1  # a cross-year break for XY-CARRY
    prev.cells["t3.carry_forward.natural"] += 1
    render(prev, "html", d)
    reports = [clean_report(a, 2024, seed=20 + i) for i, a in enumerate(agencies)]
    five = next(b for h, b in reports[3].sections if h.startswith("五、"))
    reports[4].sections = [(h, five if h.startswith("五、") else b) for h, b in reports[4].sections]
    for i, r in enumerate(reports):
        render(r, ("text", "html", "markdown")[i % 3], d)
    (d / "坏文件.pdf").write_bytes(b"%PDF-1.4 broken")
    shutil.copy(d / "青禾县人民政府_2023.html", d / "副本.html")  # the same report twice in a batch
    return d


def _shape(results):
    return [(r.source, r.previous_source, r.findings, str(r.error) if r.error else None) for r in results]


def test_workers_give_the_same_results_in_the_same_order(batch):
    one = review_paths([batch], workers=1)
    two = review_paths([batch], workers=2)
    assert _shape(two) == _shape(one)
    assert to_dict(two) == to_dict(one)
    rules = {f.rule for r in one for f in r.findings}
    assert {"XY-CARRY", "COPY-PEER"} <= rules  # the batch-level rules saw the whole batch
    assert sum(r.error is not None for r in one) == 1


def test_spawned_workers_give_the_same_results(batch, monkeypatch):
    """Where fork is not available (Windows, macOS) the workers are spawned and receive the batch."""
    import multiprocessing as mp

    monkeypatch.setattr(mp, "get_all_start_methods", lambda: ["spawn"])
    assert _shape(review_paths([batch], workers=2)) == _shape(review_paths([batch], workers=1))


def test_progress_is_reported_for_every_file(batch):
    seen = []
    review_paths([batch], workers=2, progress=lambda i, n, name: seen.append((i, n)))
    n = seen[0][1]
    assert [i for i, _n in seen] == list(range(n + 1))


def test_one_file_and_small_batches_stay_in_this_process(batch, monkeypatch):
    assert default_workers(1) == 1 and default_workers(review.PARALLEL_FROM - 1) == 1
    monkeypatch.setattr(review, "_pool", lambda *a, **k: pytest.fail("no worker processes for one file"))
    (res,) = review_paths([next(batch.glob("*.txt"))])
    assert res.report is not None


def test_one_file_does_not_import_numpy_or_multiprocessing(batch):
    """Cold start: the batch machinery (peer index, worker pools) stays off the one-file path."""
    import subprocess
    import sys

    one = next(batch.glob("*.txt"))
    code = (
        "import sys; from assistant.review import review_paths; "
        f"review_paths([{str(one)!r}]); "
        "print(sorted(m for m in ('numpy', 'multiprocessing.pool') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_a_report_survives_the_trip_between_processes(batch):
    """Reports are pickled in their own compact form (plain tuples for the cells): the copy is equal, its
    cells are Cells with CellSources, and a shallow copy still shares the cells."""
    import copy
    import pickle

    from assistant.report import read_report
    from assistant.report.model import Cell, CellSource

    for path in [p for p in sorted(batch.glob("*.*")) if p.suffix != ".pdf"][:4]:
        report = read_report(path)
        back = pickle.loads(pickle.dumps(report, pickle.HIGHEST_PROTOCOL))
        assert back == report and back.cells == report.cells
        cells = list(back.cells.values())
        assert all(type(c) is Cell for c in cells) and any(type(c.source) is CellSource for c in cells)
        assert back.cells["t3.new.total"].source.describe() == report.cells["t3.new.total"].source.describe()
        assert copy.copy(report).cells is report.cells
