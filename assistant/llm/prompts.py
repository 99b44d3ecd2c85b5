"""Prompt templates as files: ``prompts/<name>.md``, loaded by name, rendered with named variables.

A template is Markdown with role markers on their own lines::

    <!-- role: system -->
    你是……
    <!-- role: user -->
    问题：{question}

Variables are ``{name}`` (lower-case ASCII identifiers); any other brace is literal text.
:meth:`Prompt.render` fails on a variable the template needs but was not given, and on a value
given that the template never uses, so code and prompt files cannot drift apart silently.
Text in a ``<!-- ... -->`` comment that is not a role marker is a note for the editor, not sent.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import XxgkError

_VAR = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_ROLE = re.compile(r"^<!--\s*role:\s*(system|user|assistant)\s*-->\s*$", re.MULTILINE)
_COMMENT = re.compile(r"<!--(?!\s*role:).*?-->\n?", re.DOTALL)


class PromptError(XxgkError):
    default_hint = "提示词文件在项目的 prompts/ 目录；可用 XXGK_LLM__PROMPTS_DIR 指向自己的目录"


def default_prompts_dir() -> Path:
    return Path(__file__).resolve().parents[2] / "prompts"


@dataclass(frozen=True)
class Prompt:
    name: str
    parts: tuple[tuple[str, str], ...]  # (role, template text)

    @property
    def variables(self) -> frozenset[str]:
        return frozenset(v for _, text in self.parts for v in _VAR.findall(text))

    def render(self, **values: object) -> list[tuple[str, str]]:
        """[(role, text)] with every ``{name}`` filled; strict about missing and unused names."""
        need = self.variables
        missing = sorted(need - values.keys())
        unused = sorted(values.keys() - need)
        if missing or unused:
            raise PromptError(
                f"提示词 {self.name} 与代码不一致："
                + (f"缺少变量 {', '.join(missing)}" if missing else "")
                + ("；" if missing and unused else "")
                + (f"模板未使用变量 {', '.join(unused)}" if unused else "")
            )
        return [(role, _VAR.sub(lambda m: str(values[m.group(1)]), text).strip()) for role, text in self.parts]


def parse(name: str, text: str) -> Prompt:
    text = _COMMENT.sub("", text)
    marks = list(_ROLE.finditer(text))
    if not marks:
        raise PromptError(f"提示词 {name} 没有角色标记（<!-- role: system --> / <!-- role: user -->）")
    parts = []
    for i, m in enumerate(marks):
        end = marks[i + 1].start() if i + 1 < len(marks) else len(text)
        parts.append((m.group(1), text[m.end() : end].strip("\n")))
    return Prompt(name, tuple(parts))


@lru_cache(maxsize=64)
def _load(path: Path, mtime: float) -> Prompt:
    return parse(path.stem, path.read_text(encoding="utf-8"))


def load(name: str, directory: Path | None = None) -> Prompt:
    """``prompts/<name>.md`` (re-read when the file changes, so an edited prompt takes effect)."""
    path = (directory or default_prompts_dir()) / f"{name}.md"
    if not path.is_file():
        raise PromptError(f"找不到提示词文件 {path}")
    return _load(path, path.stat().st_mtime)


def names(directory: Path | None = None) -> list[str]:
    return sorted(p.stem for p in (directory or default_prompts_dir()).glob("*.md") if p.stem.lower() != "readme")
