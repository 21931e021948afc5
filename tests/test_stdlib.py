"""The tools' reduced standard library (macros/stdlib.py, tools/stdlib/modules.txt).

- Every tool flow (tests/tool_flows.py) runs in Pyodide under Node from the REDUCED library,
  started as the worker starts it, and gives CPython's replies; its guard saw no import of a
  left-out module.
- The module list is what scripts/stdlib_modules.py writes today (stale otherwise).
- The zip holds exactly the listed modules (and their packages), deflated, with the guard.
- The guard records an import of a left-out module, and only of one (in CPython, on a small zip).
- In Chromium, a build whose reduced library lacks a module the tools need: the worker starts
  again from the full library, and the page keeps its answers and shows the result.
"""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from helpers import build_site
from traffic import start_recording

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT / "scripts")]

import stdlib_modules  # noqa: E402  scripts/stdlib_modules.py
from cse_tools.browser import handle  # noqa: E402
from macros import stdlib  # noqa: E402
from tool_flows import every_flow, volatile  # noqa: E402


@pytest.fixture(scope="module")
def reduced() -> Path:
    return stdlib.build_reduced()


@pytest.fixture(scope="module")
def reduced_run(reduced) -> tuple[list[str], dict]:
    cases = every_flow()
    return cases, stdlib_modules.run(cases, stdlib=reduced)


@pytest.mark.node
def test_every_tool_flow_runs_from_the_reduced_library(reduced_run):
    cases, out = reduced_run
    assert out["python"].startswith("3.14") and out["installed"] == "0.1.0"
    assert "_cse_stdlib" in out["modules"]  # it was the reduced library
    assert out["missed"] == []
    assert len(out["outputs"]) == len(cases) > 400
    for case, reply in zip(cases, out["outputs"]):
        if volatile(case):
            assert json.loads(reply)["ok"] is json.loads(handle(case))["ok"], case[:200]
        else:
            assert reply == handle(case), case[:200]
    ops = {json.loads(c).get("op") for c in cases if c.startswith("{")}
    assert {"assess", "plan", "save", "load", "save_plan", "load_plan", "overdue"} <= ops
    assert {"meeting", "save_meeting", "meeting_calendar", "meeting_review", "profile"} <= ops
    replies = [json.loads(r) for r in out["outputs"]]
    assert {r["result"]["level"] for r in replies if r.get("result")} == {0, 1, 2, 3}
    assert sum(1 for r in replies if not r["ok"]) >= 20  # the error paths too
    listed = set(stdlib.read_modules())
    assert set(out["modules"]) - {"_cse_stdlib"} <= listed


@pytest.mark.node
def test_the_module_list_is_what_the_script_writes_today():
    text = stdlib_modules.modules_text()
    assert stdlib.MODULES_FILE.read_text(encoding="utf-8") == text, (
        "tools/stdlib/modules.txt is stale: run .venv/bin/python scripts/stdlib_modules.py"
    )


def test_the_zip_holds_the_listed_modules_deflated_with_the_guard(reduced):
    modules = stdlib.read_modules()
    with zipfile.ZipFile(stdlib.FULL_STDLIB) as full:
        everything = stdlib.library(full)
    with zipfile.ZipFile(reduced) as zf:
        held = stdlib.library(zf)
        omitted = set(zf.read(stdlib.OMITTED_NAME).decode().split())
        infos = zf.infolist()
        assert zf.read("_cse_stdlib.py") == stdlib.GUARD_FILE.read_bytes()
    assert set(held) - {"_cse_stdlib"} == set(modules)
    assert {"json", "encodings.utf_8", "_pyodide", "pyodide", "statistics", "csv"} <= set(held)
    assert {"email", "asyncio", "json", "tarfile"} & set(held)  # Pyodide's loader needs some
    assert {"tkinter", "sqlite3", "unittest", "pydoc", "http.server", "xml"}.isdisjoint(held)
    assert omitted == set(everything) - set(held)
    assert all(info.compress_type == zipfile.ZIP_DEFLATED for info in infos)
    assert reduced.stat().st_size < stdlib.FULL_STDLIB.stat().st_size * 0.5


def test_a_bad_module_list_fails_naming_the_line(tmp_path):
    bad = tmp_path / "modules.txt"
    bad.write_text("# header\njson\nnot a-module\n")
    with pytest.raises(stdlib.DataError, match="line 3"):
        stdlib.read_modules(bad)


def test_the_guard_records_only_left_out_modules(tmp_path):
    full = tmp_path / "full.zip"
    with zipfile.ZipFile(full, "w") as zf:
        zf.writestr("kept_mod.py", "VALUE = 1\n")
        zf.writestr("left_out.py", "VALUE = 2\n")
    out = tmp_path / "reduced.zip"
    stdlib.reduced_zip(full, ["kept_mod"], out)
    code = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(out)!r})\n"
        "import _cse_stdlib\n_cse_stdlib.install()\nimport kept_mod\n"
        "for name in ('left_out', 'no_such_module_anywhere'):\n"
        "    try:\n        __import__(name)\n    except ImportError:\n        pass\n"
        "print(json.dumps(_cse_stdlib.missed()))\n"
    )
    run = subprocess.run(
        [sys.executable, "-I", "-c", code], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == ["left_out"]


@pytest.mark.parametrize(
    "drop",
    [
        "statistics",  # imported with the tools: Python cannot start from this library
        "importlib.resources.readers",  # imported inside a request (the definitions load)
    ],
)
def test_a_missing_module_restarts_python_from_the_full_library(browser, tmp_path, drop):
    site = tmp_path / "site"
    run = build_site(site, env={"CSE_STDLIB_DROP": drop})
    assert run.returncode == 0, run.stderr[-2000:]
    with zipfile.ZipFile(site / stdlib.REDUCED_PATH) as zf:
        assert drop not in stdlib.library(zf)
    server, url, traffic = start_recording(site)
    context = browser.new_context(service_workers="block")
    try:
        page = context.new_page()
        page.goto(url + "tools/screening/")
        page.fill("input[name=age]", "14")  # typed before Python is ready
        page.check("input[name=disclosure][value=yes]")
        page.locator("[data-result][data-level='3']").wait_for(timeout=120_000)
        page.locator("html[data-python-library=full]").wait_for(state="attached", timeout=30_000)
        assert page.input_value("input[name=age]") == "14"
        assert page.is_checked("input[name=disclosure][value=yes]")
        sent = traffic.paths(200)
        assert sent.count("pyodide/python_stdlib.zip") == 1
        assert sent.count("pyodide/full/python_stdlib.zip") == 1
    finally:
        context.close()
        server.shutdown()
