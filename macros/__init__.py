"""The mkdocs-macros module of the handbook.

mkdocs-macros calls `define_env` once per build. Each submodule registers its own variables and
macros, and may define `on_post_page_macros(env)` (per page) and `on_post_build(env)`.
Data files are validated here, so a bad file fails `mkdocs build` with its name and the field.
"""

from __future__ import annotations

from . import (
    action_plan,
    amendments,
    app,
    build,
    categories,
    easy_read,
    glossary,
    legislation,
    meeting_page,
    national,
    offline,
    practice_rules,
    search,
    security,
    site,
    stdlib,
    tool_pages,
)

# Submodules in the order they register. A submodule that needs another's data comes after it.
MODULES = [
    site,
    app,
    national,
    security,
    legislation,
    practice_rules,
    glossary,
    action_plan,
    amendments,
    search,
    categories,
    easy_read,
    tool_pages,
    meeting_page,
    build,
    stdlib,
    offline,
]


def define_env(env) -> None:
    for module in MODULES:
        module.register(env)


def on_post_page_macros(env) -> None:
    for module in MODULES:
        hook = getattr(module, "on_post_page_macros", None)
        if hook:
            hook(env)


def on_post_build(env) -> None:
    for module in MODULES:
        hook = getattr(module, "on_post_build", None)
        if hook:
            hook(env)
