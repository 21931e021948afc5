"""Material's search, in the real browser, finds the right page for what practitioners type.

Each query is typed into the site's search box on the home page, as a reader would (press `/`
to open search, then type). The test waits for Material's search worker to settle, reads the
page links of the first three result groups, and checks that an expected page is among them.

Some questions have more than one right answer (for example "who do I refer to" is answered by
the safeguarding hub chapter and by the contacts page), so each query lists the pages that
would satisfy a reader. The hit rate is printed; every query must hit.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

import pytest

pytestmark = pytest.mark.browser

TOP = 3

# (what a practitioner types, pages that answer it: site-relative directory URLs)
QUERIES: list[tuple[str, tuple[str, ...]]] = [
    ("child keeps going missing", ("guidance/pathway/", "procedure/02-risk-and-vulnerability-indicators/", "guidance/risk-indicators/")),
    ("older boyfriend picking her up", ("guidance/risk-indicators/", "guidance/models-of-exploitation/")),
    ("who do I refer to", ("procedure/05-safeguarding-hub-and-oversight/", "contacts/", "guidance/pathway/")),
    ("what is category 2", ("guidance/categories/", "procedure/01-definition-and-categories/")),
    ("what does category 3 trigger", ("guidance/categories/", "procedure/01-definition-and-categories/")),
    ("taxi driver", ("guidance/disruption/",)),
    ("child abduction warning notice", ("guidance/disruption/",)),
    ("sexting images", ("procedure/02-risk-and-vulnerability-indicators/", "guidance/risk-indicators/")),
    ("online grooming", ("procedure/02-risk-and-vulnerability-indicators/", "guidance/models-of-exploitation/")),
    ("return home interview", ("guidance/pathway/", "procedure/02-risk-and-vulnerability-indicators/", "glossary/")),
    ("hotel", ("guidance/disruption/",)),
    ("what is MACE", ("procedure/05-safeguarding-hub-and-oversight/", "glossary/")),
    ("safeguarding hub referral", ("procedure/05-safeguarding-hub-and-oversight/",)),
    ("court special measures", ("procedure/09-legislation-disruption-prosecution/",)),
    ("looked after child placement", ("procedure/08-admission-to-care/",)),
    ("secure accommodation", ("procedure/08-admission-to-care/",)),
    ("trafficking", ("procedure/09-legislation-disruption-prosecution/", "guidance/models-of-exploitation/")),
    ("consent under 16", ("procedure/01-definition-and-categories/", "strategy/")),
    ("definition of CSE", ("procedure/01-definition-and-categories/",)),
    ("boyfriend model", ("guidance/models-of-exploitation/",)),
    ("county lines", ("guidance/changes-in-guidance/", "guidance/models-of-exploitation/")),
    ("contextual safeguarding", ("guidance/changes-in-guidance/",)),
    ("disclosure what to do", ("procedure/02-risk-and-vulnerability-indicators/", "procedure/06-assessing-needs/")),
    ("escalation process", ("guidance/case-concern-process/",)),
    ("who is the LADO", ("glossary/", "contacts/")),
    ("licensed premises", ("guidance/disruption/",)),
    ("training levels", ("training/",)),
    ("action plan RAG", ("strategy/action-plan/",)),
]

# The first link in each result group is the page (or its best section); keep only the page path.
RESULT_LINKS = """els => els.map(e => {
  const a = e.querySelector('a.md-search-result__link');
  return a ? a.href : '';
})"""


def _page_path(href: str, base_path: str) -> str:
    path = urlsplit(href).path
    return path[len(base_path):] if path.startswith(base_path) else path.lstrip("/")


def search(page, base_url: str, query: str, settle: float = 0.2, timeout: float = 15.0) -> list[str]:
    """Type `query` into Material's search on the home page; return result page paths in order."""
    page.goto(base_url, wait_until="load")
    page.keyboard.press("/")  # Material's shortcut; the same as clicking the search label
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    box.press_sequentially(query)
    page.wait_for_selector(".md-search-result__item", timeout=timeout * 1000)
    # Results arrive from a worker after each keystroke: wait until two readings agree.
    deadline = time.monotonic() + timeout
    last: list[str] | None = None
    while time.monotonic() < deadline:
        time.sleep(settle)
        current = page.eval_on_selector_all(".md-search-result__item", RESULT_LINKS)
        if current and current == last:
            break
        last = current
    base_path = urlsplit(base_url).path
    return [_page_path(href, base_path) for href in (last or [])]


def test_practitioner_queries_find_the_right_page(page, base_url, record_property, capsys):
    assert len(QUERIES) >= 15
    misses = []
    rows = []
    for query, expected in QUERIES:
        top = search(page, base_url, query)[:TOP]
        hit = any(path in expected for path in top)
        rows.append(f"{'HIT ' if hit else 'MISS'}  {query!r:36} -> {', '.join(top) or '(no results)'}")
        if not hit:
            misses.append(f"{query!r}: expected one of {expected}, got {top}")
    hits = len(QUERIES) - len(misses)
    rate = hits / len(QUERIES)
    record_property("search_hit_rate", f"{hits}/{len(QUERIES)}")
    with capsys.disabled():
        print(f"\nsearch hit rate: {hits}/{len(QUERIES)} ({rate:.0%}) in the top {TOP}")
        for row in rows:
            print("  " + row)
    assert page.watch.page_errors == []
    assert not misses, "search misses:\n" + "\n".join(misses)
