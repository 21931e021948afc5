"""The same engine in real Pyodide (Python 3.14, under Node) and in an installed wheel.

The wheel and its lockfile are made by the site build's own functions (macros.build.build_wheel,
write_lockfile), laid out as on the site (pyodide/pyodide-lock.json, assets/wheels/), and Pyodide
loads the tools by name from that lockfile, as the site's worker does. Pyodide is loaded once, in
one Node process that runs every case.
"""

from __future__ import annotations

import importlib
import json
import shutil
import subprocess
import sys
import types
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NODE_SCRIPT = ROOT / "tests" / "node" / "run_cases.mjs"
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cse_tools.browser import handle  # noqa: E402
from cse_tools.catalog import bundle_json, default_catalog  # noqa: E402
from tool_flows import CASES, make_cases, worked_case_requests  # noqa: E402


def _macros_build():
    """macros.build; if the macros package cannot be imported whole yet (other modules of it
    missing), load just macros.build and macros.data without its __init__."""
    try:
        import macros.build as build
    except ImportError:
        saved = {
            k: sys.modules.pop(k)
            for k in list(sys.modules)
            if k == "macros" or k.startswith("macros.")
        }
        stub = types.ModuleType("macros")
        stub.__path__ = [str(ROOT / "macros")]
        sys.modules["macros"] = stub
        try:
            build = importlib.import_module("macros.build")
        finally:
            for key in [k for k in sys.modules if k == "macros" or k.startswith("macros.")]:
                del sys.modules[key]
            sys.modules.update(saved)
    return build


@pytest.fixture(scope="session")
def wheel() -> Path:
    path = _macros_build().build_wheel()
    assert path.exists() and path.name == "cse_tools-0.1.0-py3-none-any.whl"
    with zipfile.ZipFile(path) as zf:
        names = zf.namelist()
    assert "cse_tools/data/definitions.json" in names and "cse_tools/browser.py" in names
    return path


@pytest.fixture(scope="session")
def lockfile(wheel, tmp_path_factory) -> Path:
    """The site's layout in a temporary folder: pyodide/pyodide-lock.json and assets/wheels/."""
    build = _macros_build()
    folder = tmp_path_factory.mktemp("lockfile-site")
    (folder / build.WHEELS_DIR).mkdir(parents=True)
    shutil.copy2(wheel, folder / build.WHEELS_DIR / wheel.name)
    path = build.write_lockfile(wheel, folder / build.LOCKFILE)
    lock = json.loads(path.read_text(encoding="utf-8"))
    entry = lock["packages"]["cse-tools"]
    assert entry["file_name"] == f"../assets/wheels/{wheel.name}" and entry["imports"] == [
        "cse_tools"
    ]
    assert (path.parent / entry["file_name"]).resolve() == (
        folder / build.WHEELS_DIR / wheel.name
    ).resolve()
    assert lock["info"]["python"].startswith("3.14")
    return path


def test_lockfile_pins_the_served_wheel_by_sha256(lockfile, wheel):
    import hashlib

    entry = json.loads(lockfile.read_text(encoding="utf-8"))["packages"]["cse-tools"]
    assert entry["sha256"] == hashlib.sha256(wheel.read_bytes()).hexdigest()
    assert entry["version"] == "0.1.0" and entry["depends"] == []


@pytest.fixture(scope="session")
def pyodide_run(lockfile, tmp_path_factory) -> tuple[list[str], dict]:
    if shutil.which("node") is None:
        pytest.fail("node is not installed (needed for the Pyodide tests)")
    if not (ROOT / "node_modules" / "pyodide" / "pyodide.mjs").exists():
        pytest.fail("node_modules/pyodide is missing: run `make setup` (npm ci)")
    cases = make_cases()
    folder = tmp_path_factory.mktemp("pyodide")
    cases_path, out_path = folder / "cases.json", folder / "out.json"
    cases_path.write_text(json.dumps(cases, ensure_ascii=False), encoding="utf-8")
    run = subprocess.run(
        ["node", str(NODE_SCRIPT), str(lockfile), str(cases_path), str(out_path)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
    )
    if run.returncode != 0:
        pytest.fail(f"node/Pyodide run failed:\n{run.stdout[-2000:]}\n{run.stderr[-4000:]}")
    return cases, json.loads(out_path.read_text(encoding="utf-8"))


@pytest.mark.node
def test_pyodide_is_python_3_14_and_uses_the_bundled_definitions(pyodide_run):
    _cases, out = pyodide_run
    assert out["python"].startswith("3.14"), out["python"]
    assert "site-packages" in out["module"]
    assert out["installed"] == "0.1.0"  # installed as a package (with its metadata), not unpacked
    assert out["origin"] == "bundle"
    assert out["bundle"] == bundle_json(default_catalog())


@pytest.mark.node
def test_pyodide_gives_the_same_replies_as_cpython(pyodide_run):
    cases, out = pyodide_run
    assert len(cases) >= CASES and len(out["outputs"]) == len(cases)
    expected = [handle(text) for text in cases]
    mismatches = [i for i, (a, b) in enumerate(zip(out["outputs"], expected)) if a != b]
    assert not mismatches, f"{len(mismatches)} differ; first: {cases[mismatches[0]][:300]}"
    replies = [json.loads(text) for text in expected]
    ok = sum(1 for r in replies if r["ok"])
    levels = {r["result"]["level"] for r in replies if r["ok"] and "result" in r}
    assert ok > len(cases) // 2 and levels == {0, 1, 2, 3}  # the batch exercises every level
    assert len(cases) - ok >= 10  # ... and errors too


@pytest.mark.node
def test_pyodide_gives_the_expected_category_for_every_worked_case(pyodide_run):
    cases, out = pyodide_run
    worked = worked_case_requests()
    replies = [json.loads(text) for text in out["outputs"][-len(worked) :]]
    assert [json.loads(text) for text in cases[-len(worked) :]] == [
        request for request, _ in worked
    ]
    assert [reply["result"]["level"] for reply in replies] == [expected for _, expected in worked]


def test_installed_wheel_loads_the_bundle_in_cpython(wheel, tmp_path):
    """Unpacked like an install (no tools/definitions beside it): default_catalog reads the JSON."""
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(tmp_path)
    code = (
        "import json, cse_tools\n"
        "from cse_tools.catalog import catalog_origin, default_catalog, bundle_json\n"
        "print(json.dumps([cse_tools.__file__, catalog_origin(), bundle_json(default_catalog())]))\n"
    )
    run = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path), "PATH": "/usr/bin:/bin"},
        timeout=120,
    )
    assert run.returncode == 0, run.stderr
    module, origin, bundle = json.loads(run.stdout)
    assert module.startswith(str(tmp_path)) and origin == "bundle"
    assert bundle == bundle_json(default_catalog())
