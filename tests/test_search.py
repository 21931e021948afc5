"""Material's search, in the real browser, finds the right page for what practitioners type.

Each query is typed into the site's search box on the home page, as a reader would (press `/`
to open search, then type). The test waits for Material's search worker to settle, reads the
page links of the first three result groups, and checks that an expected page is among them.

Some questions have more than one right answer (for example "who do I refer to" is answered by
the safeguarding hub chapter and by the contacts page), so each query lists the pages that
would satisfy a reader. The hit rate and every result are printed; the rate must reach 95%, the
searches the issue reported must hit, and no tool page may come first for a non-tool question.
The search box is opened once; each query replaces the last, as if pasted.

Ranking is tuned in data/search.yml (macros/search.py) and the search plugin's settings in mkdocs.yml.
"""

from __future__ import annotations

import json
from html import unescape
import time
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from macros.search import load_search

pytestmark = pytest.mark.browser

TOP = 3
TARGET = 0.95  # share of queries whose answer is in the top three

# (what a practitioner or parent types, pages that answer it: site-relative directory URLs).
# Words and phrases, including the terms and abbreviations of data/search.yml.
QUERIES: list[tuple[str, tuple[str, ...]]] = [
    (
        "child keeps going missing",
        (
            "guidance/pathway/",
            "procedure/02-risk-and-vulnerability-indicators/",
            "guidance/risk-indicators/",
            "guidance/missing-children/",
        ),
    ),
    (
        "older boyfriend picking her up",
        ("guidance/risk-indicators/", "guidance/models-of-exploitation/"),
    ),
    (
        "who do I refer to",
        ("procedure/05-safeguarding-hub-and-oversight/", "contacts/", "guidance/pathway/"),
    ),
    ("what is category 2", ("guidance/categories/", "procedure/01-definition-and-categories/")),
    (
        "what does category 3 trigger",
        ("guidance/categories/", "procedure/01-definition-and-categories/"),
    ),
    ("taxi driver", ("guidance/disruption/",)),
    ("child abduction warning notice", ("guidance/disruption/",)),
    (
        "sexting images",
        ("procedure/02-risk-and-vulnerability-indicators/", "guidance/risk-indicators/"),
    ),
    (
        "online grooming",
        ("procedure/02-risk-and-vulnerability-indicators/", "guidance/models-of-exploitation/"),
    ),
    (
        "return home interview",
        (
            "guidance/pathway/",
            "procedure/02-risk-and-vulnerability-indicators/",
            "glossary/",
            "guidance/missing-children/",
        ),
    ),
    ("hotel", ("guidance/disruption/",)),
    ("what is MACE", ("procedure/05-safeguarding-hub-and-oversight/", "glossary/")),
    ("safeguarding hub referral", ("procedure/05-safeguarding-hub-and-oversight/",)),
    ("court special measures", ("procedure/09-legislation-disruption-prosecution/",)),
    ("looked after child placement", ("procedure/08-admission-to-care/",)),
    ("secure accommodation", ("procedure/08-admission-to-care/",)),
    (
        "trafficking",
        ("procedure/09-legislation-disruption-prosecution/", "guidance/models-of-exploitation/"),
    ),
    ("consent under 16", ("procedure/01-definition-and-categories/", "strategy/")),
    ("definition of CSE", ("procedure/01-definition-and-categories/",)),
    ("boyfriend model", ("guidance/models-of-exploitation/",)),
    (
        "county lines",
        (
            "guidance/changes-in-guidance/",
            "guidance/models-of-exploitation/",
            "guidance/criminal-exploitation/",
        ),
    ),
    (
        "contextual safeguarding",
        ("guidance/changes-in-guidance/", "guidance/child-protection-stage/"),
    ),
    (
        "disclosure what to do",
        ("procedure/02-risk-and-vulnerability-indicators/", "procedure/06-assessing-needs/"),
    ),
    ("escalation process", ("guidance/case-concern-process/",)),
    ("who is the LADO", ("glossary/", "contacts/")),
    ("licensed premises", ("guidance/disruption/",)),
    ("training levels", ("training/",)),
    ("action plan RAG", ("strategy/action-plan/",)),
    (
        "strategy meeting",
        (
            "guidance/pathway/",
            "procedure/05-safeguarding-hub-and-oversight/",
            "procedure/07-managing-individual-young-people/",
            "guidance/categories/",
        ),
    ),
    (
        "strategy discussion",
        (
            "guidance/pathway/",
            "procedure/05-safeguarding-hub-and-oversight/",
            "procedure/07-managing-individual-young-people/",
            "guidance/categories/",
        ),
    ),
    (
        "section 47",
        (
            "procedure/06-assessing-needs/",
            "guidance/categories/",
            "procedure/03-roles-of-partner-agencies/",
        ),
    ),
    ("s47", ("procedure/06-assessing-needs/", "guidance/categories/")),
    ("CAWN", ("guidance/disruption/", "procedure/09-legislation-disruption-prosecution/")),
    ("MASH", ("procedure/05-safeguarding-hub-and-oversight/",)),
    ("NRM", ("procedure/09-legislation-disruption-prosecution/", "procedure/06-assessing-needs/")),
    ("early help assessment", ("procedure/04-prevention-and-early-help/",)),
    ("missing from care", ("procedure/08-admission-to-care/", "guidance/missing-children/")),
    ("sextortion", ("guidance/online-harms/",)),
    ("child protection conference", ("guidance/child-protection-stage/",)),
    ("information sharing consent", ("guidance/information-sharing/",)),
    ("harmful sexual behaviour", ("guidance/harmful-sexual-behaviour/",)),
    ("cuckooing", ("guidance/criminal-exploitation/",)),
    ("Casey audit", ("guidance/national-audit/",)),
    ("out of hours number", ("contacts/",)),
]

# Full questions, typed as people type them.
QUESTIONS: list[tuple[str, tuple[str, ...]]] = [
    (
        "who do I refer a concern to",
        ("procedure/05-safeguarding-hub-and-oversight/", "contacts/", "guidance/pathway/"),
    ),
    ("what is child sexual exploitation", ("procedure/01-definition-and-categories/",)),
    (
        "what should I do if a child discloses abuse",
        ("procedure/02-risk-and-vulnerability-indicators/", "procedure/06-assessing-needs/"),
    ),
    (
        "what happens at a strategy discussion",
        (
            "guidance/pathway/",
            "procedure/05-safeguarding-hub-and-oversight/",
            "procedure/07-managing-individual-young-people/",
        ),
    ),
    (
        "how do I make a referral to the safeguarding hub",
        ("procedure/05-safeguarding-hub-and-oversight/", "contacts/"),
    ),
    (
        "what do the risk categories mean",
        ("guidance/categories/", "procedure/01-definition-and-categories/"),
    ),
    (
        "what should I do if a child goes missing",
        (
            "guidance/pathway/",
            "procedure/02-risk-and-vulnerability-indicators/",
            "parents/what-to-do/",
            "guidance/missing-children/",
        ),
    ),
    (
        "how can we disrupt the perpetrators",
        ("guidance/disruption/", "procedure/09-legislation-disruption-prosecution/"),
    ),
    ("when should a child come into care", ("procedure/08-admission-to-care/",)),
    (
        "how do I escalate if I disagree with a decision",
        ("guidance/case-concern-process/", "guidance/categories/"),
    ),
    ("what training do I need", ("training/",)),
    (
        "I am worried my child is being groomed",
        ("parents/", "parents/what-to-do/", "parents/signs/"),
    ),
    (
        "what are the signs of grooming",
        (
            "parents/signs/",
            "guidance/risk-indicators/",
            "procedure/02-risk-and-vulnerability-indicators/",
        ),
    ),
    ("how do I get alerts when the procedure changes", ("updates/subscribe/",)),
    # Issue 22: a glossary definition for "what is", the chapter that names the NRM, a parent's words.
    ("what is a strategy discussion", ("glossary/",)),
    ("NRM referral", ("procedure/09-legislation-disruption-prosecution/",)),
    ("a man on my son's phone", ("parents/what-to-do/",)),
]

# The searches the issue reported as failing: these must hit, whatever the overall rate.
MUST_HIT = (
    "strategy meeting",
    "section 47",
    "who do I refer a concern to",
    "what is child sexual exploitation",
    "what is a strategy discussion",
    "NRM referral",
    "a man on my son's phone",
)

# The first link in each result group is the page (or its best section); keep only the page path.
RESULT_LINKS = """els => els.map(e => {
  const a = e.querySelector('a.md-search-result__link');
  return a ? a.href : '';
})"""


def _page_path(href: str, base_path: str) -> str:
    path = urlsplit(href).path
    return path[len(base_path) :] if path.startswith(base_path) else path.lstrip("/")


def open_search(page, base_url: str):
    """Open Material's search on the home page, as a reader would (press `/`); return the box."""
    page.goto(base_url, wait_until="load")
    page.keyboard.press("/")  # Material's shortcut; the same as clicking the search label
    box = page.locator("input.md-search__input")
    box.wait_for(state="visible")
    return box


def search(
    page, box, base_url: str, query: str, settle: float = 0.15, timeout: float = 15.0
) -> list[str]:
    """Type `query` into the open search box; return result page paths in order."""
    # Empty the box first and wait for the old results to go, so they are never read as new.
    box.fill("")
    box.press("End")
    page.wait_for_selector(".md-search-result__item", state="detached", timeout=timeout * 1000)
    box.fill(query)  # pasted in one go, then a key released: Material searches on keyup
    box.press("End")
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


def test_queries_find_the_right_page_in_the_top_three(page, base_url, record_property, capsys):
    everything = QUERIES + QUESTIONS
    assert len(everything) >= 40 and len(QUESTIONS) >= 10
    box = open_search(page, base_url)
    misses, rows, tools_first = [], [], []
    for query, expected in everything:
        results = search(page, box, base_url, query)
        top = results[:TOP]
        hit = any(path in expected for path in top)
        rows.append(
            f"{'HIT ' if hit else 'MISS'}  {query!r:50} -> {', '.join(top) or '(no results)'}"
        )
        if not hit:
            misses.append(query)
        if (
            top
            and top[0].startswith("tools/")
            and not any(e.startswith("tools/") for e in expected)
        ):
            tools_first.append(query)
    hits = len(everything) - len(misses)
    rate = hits / len(everything)
    record_property("search_hit_rate", f"{hits}/{len(everything)}")
    with capsys.disabled():
        print(f"\nsearch hit rate: {hits}/{len(everything)} ({rate:.0%}) in the top {TOP}")
        for row in rows:
            print("  " + row)
    assert page.watch.page_errors == []
    assert rate >= TARGET, f"hit rate {rate:.0%} below {TARGET:.0%}; misses: {misses}"
    assert not [q for q in MUST_HIT if q in misses], misses
    assert not tools_first, f"a tool page ranks first for: {tools_first}"


SECTION_LINKS = """els => els.slice(0, 3).map(e => [...e.querySelectorAll('a.md-search-result__link')].map(a => a.href))"""


def test_what_is_finds_the_definition_itself_and_nrm_ranks_its_chapter_first(page, base_url):
    """The glossary's terms are headings, so a "what is" question offers the definition's own
    section (glossary/#strategy-discussion) among the top three results, and following it lands
    on the definition; "NRM referral" puts the chapter that names the NRM first."""
    box = open_search(page, base_url)
    search(page, box, base_url, "what is a strategy discussion")
    links = [
        link
        for group in page.eval_on_selector_all(".md-search-result__item", SECTION_LINKS)
        for link in group
    ]
    target = next(
        (link for link in links if "/glossary/" in link and link.endswith("#strategy-discussion")),
        None,
    )
    assert target, links
    page.goto(target)
    heading = page.locator("#strategy-discussion")
    expect(heading).to_be_in_viewport()
    assert page.evaluate("window.scrollY") > 500
    top = search(page, open_search(page, base_url), base_url, "NRM referral")[0]
    assert top == "procedure/09-legislation-disruption-prosecution/", top


def test_snippets_come_from_the_text_not_the_boxes(site_dir):
    """Amendment boxes and review dates are left out of the index (data-search-exclude)."""
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    text = " ".join(doc["text"] for doc in index["docs"])
    # The box's own phrases ("Last reviewed" alone is also a column of the local documents table).
    for boilerplate in ("Next planned review", "No changes since publication", "Last changed"):
        assert boilerplate not in text, boilerplate
    html = (site_dir / "guidance" / "pathway" / "index.html").read_text(encoding="utf-8")
    assert "Last reviewed" in html  # the box is still on the page


def test_search_terms_are_shown_on_their_page_and_tagged(site_dir):
    """Every term from data/search.yml is visible on its page and is one of its search tags."""
    terms = load_search()["terms"]
    index = json.loads((site_dir / "search" / "search_index.json").read_text(encoding="utf-8"))
    tags = {
        doc["location"]: doc.get("tags", []) for doc in index["docs"] if "#" not in doc["location"]
    }
    for src, words in terms.items():
        url = src[: -len("index.md")] if src.endswith("index.md") else src[: -len(".md")] + "/"
        html = (site_dir / url / "index.html").read_text(encoding="utf-8")
        line = unescape(html.split('class="search-terms"', 1)[1].split("</p>", 1)[0])
        shown_tags = [unescape(tag) for tag in tags[url]]  # escaped for HTML: results show them so
        for word in words:
            assert word in line, (src, word)
            assert word in shown_tags, (src, word)


def test_opening_a_result_leaves_no_query_in_the_address(page, base_url):
    """What was searched for is never put into an address (search.highlight added `?h=grooming`
    to every result link, so the words went into the browser's history and to the server)."""
    box = open_search(page, base_url)
    results = search(page, box, base_url, "grooming")
    assert results, "no results to open"
    links = page.eval_on_selector_all(".md-search-result__item", RESULT_LINKS)
    # A link may open a section (#its-heading-id, as the page's contents list does); the query
    # itself is never a parameter or part of a path.
    leaked = [
        link for link in links if urlsplit(link).query or "grooming" in urlsplit(link).path.lower()
    ]
    assert links and not leaked, leaked
    page.locator("a.md-search-result__link").first.click()
    page.wait_for_load_state()
    assert page.url != base_url, "the result did not open"
    opened = urlsplit(page.url)
    assert opened.query == "" and "grooming" not in opened.path.lower(), page.url
    if opened.fragment:
        assert page.locator(f"[id='{opened.fragment}']").count() == 1, page.url


MARKS = """els => els.map(e => e.textContent.trim().toLowerCase())"""


def test_finished_words_are_matched_whole_not_as_the_start_of_longer_words(page, base_url):
    """Material adds a wildcard to every word of a query, so "a man on my son's phone" found
    "management" and "many". search-words.js matches finished words whole (still stemmed), and
    the word being typed as a beginning only from four letters."""
    box = open_search(page, base_url)
    for query in ("a man on my son's phone", "man"):
        assert search(page, box, base_url, query), query
        marks = page.eval_on_selector_all(".md-search-result__item mark", MARKS)
        assert marks, query
        longer = sorted({m for m in marks if m.startswith("man") and m not in ("man", "man's")})
        assert not longer, (query, longer)
    # The word being typed still finds longer words from four letters: "groo" finds "grooming".
    assert search(page, box, base_url, "groo")
    marks = page.eval_on_selector_all(".md-search-result__item mark", MARKS)
    assert any(m.startswith("grooming") for m in marks), marks
    assert page.watch.page_errors == []


def test_a_result_opens_at_the_section_that_has_the_words(page, base_url):
    """Chapter 9's opening lines do not name the NRM; its trafficking section does. The result's
    title link opens that section, not the top of a long chapter."""
    box = open_search(page, base_url)
    search(page, box, base_url, "NRM referral")
    first = page.locator("a.md-search-result__link").first
    href = first.get_attribute("href") or ""
    assert "/procedure/09-legislation-disruption-prosecution/#" in href, href
    anchor = href.split("#", 1)[1]
    first.click()
    page.wait_for_load_state()
    heading = page.locator(f"[id='{anchor}']")
    expect(heading).to_be_in_viewport()
    assert "NRM" in heading.locator("xpath=following-sibling::*[1]").inner_text() or "NRM" in (
        page.locator("article").inner_text()
    )
    assert page.evaluate("window.scrollY") > 2000
