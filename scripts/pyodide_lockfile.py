"""Write the site's pyodide-lock.json: Pyodide's own lockfile with the tools wheel added.

    python scripts/pyodide_lockfile.py INPUT_LOCK OUTPUT_LOCK WHEEL_URL WHEEL

Uses pyodide-lock (installed with pyodide-build), the library behind `pyodide lockfile
add-wheels`: it checks that the wheel suits the lockfile's Python and platform, records its name,
version, imports and sha256, and resolves its dependencies against the lockfile. The result keeps
only what this site serves (the tools package and what it depends on), so the browser fetches a
small lockfile and can load nothing else by name. WHEEL_URL is where the wheel is served, relative
to the lockfile (e.g. ../assets/wheels/).

Runs under Python 3.12 or newer (pyodide-lock needs it), from .venv-pyodide: see the Makefile and
macros/build.py, which calls it during `mkdocs build`.
"""

from __future__ import annotations

import sys
from pathlib import Path

from pyodide_lock import PyodideLockSpec
from pyodide_lock.utils import add_wheels_to_spec


def site_lockfile(source: Path, wheel: Path, wheel_url: str) -> PyodideLockSpec:
    spec = add_wheels_to_spec(PyodideLockSpec.from_json(source), [wheel], base_url=wheel_url)
    added = [
        name for name, package in spec.packages.items() if package.file_name.endswith(wheel.name)
    ]
    keep: set[str] = set()
    todo = list(added)
    while todo:
        name = todo.pop()
        if name not in keep:
            keep.add(name)
            todo += spec.packages[name].depends
    spec.packages = {name: spec.packages[name] for name in sorted(keep)}
    return spec


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print(__doc__.strip().splitlines()[2].strip(), file=sys.stderr)
        return 2
    source, output, wheel_url, wheel = Path(argv[0]), Path(argv[1]), argv[2], Path(argv[3])
    output.parent.mkdir(parents=True, exist_ok=True)
    site_lockfile(source, wheel, wheel_url).to_json(output, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
