"""The tools' standard library: a `python_stdlib.zip` holding only the modules the tools and
Pyodide's own start-up import, built from Pyodide's full one at every build (cached).

- The list of modules is a reviewed data file, tools/stdlib/modules.txt, written by
  scripts/stdlib_modules.py (the import graph of cse_tools and of Pyodide's start-up, and a trace
  of every tool flow under Node); tests/test_stdlib.py fails when it is stale.
- site/pyodide/python_stdlib.zip is the reduced library (what the worker starts from, and what the
  offline copy keeps); site/pyodide/full/python_stdlib.zip is Pyodide's own, served for the
  worker's fallback (and the bare runtime check) and never precached (macros/offline.py).
- The reduced zip also holds `_cse_stdlib` (tools/stdlib/_cse_stdlib.py) and the names it left out,
  so the worker notices an import of a missing module and starts again with the full library.
- Its members are deflated (the full zip is stored: static hosts rarely gzip a .zip).
"""

from __future__ import annotations

import hashlib
import zipfile
from pathlib import Path

from .data import ROOT, DataError

STDLIB_DIR = ROOT / "tools" / "stdlib"
MODULES_FILE = STDLIB_DIR / "modules.txt"
GUARD_FILE = STDLIB_DIR / "_cse_stdlib.py"
GUARD_MODULE = "_cse_stdlib"
OMITTED_NAME = "_cse_stdlib_omitted.txt"
FULL_STDLIB = ROOT / "node_modules" / "pyodide" / "python_stdlib.zip"
REDUCED_PATH = "pyodide/python_stdlib.zip"
FULL_PATH = "pyodide/full/python_stdlib.zip"
CACHE = ROOT / ".cache" / "stdlib"
FIXED_TIME = (2020, 1, 1, 0, 0, 0)  # the same bytes for the same inputs


def _shown(path: Path) -> str:
    return str(path.relative_to(ROOT)) if path.is_relative_to(ROOT) else str(path)


def read_modules(path: Path = MODULES_FILE) -> list[str]:
    """The module names of the data file (one a line; `#` starts a comment)."""
    if not path.exists():
        raise DataError(f"{_shown(path)} is missing: run scripts/stdlib_modules.py")
    names = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        name = line.split("#", 1)[0].strip()
        if not name:
            continue
        if not all(part.isidentifier() for part in name.split(".")):
            raise DataError(f"{_shown(path)}: line {number}: {name!r} is not a module name")
        names.append(name)
    return names


def library(zf: zipfile.ZipFile) -> dict[str, str]:
    """{module name: member} for every module of a standard library zip."""
    out = {}
    for member in zf.namelist():
        if member.endswith(".py") and not member.startswith("site-packages/"):
            parts = member[:-3].split("/")
            if parts[-1] == "__init__":
                parts = parts[:-1]
            out[".".join(parts)] = member
    return out


def reduced_zip(
    full: Path, modules: list[str], dest: Path, drop: frozenset[str] = frozenset()
) -> None:
    """Write the reduced library: the listed modules (and their packages) from `full`, minus
    `drop` (a test build leaves one out on purpose), the guard and the names left out."""
    with zipfile.ZipFile(full) as zf:
        members = library(zf)
        unknown = [name for name in modules if name not in members]
        if unknown:
            raise DataError(
                f"{MODULES_FILE.relative_to(ROOT)}: not in Pyodide's standard library: "
                f"{', '.join(unknown[:10])} (run scripts/stdlib_modules.py)"
            )
        keep = set()
        for name in modules:
            parts = name.split(".")
            keep |= {".".join(parts[: i + 1]) for i in range(len(parts))}
        keep -= drop
        omitted = sorted(set(members) - keep)
        dest.parent.mkdir(parents=True, exist_ok=True)
        part = dest.with_suffix(".part")
        with zipfile.ZipFile(part, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out:
            for name in sorted(keep):
                info = zipfile.ZipInfo(members[name], FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, zf.read(members[name]))
            for member, data in (
                (f"{GUARD_MODULE}.py", GUARD_FILE.read_bytes()),
                (OMITTED_NAME, ("\n".join(omitted) + "\n").encode()),
            ):
                info = zipfile.ZipInfo(member, FIXED_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                out.writestr(info, data)
        part.replace(dest)


def build_reduced(drop: frozenset[str] = frozenset()) -> Path:
    """The reduced library for the current inputs, cached by their hash."""
    if not FULL_STDLIB.exists():
        raise DataError(f"{FULL_STDLIB} is missing: run `make setup` (npm ci) first")
    digest = hashlib.sha256()
    for path in (FULL_STDLIB, MODULES_FILE, GUARD_FILE, Path(__file__)):
        digest.update(path.read_bytes())
    digest.update(",".join(sorted(drop)).encode())
    cached = CACHE / digest.hexdigest()[:16] / "python_stdlib.zip"
    if not cached.exists():
        reduced_zip(FULL_STDLIB, read_modules(), cached, drop)
    return cached


def register(env) -> None:
    pass


def on_post_build(env) -> None:
    import os
    import shutil

    site = Path(env.conf["site_dir"])
    # CSE_STDLIB_DROP: test builds only (tests/test_stdlib.py), a module left out on purpose.
    drop = frozenset(filter(None, os.environ.get("CSE_STDLIB_DROP", "").split(",")))
    for src, rel in ((build_reduced(drop), REDUCED_PATH), (FULL_STDLIB, FULL_PATH)):
        (site / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, site / rel)
