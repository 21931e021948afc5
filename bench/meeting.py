"""Time to merge many agencies' files with cse_tools.meeting (CPython): `.venv/bin/python bench/meeting.py`.

50 files: 25 risk assessments (every question answered) and 25 safety plans of 200 rows, all
about one child. Prints the median of 5 runs of meeting.merge, and of the page's "meeting"
request (merge plus the public record as JSON). Prints figures; never fails on them. In the
browser the same code runs in the worker (Pyodide is slower than CPython, typically 2-4 times).
"""

from __future__ import annotations

import json
import statistics
import time

from cse_tools import browser, files, meeting, planning
from cse_tools.catalog import default_catalog

CATALOG = default_catalog()
RISK = CATALOG["risk-assessment"]


def sources(n: int = 50) -> list[tuple[str, str]]:
    out = []
    ids = [q.id for _s, q in RISK.questions()]
    for i in range(n // 2):
        answers = {qid: ("yes", "no", "unknown")[(i + j) % 3] for j, qid in enumerate(ids)}
        doc = files.answers_document(
            RISK,
            14,
            answers,
            {"said": f"Account {i}"},
            saved_at=f"2026-11-{i % 28 + 1:02d}T10:00:00Z",
            case={"reference": "RC-1042", "agency": f"Agency {i}"},
        )
        out.append((f"assessment-{i}.json", files.dump(doc)))
    import datetime as dt

    base = planning.draft_plan(RISK, 14, {qid: "yes" for qid in ids}, dt.date(2026, 12, 2))
    template = base["rows"][0]
    for i in range(n // 2):
        rows = [
            dict(
                template,
                risk=ids[k % len(ids)],
                action=f"Action {k % 50}",
                lead_agency=f"Agency {i}",
            )
            for k in range(files.MAX_ROWS)
        ]
        plan = files.parse_plan(
            base
            | {
                "rows": rows,
                "saved_at": f"2026-11-30T10:{i:02d}:00Z",
                "case": {"reference": "RC-1042", "agency": f"Agency {i}"},
            },
            CATALOG,
        )
        out.append((f"plan-{i}.json", files.dump(plan)))
    return out


def median(fn, runs: int = 5) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    src = sources()
    chars = sum(len(text) for _n, text in src)
    request = json.dumps(
        {"op": "meeting", "files": [{"name": n, "text": t} for n, t in src], "today": "2026-12-02"}
    )
    print(f"{len(src)} files, {chars / 1e6:.1f} million characters")
    print(
        f"meeting.merge:              {median(lambda: meeting.merge(src, CATALOG)) * 1000:7.0f} ms (median of 5)"
    )
    print(
        f"browser.handle('meeting'): {median(lambda: browser.handle(request)) * 1000:7.0f} ms (median of 5)"
    )


if __name__ == "__main__":
    main()
