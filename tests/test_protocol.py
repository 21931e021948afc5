"""What the pages share with Python is written once, in cse_tools.protocol: the build writes it
into the site as an ES module, the pages import it, and browser.handle serves exactly its ops."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from cse_tools import browser, files, protocol
from cse_tools.model import CONCERN_ANSWERS

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(
    [
        *(ROOT / "docs" / "assets" / "js").glob("*.js"),
        *(ROOT / "overrides" / "partials" / "tools").glob("*.js"),
    ]
)
OWN_SCRIPTS = [p for p in SCRIPTS if not p.name.startswith("material-")]


def test_the_built_module_is_what_python_says(site_dir):
    built = site_dir / protocol.SHARED_MODULE
    assert built.read_text(encoding="utf-8") == protocol.es_module()


def test_node_reads_the_same_values_from_the_module(tmp_path):
    """The module is valid JavaScript and every value comes out as Python has it."""
    if shutil.which("node") is None:
        pytest.skip("node is not installed")
    module = tmp_path / "cse-shared.mjs"
    module.write_text(protocol.es_module(), encoding="utf-8")
    script = f"import * as shared from {json.dumps(module.as_uri())}; console.log(JSON.stringify(shared));"
    run = subprocess.run(
        ["node", "--input-type=module", "-e", script], capture_output=True, text=True, timeout=60
    )
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == protocol.shared_constants()


def test_the_shared_values_are_python_s_own():
    shared = protocol.shared_constants()
    assert shared["MAX_FILE_BYTES"] == files.MAX_FILE_CHARS
    assert shared["FILE_VERSION"] == files.FILE_VERSION
    assert set(shared["FORMATS"].values()) == set(files.FORMATS)
    assert shared["CONCERN_ANSWERS"] == list(CONCERN_ANSWERS)
    assert [kind for kind, _title in shared["GAP_GROUPS"]] == [
        "sign_of_harm",
        "risk_indicator",
        "vulnerability",
        "protective",
        "other",
    ]


def test_browser_handle_serves_exactly_the_protocol_s_ops():
    assert set(browser.HANDLERS) == set(protocol.OPS)


def test_every_reply_has_the_fields_the_protocol_names():
    requests = {
        "definitions": {},
        "explain": {"tool": "screening"},
        "assess": {"tool": "screening", "age": 14, "answers": {}},
        "save": {"tool": "screening", "age": 14, "answers": {}, "saved_at": "2026-12-02T10:00:00Z"},
        "plan": {
            "tool": "screening",
            "age": 14,
            "answers": {"missing_episodes": "yes"},
            "today": "2026-12-02",
        },
    }
    saved = json.loads(browser.handle(json.dumps({"op": "save", **requests["save"]})))
    plan = json.loads(browser.handle(json.dumps({"op": "plan", **requests["plan"]})))["plan"]
    requests["load"] = {"text": saved["text"]}
    requests["carry"] = {"tool": "risk-assessment", "source": saved["file"]}
    requests["save_plan"] = {"plan": plan, "saved_at": "2026-12-02T10:00:00Z"}
    saved_plan = json.loads(
        browser.handle(json.dumps({"op": "save_plan", **requests["save_plan"]}))
    )
    requests["load_plan"] = {"text": saved_plan["text"]}
    requests["overdue"] = {"plan": plan, "today": "2027-06-01"}
    opened = [{"name": "school.json", "text": saved["text"]}]
    requests["meeting"] = {"files": opened, "today": "2026-12-02"}
    requests["save_meeting"] = {
        "files": opened,
        "today": "2026-12-02",
        "saved_at": "2026-12-02T10:00:00Z",
    }
    requests["meeting_calendar"] = {"files": opened, "today": "2026-12-02"}
    requests["meeting_review"] = {"tool": "screening", "level": 1, "record": {"date": "2026-12-02"}}
    requests["profile"] = {"files": opened, "today": "2026-12-02", "period": "month"}
    assert set(requests) == set(protocol.OPS)
    for op, request in requests.items():
        assert set(request) <= set(protocol.OPS[op].request), op
        reply = json.loads(browser.handle(json.dumps({"op": op, **request})))
        assert reply["ok"] is True, (op, reply)
        assert set(reply) == {"ok", *protocol.OPS[op].reply}, op


def test_the_pages_scripts_restate_no_shared_value():
    """A format, the file limit or the file version written into a script would drift from Python."""
    for path in OWN_SCRIPTS:
        text = path.read_text(encoding="utf-8")
        assert "cse-tools/" not in text, f"{path.name} restates a file format"
        assert not re.search(r"\b2_?000_?000\b", text), f"{path.name} restates the file size limit"
        assert not re.search(r"FILE_VERSION\s*=", text), f"{path.name} restates the file version"


def test_the_worker_and_its_client_use_the_protocol_s_message_names():
    for name in ("tool-worker.js", "tools-client.js", "tool-page.js", "plan-page.js"):
        text = (ROOT / "docs" / "assets" / "js" / name).read_text(encoding="utf-8")
        assert 'from "./cse-shared.js"' in text, name
        assert not re.search(
            r"""type(?: ===|: |\s*!==)\s*["'](?:start|call|progress|ready|failed|reply|assessment)["']""",
            text,
        ), f"{name} writes a message type by hand"
        assert not re.search(r"""op: ["']""", text), f"{name} writes an op by hand"
