"""Synthetic annual reports we write ourselves, in every real form (the public entry point).

>>> r = clean_report("青禾县人民政府", 2024, seed=3)
>>> render(r, "html", tmp_dir)          # or .txt / .docx / .pdf / .md

Numbers are consistent in every identity of the format; ``r.cells`` is the truth. Make defective
copies with ``r.copy()`` or ``dataclasses.replace`` and render them the same way.
"""

from __future__ import annotations

from .synth_binary import to_docx, to_pdf
from .synth_model import (
    SECTION_TITLES,
    TABLE_KEYS,
    SynthReport,
    agency_kind,
    clean_cells,
    clean_report,
    may_make_rules,
    table_of_heading,
)
from .synth_render import (
    FORMS,
    render,
    section_parts,
    to_html,
    to_markdown,
    to_text_dump,
)
from .synth_tables import cell_text, fmt_number, prose
from .synth_text import PROBLEMS, problem_indices, write_sections

__all__ = [
    "FORMS",
    "PROBLEMS",
    "SECTION_TITLES",
    "TABLE_KEYS",
    "SynthReport",
    "agency_kind",
    "cell_text",
    "clean_cells",
    "clean_report",
    "fmt_number",
    "may_make_rules",
    "problem_indices",
    "prose",
    "render",
    "section_parts",
    "table_of_heading",
    "to_docx",
    "to_html",
    "to_markdown",
    "to_pdf",
    "to_text_dump",
    "write_sections",
]
