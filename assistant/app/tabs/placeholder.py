"""A clearly labelled panel for a tab whose feature is still being connected."""

from __future__ import annotations


def panel(title: str, what: str, cli: str) -> None:
    from .._gradio import gr

    gr.Markdown(
        f"### {title}：正在接入\n\n{what}\n\n"
        f"这一页正在与大模型模块对接，接好后会出现在这里。在此之前可以在命令行使用：`{cli}`。"
        "审核、知识库两页已经可以使用。",
        elem_id=f"placeholder-{title}",
        elem_classes=["placeholder"],
    )
