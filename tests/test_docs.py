"""Docs that cannot drift: every command is in the README, every rule in docs/rules.md."""

from __future__ import annotations

import re

import typer.main

from assistant.cli import app
from assistant.rules.registry import all_rules

from .conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme():
    click_app = typer.main.get_command(app)
    for name in click_app.commands:
        assert f"xxgk {name}" in README, name


def test_readme_two_commands_are_what_ci_runs():
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    block = README.split("## 快速开始", 1)[1].split("```bash", 1)[1].split("```", 1)[0]
    commands = [line.strip() for line in block.splitlines() if line.strip() and not line.strip().startswith("#")]
    assert len(commands) == 2
    for cmd in commands:
        assert cmd in ci, cmd


def test_every_rule_is_in_docs_rules_md():
    doc = (ROOT / "docs" / "rules.md").read_text(encoding="utf-8")
    for rule in all_rules():
        assert re.search(rf"^### {re.escape(rule.id)}$", doc, re.M), rule.id
