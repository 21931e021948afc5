"""The same engine in real Pyodide (Python 3.14, under Node) and in an installed wheel.

The wheel and its lockfile are made by the site build's own functions (macros.build.build_wheel,
write_lockfile), laid out as on the site (pyodide/pyodide-lock.json, assets/wheels/), and Pyodide
loads the tools by name from that lockfile, as the site's worker does. Pyodide is loaded once, in
one Node process that runs every case.
"""

from __future__ import annotations

import importlib
import json
import random
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
from cse_tools.checks import allowed_answers  # noqa: E402

SEED = 20250310
CASES = 300


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


def _random_answers(rnd: random.Random, tool) -> dict:
    """Mostly no/unknown, with a per-case rate of concerning answers, so every level turns up."""
    rate = rnd.choice([0.0, 0.03, 0.06, 0.12, 0.3])
    answers = {}
    for _section, question in tool.questions():
        roll = rnd.random()
        if roll < 0.25:
            continue
        if roll < 0.28:
            answers[question.id] = ""
        elif roll < 0.285:
            answers[question.id] = rnd.choice(["maybe", "past", "YES", 1])
        elif rnd.random() < rate:
            answers[question.id] = rnd.choice(
                [a for a in allowed_answers(question) if a in ("yes", "past")]
            )
        else:
            answers[question.id] = rnd.choice(["no", "no", "unknown"])
    return answers


def make_cases(seed: int = SEED, count: int = CASES) -> list[str]:
    """Request texts for browser.handle, from a fixed seed."""
    rnd = random.Random(seed)
    catalog = default_catalog()
    tools = [catalog["screening"], catalog["risk-assessment"]]
    requests: list[dict] = [{"op": "definitions"}] + [
        {"op": "explain", "tool": t} for t in sorted(catalog)
    ]
    while len(requests) < count:
        tool = rnd.choice(tools)
        age = rnd.choice(
            [
                None,
                "",
                rnd.randint(0, 17),
                rnd.randint(0, 17),
                str(rnd.randint(0, 17)),
                rnd.choice([25, -1, "abc", 14.5]),
            ]
            if rnd.random() < 0.2
            else [rnd.randint(0, 17)]
        )
        base = {"tool": tool.id, "age": age, "answers": _random_answers(rnd, tool)}
        kind = rnd.random()
        if kind < 0.6:
            requests.append(
                {"op": "assess", **base, "review_date": rnd.choice([None, "2025-06-01"])}
            )
        elif kind < 0.8:
            plan_request = {
                "op": "plan",
                **base,
                "today": f"2025-{rnd.randint(1, 12):02d}-{rnd.randint(1, 28):02d}",
                "facts": {"missing_episodes": {"longest": "2 nights", "overnight": "Yes"}},
            }
            requests.append(plan_request)
            reply = json.loads(handle(json.dumps(plan_request)))
            if reply["ok"]:
                save = {
                    "op": "save_plan",
                    "plan": reply["plan"],
                    "saved_at": "2025-03-10T10:00:00Z",
                }
                requests.append(save)
                text = json.loads(handle(json.dumps(save)))["text"]
                requests.append({"op": "load_plan", "text": text})
                requests.append({"op": "overdue", "plan": text, "today": "2025-09-30"})
        else:
            save = {
                "op": "save",
                **base,
                "notes": {tool.sections[0].id: "Written notes ✓"},
                "saved_at": "2025-03-10T10:00:00Z",
                "case": {"reference": "AB ✓", "date": "2025-03-10"},
                "facts": {
                    q.id: {q.facts[0].id: "twice ✓"} for _s, q in tool.questions() if q.facts
                },
            }
            requests.append(save)
            reply = json.loads(handle(json.dumps(save)))
            if reply["ok"]:
                text = reply["text"]
                if rnd.random() < 0.3:
                    text = text.replace('"version": 3', '"version": 4')
                requests.append({"op": "load", "text": text})
    requests += [
        {"op": "load", "text": "not a file"},
        {"op": "load_plan", "text": "{}"},
        {"op": "plan", "tool": "disruption-tactics"},
    ]
    requests += [request for request, _expected in worked_case_requests()]
    return [json.dumps(r, ensure_ascii=False) for r in requests]


def worked_case_requests() -> list[tuple[dict, int]]:
    """Every worked case (tests/data/vignettes.yaml) on both tools, with its expected category."""
    from macros.categories import case_answers, load_vignettes

    catalog = default_catalog()
    out = []
    for case in load_vignettes():
        for tool_id in ("screening", "risk-assessment"):
            answers = case_answers(catalog[tool_id], case["answers"])
            out.append(
                (
                    {"op": "assess", "tool": tool_id, "age": case["age"], "answers": answers},
                    case["expect"][tool_id],
                )
            )
    return out


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
