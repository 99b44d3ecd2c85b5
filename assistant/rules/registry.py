"""The rule catalogue: every ``Rule`` subclass in the modules of this package, by id."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from .base import Rule

_NOT_RULE_MODULES = {"base", "registry", "engine", "helpers", "docs"}


def _import_rule_modules() -> None:
    from .. import rules as pkg

    for mod in pkgutil.iter_modules(pkg.__path__):
        if mod.name not in _NOT_RULE_MODULES and not mod.name.startswith("_"):
            importlib.import_module(f"{pkg.__name__}.{mod.name}")


def _subclasses(cls: type) -> list[type]:
    out = []
    for sub in cls.__subclasses__():
        out.append(sub)
        out.extend(_subclasses(sub))
    return out


@lru_cache(maxsize=1)
def all_rules() -> tuple[Rule, ...]:
    """One instance of every rule, ordered by id (rules are stateless)."""
    _import_rule_modules()
    seen: dict[str, Rule] = {}
    for cls in _subclasses(Rule):
        if "id" not in cls.__dict__:
            continue
        if cls.id in seen:
            raise ValueError(f"duplicate rule id {cls.id}")
        seen[cls.id] = cls()
    return tuple(sorted(seen.values(), key=lambda r: r.id))


def get_rule(rule_id: str) -> Rule:
    for r in all_rules():
        if r.id == rule_id or rule_id in r.aliases:
            return r
    raise KeyError(rule_id)
