"""Run inside Pyodide (tests/node/run_cases.mjs --trace) with the full standard library, after
every tool flow: the import graph of the tools through the standard library.

`trace(loaded)` walks, with the 3.14 parser of Pyodide's own Python:
- every import anywhere in the cse_tools package (function bodies too: lazy imports count), and
- from there, and from every module already loaded (`loaded`: what Pyodide's start-up, the package
  loader and the flows imported), the imports a module runs when it is imported (its body, class
  bodies, if/try branches; not function bodies, whose imports the flows' trace covers, nor an
  `if __name__ == "__main__":` block),
and returns {"library": every module the zip holds, "graph": what the walk reached}.
"""

from __future__ import annotations

import ast
import sys
import zipfile
from pathlib import Path


def _zip_path() -> str:
    return next(p for p in sys.path if p.endswith(".zip"))


def _library(zf: zipfile.ZipFile) -> dict[str, str]:
    """{module name: path in the zip} for every module of the library."""
    out = {}
    for name in zf.namelist():
        if not name.endswith(".py") or name.startswith("site-packages/"):
            continue
        parts = name[:-3].split("/")
        if parts[-1] == "__init__":
            parts = parts[:-1]
        out[".".join(parts)] = name
    return out


def _main_block(node: ast.AST) -> bool:
    """`if __name__ == "__main__":`: never run when the module is imported."""
    test = getattr(node, "test", None) if isinstance(node, ast.If) else None
    return (
        isinstance(test, ast.Compare)
        and isinstance(test.left, ast.Name)
        and test.left.id == "__name__"
        and any(isinstance(c, ast.Constant) and c.value == "__main__" for c in test.comparators)
    )


def _imports(tree: ast.AST, module: str, package: bool, everywhere: bool) -> set[str]:
    found: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        for child in ast.iter_child_nodes(node):
            if not everywhere and (
                isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                or _main_block(child)
            ):
                continue
            if isinstance(child, ast.Import):
                found |= {alias.name for alias in child.names}
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    parts = module.split(".")
                    keep = len(parts) - child.level + (1 if package else 0)
                    base = ".".join(parts[:keep] + ([base] if base else []))
                found.add(base)
                found |= {f"{base}.{alias.name}" for alias in child.names}
            stack.append(child)
    out = set()
    for name in found:
        parts = name.split(".")
        out |= {".".join(parts[: i + 1]) for i in range(len(parts))}
    return out


def trace(loaded: list[str]) -> dict[str, list[str]]:
    import cse_tools

    zf = zipfile.ZipFile(_zip_path())
    library = _library(zf)
    todo: set[str] = set(loaded)
    for path in Path(cse_tools.__file__).parent.rglob("*.py"):
        rel = path.relative_to(Path(cse_tools.__file__).parent.parent).with_suffix("")
        name = ".".join(p for p in rel.parts if p != "__init__")
        if name in ("cse_tools.cli", "cse_tools.__main__"):
            continue  # the command line, never run in the browser
        tree = ast.parse(path.read_text(encoding="utf-8"))
        todo |= _imports(tree, name, path.name == "__init__.py", everywhere=True)
    seen: set[str] = set()
    while todo:
        name = todo.pop()
        if name in seen or name not in library:
            continue
        seen.add(name)
        path = library[name]
        tree = ast.parse(zf.read(path).decode("utf-8"))
        todo |= _imports(tree, name, path.endswith("__init__.py"), everywhere=False) - seen
    return {"library": sorted(library), "graph": sorted(seen)}
