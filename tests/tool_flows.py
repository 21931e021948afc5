"""Every tool flow as requests for cse_tools.browser.handle, from fixed seeds: what the Pyodide
tests run under Node (tests/test_pyodide_node.py) and what scripts/stdlib_modules.py traces to
find the standard-library modules the tools import.

- `make_cases()`: assessments (random answers on both tools, every level, bad ages and answers),
  plan drafting, saving and reading answers and plans (a version 3 file refused), overdue items,
  the rules tables, the definitions, and the worked cases (tests/data/vignettes.yaml).
- `meeting_cases()`: the meeting merge (three agencies, a plan), its saved file read back, the
  calendar, the record check, different children refused, bad files skipped, no files.
- `profile_cases()`: the partnership profile over a year of files, by month and quarter, and a
  bad request.
- `every_flow()`: all of them, and requests that are not requests at all.
Replies that carry the time of the run (the calendar's stamp) are in `VOLATILE_OPS`.
"""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from cse_tools import files  # noqa: E402
from cse_tools.browser import handle  # noqa: E402
from cse_tools.catalog import default_catalog  # noqa: E402
from cse_tools.checks import allowed_answers  # noqa: E402

SEED = 20250310
CASES = 300
VOLATILE_OPS = {"meeting_calendar"}  # the reply holds the time it was made


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


def _answers_file(tool_id: str, answers: dict, agency: str, reference: str = "RC-1042") -> str:
    doc = files.answers_document(
        default_catalog()[tool_id],
        14,
        answers,
        {},
        saved_at="2026-11-20T10:00:00Z",
        case={"reference": reference, "agency": agency},
    )
    return files.dump(doc)


def meeting_cases() -> list[dict]:
    """The meeting page's requests: a merge of three agencies' files and a plan, saved and read
    back, its calendar and record check; different children; bad and missing files."""
    sources = [
        {
            "name": "school.json",
            "text": _answers_file(
                "screening", {"missing_episodes": "yes", "school_absence": "yes"}, "School"
            ),
        },
        {
            "name": "police.json",
            "text": _answers_file(
                "risk-assessment",
                {"missing_episodes": "past", "older_partner": "yes", "trusted_adult": "yes"},
                "Police",
            ),
        },
        {
            "name": "health.json",
            "text": _answers_file("screening", {"sexual_health": "past"}, "Health"),
        },
    ]
    plan = json.loads(
        handle(
            json.dumps(
                {
                    "op": "plan",
                    "tool": "risk-assessment",
                    "age": 14,
                    "answers": {"older_partner": "yes"},
                    "today": "2026-11-20",
                }
            )
        )
    )["plan"]
    saved_plan = json.loads(
        handle(json.dumps({"op": "save_plan", "plan": plan, "saved_at": "2026-11-21T09:00:00Z"}))
    )["text"]
    sources.append({"name": "plan.json", "text": saved_plan})
    base = {"files": sources, "today": "2026-12-02"}
    record = json.loads(handle(json.dumps({"op": "meeting", **base})))["meeting"]["record"]
    record = {**record, "agreed_level": 3, "reason": "Agreed at the meeting ✓"}
    saved = {"op": "save_meeting", **base, "record": record, "saved_at": "2026-12-02T12:00:00Z"}
    meeting_text = json.loads(handle(json.dumps(saved)))["text"]
    other_child = _answers_file("screening", {"missing_episodes": "yes"}, "School", "ZZ-9")
    return [
        {"op": "meeting", **base},
        saved,
        {"op": "meeting", "files": [{"name": "meeting.json", "text": meeting_text}]},
        {"op": "meeting_calendar", **base, "record": record},
        {"op": "meeting_review", "record": record, "level": 3, "tool": "risk-assessment"},
        {"op": "meeting_review", "record": {"agreed_level": 1}, "level": 3, "tool": "screening"},
        {"op": "meeting", "files": [sources[0], {"name": "other.json", "text": other_child}]},
        {
            "op": "meeting",
            "files": [sources[0], {"name": "other.json", "text": other_child}],
            "same_child": True,
        },
        {"op": "meeting", "files": [sources[0], {"name": "bad.json", "text": "{not json"}]},
        {"op": "meeting", "files": []},
        {"op": "save_meeting", "files": "not a list"},
    ]


def profile_cases() -> list[dict]:
    """The partnership profile's requests: a year of files by month and by quarter, a bad one."""
    from profile_support import year_of_files

    sources = [{"name": name, "text": text} for name, text in year_of_files(60, seed=7)]
    sources.append({"name": "bad.json", "text": '{"format": "something else"}'})
    return [
        {"op": "profile", "files": sources, "today": "2026-12-02"},
        {"op": "profile", "files": sources[:20], "today": "2026-12-02", "period": "quarter"},
        {"op": "profile", "files": "not a list"},
        {"op": "profile", "files": [], "period": "week"},
    ]


def every_flow() -> list[str]:
    """Request texts for every flow of every tool page, and some that are not requests."""
    extra = meeting_cases() + profile_cases()
    nonsense = ["not json", json.dumps([1, 2]), json.dumps({"op": "no such op"})]
    return make_cases() + [json.dumps(r, ensure_ascii=False) for r in extra] + nonsense


def volatile(request_text: str) -> bool:
    try:
        request = json.loads(request_text)
    except ValueError:
        return False
    return isinstance(request, dict) and request.get("op") in VOLATILE_OPS
