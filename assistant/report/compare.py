"""Compare parsed cells with a hand-read truth (``<name>.cells.json``): the accuracy measure."""

from __future__ import annotations

from dataclasses import dataclass, field

from .cells import ALL_CELLS
from .model import Report


@dataclass
class CellAccuracy:
    correct: int = 0  # equal to the truth
    unknown_ok: int = 0  # null where the truth itself is uncertain or absent (the right answer)
    unknown: int = 0  # null where the truth has a number (a miss, but not a wrong number)
    wrong: list[tuple[str, object, object]] = field(default_factory=list)  # (cell, ours, truth)

    @property
    def total(self) -> int:
        return self.correct + self.unknown_ok + self.unknown + len(self.wrong)

    @property
    def accuracy(self) -> float:
        return (self.correct + self.unknown_ok) / self.total if self.total else 0.0


def compare_cells(report: Report, truth: dict) -> CellAccuracy:
    uncertain = set(truth.get("_uncertain_cells", []))
    acc = CellAccuracy()
    for cid in ALL_CELLS:
        want = truth.get(cid)
        got = report.value(cid)
        if got is None:
            if want is None or cid in uncertain:
                acc.unknown_ok += 1
            else:
                acc.unknown += 1
        elif want is not None and abs(float(got) - float(want)) < 1e-9:
            acc.correct += 1
        else:
            acc.wrong.append((cid, got, want))
    return acc
