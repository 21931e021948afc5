"""The accessibility statement (docs/about/accessibility.md), on the GOV.UK model: rendered from
the partnership file and package-lock.json, linked from every page's footer."""

from __future__ import annotations

import json
import re
from html import unescape
from urllib.parse import urljoin

import pytest
import yaml

from helpers import ROOT, html_pages
from macros.site import format_date

PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
AXE_VERSION = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"][
    "node_modules/axe-core"
]["version"]
SECTIONS = (
    "How accessible this website is",
    "What to do if you cannot use part of this website",
    "Enforcement procedure",
    "Technical information about this website's accessibility",
    "Compliance status",
    "How we tested this website",
    "Preparation of this accessibility statement",
)


def text_of(site_dir, rel: str) -> str:
    html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
    article = html[html.find('<article class="md-content__inner') : html.find("</article>")]
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", article)).split())


def test_statement_follows_the_model_and_takes_its_facts_from_data(site_dir):
    text = text_of(site_dir, "about/accessibility/")
    for heading in SECTIONS:
        assert heading in text, heading
    a11y = PARTNERSHIP["accessibility"]
    assert f"This website is run by the {PARTNERSHIP['name']}" in text
    assert (
        f"This website is {a11y['compliance']} with the Web Content Accessibility Guidelines version 2.2 AA"
        in text
    )
    for issue in a11y["known_issues"]:
        assert " ".join(issue["what"].split()) in text
    assert f"axe-core {AXE_VERSION} checks every page against WCAG 2.2" in text
    assert f"prepared on {format_date(str(a11y['prepared']))}" in text
    assert f"last reviewed on {format_date(str(a11y['last_reviewed']))}" in text
    assert (
        "Equality and Human Rights Commission (EHRC)" in text
        and "Equality Advisory and Support Service" in text
    )
    html = (site_dir / "about/accessibility/index.html").read_text(encoding="utf-8")
    assert f'href="mailto:{PARTNERSHIP["procedures_contact"]["email"]}"' in html
    assert 'href="https://www.legislation.gov.uk/uksi/2018/952/contents"' in html


def test_every_page_footer_links_the_statement(site_dir):
    for rel in html_pages(site_dir):
        html = (site_dir / rel / "index.html").read_text(encoding="utf-8")
        footer = html[html.find("<footer") :]
        links = re.findall(r'<a href="([^"]*)">Accessibility statement</a>', footer)
        assert len(links) == 1, rel
        assert (
            urljoin(f"https://site.test/{rel}", links[0])
            == "https://site.test/about/accessibility/"
        ), rel


@pytest.mark.parametrize(
    "compliance, wording",
    [
        ("fully compliant", "This website is fully compliant with"),
        ("not compliant", "This website is not compliant with"),
    ],
)
def test_the_status_follows_the_partnership_file(tmp_path, compliance, wording):
    from helpers import build_site

    data = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
    data["accessibility"]["compliance"] = compliance
    if compliance == "fully compliant":
        data["accessibility"]["known_issues"] = []
    path = tmp_path / "partnership.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    run = build_site(tmp_path / "site", env={"CSE_PARTNERSHIP": str(path)})
    assert run.returncode == 0, run.stderr[-2000:]
    text = text_of(tmp_path / "site", "about/accessibility/")
    assert wording in text
    if compliance == "fully compliant":
        assert "We do not know of any part of this website that is not accessible." in text
