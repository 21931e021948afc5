"""Where tool definitions come from: the YAML sources (a checkout) or the bundled JSON (a wheel).

Both paths validate every definition from plain data with schema.tool_from_dict, so the package
checks its definitions whenever it loads them. In the YAML sources an assessment tool lists the
questions it asks from the question bank (questions.yaml, see bank.py); the bundled JSON holds
each tool in full, as bank.select makes it. PyYAML is imported only inside load_directory: it
is a build/dev dependency and is not available in Pyodide.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any, Mapping

from .bank import BANK_FILE, asks_from_bank, bank_as_tool, bank_mapping, select
from .errors import DefinitionError, InputError
from .model import ASSESSMENT, Categories, ToolDefinition
from .schema import categories_from_dict, tool_from_dict, tool_to_dict

BUNDLE_FORMAT = "cse-tools/definitions"
BUNDLE_VERSION = 3  # 3: the rules are under "rules" (were "overrides")
BUNDLE_NAME = "cse_tools/data/definitions.json"


def display_path(path: Path) -> str:
    """A path as errors show it: relative to the working directory when it is inside it."""
    try:
        return path.resolve().relative_to(Path.cwd().resolve()).as_posix()
    except (ValueError, OSError):
        return path.as_posix()


CATEGORIES_FILE = "categories.yaml"


def _read_yaml(file: Path) -> Any:
    import yaml  # lazy: only needed where the YAML sources are

    name = display_path(file)
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available: faster
        return yaml.load(file.read_text(encoding="utf-8"), Loader=loader)  # noqa: S506 (safe loader)
    except OSError as exc:
        raise DefinitionError(f"{name}: cannot be read ({exc.strerror})") from exc
    except yaml.YAMLError as exc:
        lines = str(exc).strip().splitlines()
        problem = getattr(exc, "problem", None) or (lines[0] if lines else "parse error")
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise DefinitionError(f"{name}: is not valid YAML{where} ({problem})") from exc


def load_categories(path: Path | None = None) -> Categories:
    """The categories (levels 0-3) from `path`'s categories.yaml, or the shipped one when the folder
    has none (so a folder of test definitions can reuse the real categories)."""
    file = _shared_file(Path(path) if path is not None else source_directory(), CATEGORIES_FILE)
    return categories_from_dict(_read_yaml(file), display_path(file))


def _shared_file(folder: Path, name: str) -> Path:
    """`folder`'s own categories.yaml or questions.yaml, or the shipped one when it has none."""
    file = folder / name
    return file if file.is_file() else source_directory() / name


def load_bank(path: Path | None, categories: Categories) -> dict[str, Any]:
    """The question bank of `path` (or the shipped one), checked field by field like a tool."""
    file = _shared_file(Path(path) if path is not None else source_directory(), BANK_FILE)
    name = display_path(file)
    bank = bank_mapping(_read_yaml(file), name)
    tool_from_dict(bank_as_tool(bank, name), name, categories, behaviour=False)
    return bank


def load_directory(path: Path) -> dict[str, ToolDefinition]:
    """Read and validate every tool *.yaml in `path` (with its categories.yaml and questions.yaml,
    or the shipped ones); return the tools by id."""
    path = Path(path)
    if not path.is_dir():
        raise DefinitionError(f"{display_path(path)}: is not a folder of tool definitions")
    files = sorted(f for f in path.glob("*.yaml") if f.name not in (CATEGORIES_FILE, BANK_FILE))
    if not files:
        raise DefinitionError(f"{display_path(path)}: holds no *.yaml tool definitions")
    categories = load_categories(path)
    tools: dict[str, ToolDefinition] = {}
    origin: dict[str, str] = {}
    bank: dict[str, Any] | None = None
    for file in files:
        name = display_path(file)
        data = _read_yaml(file)
        if asks_from_bank(data):
            bank = load_bank(path, categories) if bank is None else bank
            data = select(data, bank, name)
        tool = tool_from_dict(data, name, categories)
        if tool.id in tools:
            raise DefinitionError(
                f"{name}: field 'id' {tool.id!r} is already used by {origin[tool.id]}"
            )
        tools[tool.id] = tool
        origin[tool.id] = name
    if (path / CATEGORIES_FILE).is_file():  # the folder's own categories name its own tools
        _check_done_in(categories, tools)
    return tools


def _check_done_in(categories: Categories, tools: Mapping[str, ToolDefinition]) -> None:
    """A trigger's `done_in` must name one of the tools (its result leaves that step out)."""
    for level in categories.levels:
        for index, trigger in enumerate(level.triggers, start=1):
            if trigger.done_in and trigger.done_in not in tools:
                raise DefinitionError(
                    f"{categories.source}: level {level.level}: trigger {index}: field 'done_in' "
                    f"names no tool ({trigger.done_in!r}; known: {', '.join(sorted(tools))})"
                )


def bundle_json(tools: dict[str, ToolDefinition]) -> str:
    """The compiled JSON of all definitions (shipped in the wheel as cse_tools/data/definitions.json)."""
    bundle = {
        "format": BUNDLE_FORMAT,
        "version": BUNDLE_VERSION,
        "tools": {tool_id: tool_to_dict(tools[tool_id]) for tool_id in sorted(tools)},
    }
    return json.dumps(bundle, indent=1, ensure_ascii=False, sort_keys=False) + "\n"


def load_bundle(
    text: str, source: str = BUNDLE_NAME, *, behaviour: bool = True
) -> dict[str, ToolDefinition]:
    """Read and validate bundled JSON (the inverse of bundle_json); see tool_from_dict for behaviour."""
    try:
        data: Any = json.loads(text)
    except ValueError as exc:
        raise DefinitionError(f"{source}: is not valid JSON ({exc})") from exc
    if not isinstance(data, dict) or data.get("format") != BUNDLE_FORMAT:
        raise DefinitionError(f"{source}: field 'format' must be {BUNDLE_FORMAT!r}")
    if data.get("version") != BUNDLE_VERSION:
        raise DefinitionError(
            f"{source}: field 'version' must be {BUNDLE_VERSION}, not {data.get('version')!r}"
        )
    raw_tools = data.get("tools")
    if not isinstance(raw_tools, dict) or not raw_tools:
        raise DefinitionError(f"{source}: field 'tools' must be a non-empty mapping")
    tools: dict[str, ToolDefinition] = {}
    for key, raw in raw_tools.items():
        tool = tool_from_dict(raw, f"{source}: tool '{key}'", behaviour=behaviour)
        if tool.id != key:
            raise DefinitionError(f"{source}: tool '{key}': field 'id' is {tool.id!r}, not {key!r}")
        tools[key] = tool
    return tools


def source_directory() -> Path:
    """The YAML sources next to the package in a checkout (tools/definitions)."""
    import cse_tools

    return Path(cse_tools.__file__).parent.parent / "definitions"


def catalog_origin() -> str:
    """'yaml' in a checkout, 'bundle' in an installed wheel or in Pyodide."""
    return "yaml" if source_directory().is_dir() else "bundle"


@lru_cache(maxsize=1)
def _cached() -> tuple[tuple[str, ToolDefinition], ...]:
    if catalog_origin() == "yaml":
        tools = load_directory(source_directory())
    else:
        from importlib.resources import files

        text = (
            files("cse_tools")
            .joinpath("data")
            .joinpath("definitions.json")
            .read_text(encoding="utf-8")
        )
        # Built by macros/build.py from definitions that passed every check, behaviour included.
        tools = load_bundle(text, behaviour=False)
    return tuple(tools.items())


def default_categories() -> Categories:
    """The shipped categories, as the default tools carry them."""
    for _tool_id, tool in _cached():
        if tool.categories is not None:
            return tool.categories
    raise DefinitionError("no assessment tool carries the categories")


def default_catalog() -> dict[str, ToolDefinition]:
    """The tools shipped with the package (YAML in a checkout, bundled JSON otherwise), by id."""
    return dict(_cached())


def find_tool(
    tools: Mapping[str, ToolDefinition], tool_id: object, kind: str | None = ASSESSMENT
) -> ToolDefinition:
    """The tool with this id (and of this kind, unless kind is None).

    Raises InputError on field "tool" with a technical and a plain message; the command line,
    the browser protocol and the site's macros all look tools up through here.
    """
    tool = tools.get(tool_id) if isinstance(tool_id, str) else None
    if tool is None:
        known = ", ".join(sorted(tools))
        raise InputError(
            "tool",
            f"unknown tool {tool_id!r} (known: {known})",
            f"This page does not know the tool {tool_id!r}.",
        )
    if kind is not None and tool.kind != kind:
        raise InputError(
            "tool",
            f"tool {tool.id!r} is a {tool.kind} tool, not an {kind} tool",
            f"{tool.title} cannot be used for this.",
        )
    return tool
