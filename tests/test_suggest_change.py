""" "Suggest a change" (overrides/partials/suggest-change.html): exactly one mailto link on every
handbook page (news posts are dated notices, not the handbook), to the partnership's procedures contact, with the page's title in the subject, its
address in the body and a warning never to include a child's or family's details; none on the
quick-exit pages, and never inside a tool's form."""

from __future__ import annotations

import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from helpers import ROOT, html_pages
from helpers import flat, pdf_text

PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
WARNING = "Never include the name or any details of a child or family."
LINK = re.compile(r'<a href="(mailto:[^"]+)" data-suggest-change>')
TOOL_PAGES = (
    "tools/screening/",
    "tools/risk-assessment/",
    "tools/safety-plan/",
    "tools/disruption-plan/",
)


def quick_exit_pages() -> set[str]:
    pages = set()
    for md in (ROOT / "docs").rglob("*.md"):
        head = md.read_text(encoding="utf-8").split("---")
        if len(head) > 2 and re.search(r"^quick_exit: true$", head[1], re.M):
            rel = md.relative_to(ROOT / "docs").with_suffix("").as_posix()
            pages.add(
                "" if rel == "index" else rel.removesuffix("/index").removesuffix("index") + "/"
            )
    return pages


def page(site_dir, rel: str) -> str:
    return (site_dir / rel / "index.html").read_text(encoding="utf-8")


def test_every_handbook_page_has_one_link_with_its_title_address_and_the_warning(site_dir):
    skipped = quick_exit_pages()
    assert {"", "contacts/", "parents/what-to-do/", "young-people/"} <= skipped
    checked = 0
    for rel in html_pages(site_dir):
        if rel in skipped or rel.startswith(
            "news/"
        ):  # news posts are dated notices, not the handbook
            continue
        html = page(site_dir, rel)
        links = LINK.findall(html)
        assert len(links) == 1, rel
        parts = urlsplit(unescape(links[0]))
        assert parts.path == PARTNERSHIP["procedures_contact"]["email"]
        query = parse_qs(parts.query)
        title = (
            unescape(re.search(r"<title>(.*?)</title>", html, re.S).group(1))
            .split(" - ")[0]
            .strip()
        )
        assert query["subject"] == [f"Suggested change: {title}"], rel
        body = query["body"][0]
        assert f"Address: http://127.0.0.1:8000/{rel}" in body or f"/{rel}\r\n" in body, body
        assert WARNING in body
        # The warning stands beside the link too, and the link names who receives it.
        aside = html[html.find('<aside class="cse-suggest"') :]
        aside = aside[: aside.find("</aside>")]
        assert WARNING in aside and PARTNERSHIP["procedures_contact"]["name"] in unescape(aside)
        checked += 1
    assert checked > 30


def test_no_link_on_quick_exit_pages_and_none_inside_a_tools_form(site_dir):
    for rel in quick_exit_pages():
        assert "data-suggest-change" not in page(site_dir, rel), rel
    for rel in TOOL_PAGES:
        html = page(site_dir, rel)
        forms = re.findall(r"<form\b.*?</form>", html, re.S)
        assert forms, rel
        assert not any("data-suggest-change" in form for form in forms), rel
        assert len(LINK.findall(html)) == 1, rel  # on the page, after the form


@pytest.mark.browser
def test_the_link_is_left_off_paper(page, base_url):
    page.goto(base_url + "procedure/06-assessing-needs/")
    assert page.locator("[data-suggest-change]").is_visible()
    text = flat(pdf_text(page))
    assert "Assessing" in text
    assert "Suggest a change" not in text and "Found something wrong" not in text
