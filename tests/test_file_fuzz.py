"""Every file parser against hostile files: any JSON shape, huge, deeply nested, and real files with
one field replaced by anything. The only error allowed is the plain input error (FileFormatError,
an InputError), and every parse is timed: the slowest is printed (see notes in MAINTAINERS.md).

Parsers covered: files.read_json, files.parse_answers, files.parse_plan (safety and disruption),
and the browser ops that read files or plans: load, load_plan, overdue, save_plan.
"""

from __future__ import annotations

import re

import datetime as dt
import json
import time

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cse_tools import fields, files, planning
from cse_tools.browser import handle
from cse_tools.catalog import default_catalog
from cse_tools.errors import InputError

CATALOG = default_catalog()
TODAY = dt.date(2025, 3, 20)
STATS = {"files": 0, "slowest": 0.0, "slowest_size": 0, "largest": 0, "largest_time": 0.0}
# Generous: a parse of the biggest file the page accepts takes well under 0.1 s on this machine.
# The bound only catches a freeze (a quadratic loop, a runaway recursion), never normal noise.
FREEZE = 5.0


def parse_everything(text: str) -> None:
    """Run every parser on the text; only a plain input error may come out."""
    started = time.perf_counter()
    for parse in (
        lambda d: files.parse_answers(d, CATALOG),
        lambda d: files.parse_plan(d, CATALOG),
    ):
        try:
            doc = files.read_json(text)
            canonical = parse(doc)
        except InputError as exc:
            assert exc.plain and "\n" not in exc.plain, exc.plain
            assert len(exc.plain) < 400, exc.plain[:200]
            continue
        if "format" in canonical and canonical["format"] != files.ANSWERS_FORMAT:
            planning.overdue(canonical, TODAY)
    for op in ("load", "load_plan", "overdue"):
        reply = json.loads(
            handle(json.dumps({"op": op, "text": text, "plan": text, "today": "2025-03-20"}))
        )
        assert reply["ok"] in (True, False)
        if not reply["ok"]:
            assert not reply["error"].startswith("Something went wrong"), reply["error"][:300]
    took = time.perf_counter() - started
    STATS["files"] += 1
    if took > STATS["slowest"]:
        STATS["slowest"], STATS["slowest_size"] = took, len(text)
    if len(text) >= STATS["largest"]:
        STATS["largest"], STATS["largest_time"] = len(text), took
    assert took < FREEZE, f"{len(text)} characters took {took:.2f} s"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20),
    lambda inner: (
        st.lists(inner, max_size=6) | st.dictionaries(st.text(max_size=12), inner, max_size=6)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=JSON)
def test_any_json_shape_gives_only_the_plain_error(doc):
    parse_everything(json.dumps(doc))


@settings(max_examples=200, deadline=None)
@given(text=st.text(max_size=200))
def test_any_text_gives_only_the_plain_error(text):
    parse_everything(text)


def real_files() -> dict[str, dict]:
    """One good file of each kind, as the pages save them."""
    answers = json.loads(
        json.loads(
            handle(
                json.dumps(
                    {
                        "op": "save",
                        "tool": "risk-assessment",
                        "age": 13,
                        "answers": {"missing_episodes": "yes"},
                        "notes": {"risk_indicators": "Seen at the station."},
                        "review_date": "2025-04-01",
                        "facts": {"missing_episodes": {"how_often": "weekly", "overnight": "Yes"}},
                        "case": {"reference": "AB", "date": "2025-03-10"},
                        "saved_at": "2025-03-10T09:30:00Z",
                    }
                )
            )
        )["text"]
    )
    drafted = json.loads(
        handle(
            json.dumps(
                {
                    "op": "plan",
                    "tool": "screening",
                    "age": 14,
                    "today": "2025-03-10",
                    "answers": {"missing_episodes": "yes", "disclosure": "yes"},
                }
            )
        )
    )["plan"]
    drafted["case"] = {
        "reference": "AB",
        "age": "14",
        "meeting_date": "2025-03-11",
        "attendees": "Sam\nJo",
    }
    safety = json.loads(
        json.loads(
            handle(
                json.dumps({"op": "save_plan", "plan": drafted, "saved_at": "2025-03-10T12:00:00Z"})
            )
        )["text"]
    )
    blank = json.loads(handle(json.dumps({"op": "plan", "tool": "disruption-tactics"})))["plan"]
    blank["case"] = {"chair": "Ms Lee"}
    disruption = json.loads(
        json.loads(
            handle(
                json.dumps({"op": "save_plan", "plan": blank, "saved_at": "2025-03-10T12:00:00Z"})
            )
        )["text"]
    )
    return {"answers": answers, "safety": safety, "disruption": disruption}


REAL = real_files()


def test_the_real_files_parse():
    for doc in REAL.values():
        parse_everything(json.dumps(doc))
    assert files.parse_plan(REAL["safety"], CATALOG)["rows"]


def paths(doc, prefix=()):
    """Every path to a value inside a document (keys and list positions)."""
    yield prefix
    if isinstance(doc, dict):
        for key, value in doc.items():
            yield from paths(value, (*prefix, key))
    elif isinstance(doc, list):
        for index, value in enumerate(doc):
            yield from paths(value, (*prefix, index))


def replaced(doc, path, value):
    if not path:
        return value
    copy = json.loads(json.dumps(doc))
    target = copy
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value
    return copy


@st.composite
def mutated_files(draw):
    """A real file with one value anywhere in it (a header field, a row, a tactic) replaced."""
    kind = draw(st.sampled_from(sorted(REAL)))
    doc = REAL[kind]
    path = draw(st.sampled_from(list(paths(doc))))
    return replaced(doc, path, draw(JSON))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(doc=mutated_files())
def test_a_real_file_with_any_field_replaced_gives_only_the_plain_error(doc):
    parse_everything(json.dumps(doc))


def nested(depth: int, open_: str, close: str, inner: str = "1") -> str:
    return open_ * depth + inner + close * depth


HUGE = {
    "deep list": nested(100_000, "[", "]"),
    "deep object": nested(100_000, '{"a":', "}"),
    "deep rows": json.dumps(dict(REAL["safety"], rows=[])).replace(
        '"rows": []', '"rows": ' + nested(50_000, "[", "]")
    ),
    "deep tool": json.dumps(dict(REAL["answers"], tool=[])).replace(
        '"tool": []', '"tool": ' + nested(900, "[", "]")
    ),
    "many rows": json.dumps(dict(REAL["safety"], rows=REAL["safety"]["rows"][:1] * 9_000)),
    "rows at the limit": json.dumps(
        dict(REAL["safety"], rows=REAL["safety"]["rows"][:1] * files.MAX_ROWS)
    ),
    "many tactics": json.dumps(
        dict(REAL["disruption"], tactics=REAL["disruption"]["tactics"][:1] * 5_000)
    ),
    "long text": json.dumps(dict(REAL["safety"], child_views="x" * 1_900_000)),
    "too big": json.dumps(dict(REAL["safety"], child_views="x" * 2_100_000)),
    "huge list": "[" + ",".join(["0"] * 600_000) + "]",
    "many keys": json.dumps({f"k{i}": i for i in range(100_000)}),
    "big tool name": json.dumps(dict(REAL["answers"], tool="t" * 1_500_000)),
    "big number": json.dumps(dict(REAL["answers"], age=10**4000)).replace("Infinity", "1"),
}


@pytest.mark.parametrize("name", sorted(HUGE))
def test_huge_and_deeply_nested_files_give_only_the_plain_error(name):
    parse_everything(HUGE[name])


def test_limits_give_plain_messages():
    with pytest.raises(InputError) as big:
        files.read_json(HUGE["too big"])
    assert big.value.plain.startswith("This file is too big")
    with pytest.raises(InputError) as rows:
        files.parse_plan(json.loads(HUGE["many rows"]), CATALOG)
    assert rows.value.field == "rows" and "up to 200 rows" in rows.value.plain
    with pytest.raises(InputError) as tactics:
        files.parse_plan(json.loads(HUGE["many tactics"]), CATALOG)
    assert tactics.value.field == "tactics" and "up to 100 tactics" in tactics.value.plain
    assert (
        len(files.parse_plan(json.loads(HUGE["rows at the limit"]), CATALOG)["rows"])
        == files.MAX_ROWS
    )
    with pytest.raises(InputError) as deep:
        files.read_json(HUGE["deep list"])
    assert "nested too deeply" in deep.value.plain


@pytest.mark.parametrize(
    ("kind", "field", "value"),
    [
        ("answers", "tool_version", "1"),
        ("answers", "saved_at", 20250310),
        ("answers", "age", "13"),
        ("safety", "tool_version", [1]),
        ("safety", "saved_at", {"when": 1}),
        ("safety", "age", 99),
        ("safety", "age", "14"),
        ("safety", "level", 7),
        ("safety", "level", True),
        ("safety", "label", 3),
        ("safety", "provisional", "no"),
        ("safety", "start", "tomorrow"),
        ("safety", "immediate_action", []),
        ("safety", "judgement_note", 1),
        ("safety", "emergency_note", {}),
        ("disruption", "saved_at", 5),
        ("disruption", "next_review_meeting", "soon"),
    ],
)
def test_every_header_field_is_type_checked(kind, field, value):
    doc = dict(REAL[kind], **{field: value})
    with pytest.raises(InputError) as exc:
        (files.parse_answers if kind == "answers" else files.parse_plan)(doc, CATALOG)
    assert exc.value.field == field, exc.value


def test_zz_report():
    """Prints the figures for the notes (runs last in this file)."""
    print(
        f"\nfuzzed files: {STATS['files']}; slowest {STATS['slowest']:.3f} s ({STATS['slowest_size']} chars); "
        f"largest {STATS['largest']} chars in {STATS['largest_time']:.3f} s"
    )
    assert STATS["files"] > 0


def test_the_depth_is_counted_before_the_file_is_parsed(monkeypatch):
    """A 10 KB file nested 5,000 deep overflowed Pyodide's stack inside json.loads (a fatal error
    there, "Something went wrong" on the page): the depth is now counted on the text first, so
    the parser is never reached."""
    from cse_tools import nesting

    def never(*_args, **_kwargs):
        raise AssertionError("json.loads was reached")

    monkeypatch.setattr(files.json, "loads", never)
    for text in (nested(5_000, "[", "]"), nested(nesting.MAX_DEPTH + 1, '{"a":', "}")):
        with pytest.raises(InputError) as deep:
            files.read_json(text)
        assert "nested too deeply" in deep.value.plain
    # Brackets inside strings do not count; every real file is well within the limit.
    assert not nesting.too_deep(json.dumps({"note": "[" * 10_000}))
    assert not any(nesting.too_deep(json.dumps(doc)) for doc in REAL.values())


def test_a_text_box_longer_than_the_form_takes_is_refused():
    """A valid 600 KB file with a 100,000-line note froze the page while it was drawn: a box of
    text longer than the form takes is refused, with a plain message, before anything is drawn."""
    note = "line\n" * 100_000
    answers = dict(REAL["answers"], notes={"risk_indicators": note})
    with pytest.raises(InputError) as long_note:
        files.parse_answers(answers, CATALOG)
    assert long_note.value.field == "notes.risk_indicators"
    assert "more text than the form takes" in long_note.value.plain
    for doc, field in (
        (dict(REAL["safety"], child_views=note), "child_views"),
        (dict(REAL["safety"], rows=[dict(REAL["safety"]["rows"][0], notes=note)]), "rows[0].notes"),
        (dict(REAL["safety"], protective_factors=[note]), "protective_factors[0]"),
    ):
        with pytest.raises(InputError) as exc:
            files.parse_plan(doc, CATALOG)
        assert field in str(exc.value.field) and "more text" in exc.value.plain, exc.value
    at_limit = dict(REAL["safety"], child_views="x" * fields.MAX_TEXT_CHARS)
    assert files.parse_plan(at_limit, CATALOG)["child_views"] == at_limit["child_views"]


def test_the_page_counts_depth_as_python_does():
    from helpers import ROOT
    from cse_tools import nesting, protocol

    script = (ROOT / "docs" / "assets" / "js" / "tool-common.js").read_text(encoding="utf-8")
    assert (
        protocol.shared_constants()["MAX_DEPTH"] == nesting.MAX_DEPTH
    )  # the page's limit, from Python
    imported = re.search(r'^import \{([^}]*)\} from "\./cse-shared\.js";', script, re.M)
    assert imported and {"MAX_DEPTH", "MAX_FILE_BYTES"} <= {
        name.strip() for name in imported.group(1).split(",")
    }, "tool-common.js must take the limits from the protocol"
    assert 'new TextDecoder("utf-8", { fatal: true })' in script
