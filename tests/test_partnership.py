"""One partnership file drives the site: validation, the example guard, and a second partnership.

The second partnership (examples/riverside/partnership.yml) is built once, and none of its pages
may carry the default partnership's names, numbers, links or quick-exit address.
"""

from __future__ import annotations

import copy
import datetime as dt
import html
import re

import pytest
import yaml

from helpers import ROOT, build_site, html_pages

from macros.data import DataError
from macros.site import (
    add_months,
    documents_table,
    example_values,
    load_partnership,
    overdue_reviews,
)

DEFAULT = ROOT / "data" / "partnership.yml"
SECOND = ROOT / "examples" / "riverside" / "partnership.yml"
CREDITED_PAGES = ("procedure", "training", "strategy", "guidance/categories")


def read(path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def page_html(site, rel: str) -> str:
    return (site / rel / "index.html").read_text(encoding="utf-8")


def page_text(site, rel: str) -> str:
    """The page's words, without tags (glossary abbreviations wrap words in <abbr>)."""
    return html.unescape(re.sub(r"<[^>]+>", "", page_html(site, rel)))


# --- the file itself ------------------------------------------------------------------------------


@pytest.mark.parametrize("path", [DEFAULT, SECOND], ids=["default", "second"])
def test_both_partnership_files_are_valid(path):
    data = load_partnership(path)
    assert data["site_title"] and data["local_documents"]
    assert {c["id"] for c in data["contacts"]} >= {"hub", "out_of_hours", "police_cse", "lado"}


BROKEN = [
    (lambda d: d.pop("site_title"), "data/partnership.yml: field 'site_title' is missing"),
    (
        lambda d: d["local_documents"][1].update(link="example.org/x"),
        "local document 'missing_protocol': field 'link': 'example.org/x' must be a full https:// address",
    ),
    (
        lambda d: d["local_documents"][0].update(last_reviewed="2026-02-30"),
        "local document 'child_protection_procedures': field 'last_reviewed': '2026-02-30' is not a date",
    ),
    (
        lambda d: d["procedures_contact"].update(email="procedures at example.org"),
        "procedures_contact: field 'email': 'procedures at example.org' is not an email address",
    ),
    (
        lambda d: d["accessibility"].update(compliance="mostly"),
        "accessibility: field 'compliance' must be one of: fully compliant, partially compliant, not compliant",
    ),
    (
        lambda d: d.update(review_interval_months=0),
        "field 'review_interval_months' must be a whole number of months from 1 to 60",
    ),
    (
        lambda d: d["local_documents"][0].update(review_every_months="yearly"),
        "local document 'child_protection_procedures': field 'review_every_months' must be int, not str",
    ),
    (lambda d: d.pop("app_short_name"), "field 'app_short_name' is missing"),
    (
        lambda d: d["local_documents"][2].update(id="missing_protocol"),
        "local document 'missing_protocol': field 'id' is used twice",
    ),
    (
        lambda d: d["credits"][0]["drawn"][0].update(page="procedure/nope.md"),
        "credit 'cumbria-procedure-2015': drawn entry 1: field 'page': docs/procedure/nope.md does not exist",
    ),
    (
        lambda d: d["credits"][1].pop("by"),
        "credit 'cumbria-newsletter-2017': field 'by' is missing",
    ),
    (
        lambda d: d.update(quick_exit_url="javascript:alert(1)"),
        "field 'quick_exit_url': 'javascript:alert(1)' must be a full https:// address",
    ),
    (lambda d: d.pop("nrm_devolved_pilot"), "field 'nrm_devolved_pilot' must be true or false"),
    (
        lambda d: d.update(nrm_devolved_pilot="yes"),
        "field 'nrm_devolved_pilot' must be true or false",
    ),
]


@pytest.mark.parametrize(
    "breaks, message", BROKEN, ids=[m.split(": ", 1)[-1][:40] for _, m in BROKEN]
)
def test_a_malformed_file_names_file_and_field(tmp_path, breaks, message):
    data = read(DEFAULT)
    breaks(data)
    path = tmp_path / "data" / "partnership.yml"
    path.parent.mkdir()
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_partnership(path)
    assert message.split("data/partnership.yml: ")[-1] in str(caught.value)
    assert "partnership.yml" in str(caught.value)


def test_example_values_are_found_and_a_real_file_has_none():
    data = read(DEFAULT)
    found = example_values(data)
    assert "is_example: true" in found
    assert "name: 'Exampleshire Safeguarding Children Partnership (example)'" in found
    assert any(f.startswith("contacts[hub].phone: '01632 960001'") for f in found)
    assert any(f.startswith("local_documents[escalation_policy].link:") for f in found)
    assert "procedures_contact.email: 'procedures@example.org'" in found  # an example address
    assert example_values(publishable(data)) == []


def publishable(data: dict) -> dict:
    """The example partnership with every example value replaced: a file `make publish` accepts."""
    real = copy.deepcopy(data)
    real["is_example"] = False
    text = yaml.safe_dump(real)
    text = re.sub(r"(?i)\s*\(example\)", "", text).replace("Exampleshire", "Northshire")
    text = text.replace("example.org/exampleshire", "northshire.gov.uk").replace(
        "01632 96000", "01234 56700"
    )
    text = text.replace("procedures@example.org", "procedures@northshire.gov.uk")
    return yaml.safe_load(text)


# --- the example guard ---------------------------------------------------------------------------


def test_every_page_says_example_content_while_is_example(site_dir):
    pages = html_pages(site_dir)
    assert len(pages) > 10
    missing = [rel for rel in pages if "data-example-banner" not in page_html(site_dir, rel)]
    assert missing == []
    assert "Example content, not for use." in page_html(site_dir, "")


def test_a_publishing_build_fails_naming_every_example_value(tmp_path):
    run = build_site(tmp_path / "site", env={"CSE_PUBLISH": "1"})
    assert run.returncode != 0
    log = run.stderr
    assert "data/partnership.yml: this is still the example partnership" in log
    for value in (
        "is_example: true",
        "short_name: 'Exampleshire SCP (example)'",
        "contacts[out_of_hours].phone: '01632 960002'",
        "safeguarding_contact.phone: '01632 960001'",
        "local_documents[training_booking].link: 'https://example.org/exampleshire/training'",
    ):
        assert value in log, value
    assert not (tmp_path / "site" / "index.html").exists()


# --- the default partnership's pages -------------------------------------------------------------


def test_local_documents_page_lists_and_chapters_link_each_document(site_dir):
    data = load_partnership(DEFAULT)
    library = page_html(site_dir, "local-documents")
    for doc in data["local_documents"]:
        assert doc["title"] in library and f'href="{doc["link"]}"' in library, doc["id"]
    linked = "".join(
        page_html(site_dir, rel) for rel in html_pages(site_dir) if rel != "local-documents/"
    )
    assert [d["id"] for d in data["local_documents"] if f'href="{d["link"]}"' not in linked] == []


def test_credit_lines_come_from_the_file_and_no_hand_written_source_lines_remain(site_dir):
    for rel in CREDITED_PAGES:
        html = page_html(site_dir, rel)
        assert "another area's published document, not one of this partnership's own." in html, rel
        assert "Source: Cumbria" not in html and "Source: North East" not in html, rel
    assert "Source: Sefton" not in page_html(site_dir, "strategy")


# --- a second partnership --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def second_site(tmp_path_factory):
    dest = tmp_path_factory.mktemp("second-site")
    run = build_site(dest, env={"CSE_PARTNERSHIP": str(SECOND.relative_to(ROOT))})
    if run.returncode != 0:
        pytest.fail(f"building the second partnership failed:\n{run.stderr[-4000:]}")
    return dest


def default_values() -> list[str]:
    """Text that belongs to the default partnership only."""
    data = read(DEFAULT)
    values = [
        data["name"],
        data["short_name"],
        data["area"],
        data["site_title"],
        data["quick_exit_url"],
        data["safeguarding_contact"]["name"],
        data["safeguarding_contact"]["phone"],
    ]
    for entry in data["contacts"]:
        if entry.get("local"):
            values += [entry["name"], entry["phone"], entry["phone"].replace(" ", "")]
    for doc in data["local_documents"]:
        values += [doc["title"], doc["link"]]
    shared = SECOND.read_text(encoding="utf-8")  # e.g. the national 101 line, used by both
    return [v for v in values if v not in shared]


def test_second_partnership_pages_carry_nothing_of_the_default(second_site):
    values = default_values()
    files = [
        p for p in second_site.rglob("*") if p.suffix in (".html", ".xml", ".json") and p.is_file()
    ]
    assert len(files) > 40
    offenders = []
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        offenders += [f"{path.relative_to(second_site)}: {v}" for v in values if v in text]
    assert offenders == []


def test_second_partnership_contacts_appear_where_they_should(second_site):
    data = load_partnership(SECOND)
    pages = html_pages(second_site)
    banner = data["safeguarding_contact"]["phone"]
    assert [rel for rel in pages if banner not in page_html(second_site, rel)] == []  # danger line
    contacts = page_html(second_site, "contacts")
    words = page_text(second_site, "contacts")
    for entry in data["contacts"]:
        assert entry["name"] in words, entry["id"]
        if entry.get("phone"):
            assert f'href="tel:{entry["phone"].replace(" ", "")}"' in contacts, entry["id"]
    for rel in ("parents/what-to-do", "parents/support", "young-people"):
        assert f'data-quick-exit-url="{data["quick_exit_url"]}"' in page_html(second_site, rel), rel
    what_to_do = page_text(second_site, "parents/what-to-do")
    for cid in ("hub", "out_of_hours"):
        entry = next(c for c in data["contacts"] if c["id"] == cid)
        assert entry["phone"] in what_to_do and entry["hours"] in what_to_do, cid
    library = page_html(second_site, "local-documents")
    for doc in data["local_documents"]:
        assert f'href="{doc["link"]}"' in library, doc["id"]
    home = page_html(second_site, "")
    assert f"<title>{data['site_title']}</title>" in home
    # Pages without a description of their own (the 404 page) get the site's.
    assert f'content="{data["site_description"]}"' in (second_site / "404.html").read_text(
        encoding="utf-8"
    )
    assert data["name"] in home and "data-example-banner" in home
    feed = (second_site / "feeds" / "all.xml").read_text(encoding="utf-8")
    assert f"<title>{data['site_title']}: " in feed
    # Only what this partnership credits: the Cumbria procedure, not the others.
    assert "drawn from Cumbria" in page_html(second_site, "procedure")
    assert "drawn from" not in page_html(second_site, "strategy")


# --- review dates that are watched -------------------------------------------------------------------


def test_review_due_adds_the_interval_in_months():
    assert add_months(dt.date(2025, 11, 30), 12) == dt.date(2026, 11, 30)
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2027, 12, 31), 2) == dt.date(2028, 2, 29)
    data = load_partnership(DEFAULT)
    by_id = {e["id"]: e for e in data["local_documents"]}
    assert by_id["information_sharing_agreement"]["review_due"] == dt.date(
        2026, 11, 30
    )  # default 12 months


def test_a_document_past_its_review_date_is_flagged_on_the_page_and_listed(tmp_path):
    data = read(DEFAULT)
    data["local_documents"][1]["review_every_months"] = 3  # missing_protocol, reviewed 2026-04-15
    path = tmp_path / "partnership.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    loaded = load_partnership(path)
    table = documents_table(loaded, dt.date(2026, 7, 16))
    rows = {line.split("{ #")[1].split(" }")[0]: line for line in table.splitlines()[2:]}
    assert "**Overdue**: review was due 15 July 2026" in rows["missing_protocol"]
    assert "Overdue" not in rows["escalation_policy"]  # due 1 February 2027
    late = overdue_reviews(loaded, dt.date(2026, 7, 16))
    assert [line.split("'")[1] for line in late] == ["missing_protocol"]
    # The procedure's own next review date is watched too.
    assert overdue_reviews(loaded, dt.date(2027, 5, 2))[0].startswith(
        "the procedure itself: next_review 2027-05-01"
    )
    assert overdue_reviews(loaded, dt.date(2025, 1, 1)) == []


def publish_build(tmp_path, day: dt.date, strict: bool):
    tmp_path.mkdir()
    path = tmp_path / "partnership.yml"
    path.write_text(yaml.safe_dump(publishable(read(DEFAULT))), encoding="utf-8")
    epoch = int(dt.datetime(day.year, day.month, day.day, 12, tzinfo=dt.timezone.utc).timestamp())
    env = {"CSE_PARTNERSHIP": str(path), "CSE_PUBLISH": "1", "SOURCE_DATE_EPOCH": str(epoch)}
    if strict:
        env["CSE_STRICT_REVIEW"] = "1"
    return build_site(tmp_path / "site", env=env)


def test_make_publish_warns_about_passed_review_dates_and_strict_review_makes_it_an_error(tmp_path):
    day = dt.date(
        2027, 6, 1
    )  # past the procedure's next review (2027-05-01) and several documents'
    warned = publish_build(tmp_path / "warn", day, strict=False)
    assert warned.returncode == 0, warned.stderr[-2000:]
    assert "review dates have passed" in warned.stderr
    assert "local document 'information_sharing_agreement'" in warned.stderr
    assert "the procedure itself: next_review 2027-05-01 has passed" in warned.stderr
    page = (tmp_path / "warn" / "site" / "local-documents" / "index.html").read_text(
        encoding="utf-8"
    )
    assert "<strong>Overdue</strong>: review was due 30 November 2026" in page
    home = (tmp_path / "warn" / "site" / "index.html").read_text(encoding="utf-8")
    assert "1 May 2027 (overdue: this review date has passed)" in home

    failed = publish_build(tmp_path / "strict", day, strict=True)
    assert failed.returncode != 0
    assert "review dates have passed (CSE_STRICT_REVIEW is set)" in failed.stderr
    assert "local document 'information_sharing_agreement'" in failed.stderr


NRM_PAGES = ("procedure/06-assessing-needs", "procedure/09-legislation-disruption-prosecution")


def test_who_decides_an_nrm_referral_follows_each_partnership_file(site_dir, second_site):
    """The devolved-decision pilot field is rendered on the NRM pages, from each partnership's file."""
    for site, path in ((site_dir, DEFAULT), (second_site, SECOND)):
        data = load_partnership(path)
        expected = f"{data['area']} is {'' if data['nrm_devolved_pilot'] else 'not '}in the Home Office pilot"
        for rel in NRM_PAGES:
            assert expected in " ".join(page_text(site, rel).split()), (path.name, rel)
    # The two files differ, so each branch of the sentence is rendered by one of the builds.
    assert (
        load_partnership(DEFAULT)["nrm_devolved_pilot"]
        != load_partnership(SECOND)["nrm_devolved_pilot"]
    )
