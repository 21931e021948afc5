"""Finding things (issue 13): every page's text and metadata rendered, the danger banner, the
parents' change boxes, and the "Get updates" page in the browser (links and copy buttons)."""

from __future__ import annotations

import pytest
import yaml
from playwright.sync_api import expect

from helpers import ROOT, html_pages
from macros.amendments import box_markdown, load_amendments, shown_on
from macros.site import format_date

PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
CONTACTS = {c["id"]: c for c in PARTNERSHIP["contacts"]}
CONFIGURED = "http://127.0.0.1:8000/"  # mkdocs.yml site_url when SITE_URL is not set


def test_no_page_shows_unrendered_template_code(site_dir):
    """A literal `{{` or `{%` in a built page (text, title, description or other metadata) means a
    macro or variable was not rendered."""
    bad = []
    for rel in html_pages(site_dir):
        html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
        bad += [f"{rel or '/'}: {mark}" for mark in ("{{", "{%") if mark in html]
    assert not bad, bad
    home = (site_dir / "index.html").read_text(encoding="utf-8")
    assert '<meta name="description" content="The multi-agency child sexual exploitation' in home


def test_banner_gives_daytime_and_out_of_hours_numbers_on_every_page(site_dir):
    for rel in ("", "parents/", "procedure/06-assessing-needs/", "contacts/"):
        html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
        banner = html.split("data-danger-line", 1)[1].split("</p>", 1)[0]
        for cid in ("hub", "out_of_hours"):
            phone = CONTACTS[cid]["phone"]
            assert f'href="tel:{phone.replace(" ", "")}"' in banner and phone in banner, (rel, cid)
        assert "Out of hours" in banner


def test_families_pages_show_only_changes_meant_for_them():
    assert shown_on("parents/signs.md", "parents") and shown_on("parents/signs.md", "everyone")
    assert not shown_on("parents/signs.md", "practitioners")
    assert not shown_on("young-people/index.md", "practitioners")
    assert shown_on("procedure/06-assessing-needs.md", "practitioners")
    change = {"date": "1 May 2027", "title": "T", "summary": "We added a list of signs.", "id": "x"}
    box = box_markdown("parents/signs.md", change, "16 November 2026", "1 May 2027")
    assert "Updated 1 May 2027" in box and "We added a list of signs." in box
    assert "reviewed" not in box.lower() and "All changes" not in box
    assert box_markdown("parents/signs.md", None, "16 November 2026", "1 May 2027") == ""
    practitioners = box_markdown(
        "procedure/06-assessing-needs.md", change, "16 November 2026", "1 May 2027"
    )
    assert "Last reviewed" in practitioners and "data-search-exclude" in practitioners


def test_parents_page_box_in_the_built_site(site_dir):
    html = (site_dir / "parents" / "index.html").read_text(encoding="utf-8")
    # The newest change for families on this page (newest first), never a practitioners' one.
    latest = next(
        a
        for a in load_amendments()
        if "parents/index.md" in a.pages and shown_on("parents/index.md", a.audience)
    )
    assert f"Updated {format_date(latest.date)}" in html
    assert "Last reviewed" not in html and "Next planned review" not in html


@pytest.mark.browser
def test_subscribe_page_links_each_feed_with_a_copy_button(browser, base_url):
    ctx = browser.new_context(service_workers="block")
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=base_url.rstrip("/"))
    try:
        page = ctx.new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
        page.goto(base_url + "updates/subscribe/")
        links = page.locator("a[data-feed-address]")
        count = links.count()
        assert count >= 3 + 9  # the three site feeds and one per chapter
        expect(page.locator(".copy-feed__button")).to_have_count(count)
        for i in range(count):
            href = links.nth(i).get_attribute("href")
            assert href.startswith(CONFIGURED + "feeds/") and href.endswith(".xml"), href
            assert links.nth(i).inner_text() == href
        # The test build has the configured site_url (`make serve` sets it to where it serves):
        # the addresses name files that are served.
        for i in range(count):
            assert page.request.get(
                links.nth(i).get_attribute("href").replace(CONFIGURED, base_url)
            ).ok
        page.locator(".copy-feed__button").nth(1).click()
        second = links.nth(1).get_attribute("href")
        expect(page.locator(".copy-feed__status")).to_have_text(f"Copied {second}")
        assert page.evaluate("navigator.clipboard.readText()") == second
        opml = page.get_by_role("link", name="feeds.opml")
        assert opml.get_attribute("href").endswith("feeds/feeds.opml")
        text = page.locator("article").inner_text().lower()
        assert (
            "registered" not in text and "sign up" not in text and "do not need an account" in text
        )
        assert not errors, errors
    finally:
        ctx.close()


@pytest.mark.browser
@pytest.mark.parametrize(
    "rel", ["", "contacts/", "updates/subscribe/", "procedure/07-managing-individual-young-people/"]
)
def test_axe_on_a_phone_for_the_pages_changed_here(browser, base_url, rel):
    """axe-core at 390 px (the whole-site run in test_accessibility.py is at the default size)."""
    from test_accessibility import axe_violations

    ctx = browser.new_context(
        bypass_csp=True, service_workers="block", viewport={"width": 390, "height": 844}
    )
    try:
        page = ctx.new_page()
        page.goto(base_url + rel, wait_until="load")
        assert axe_violations(page) == []
    finally:
        ctx.close()
