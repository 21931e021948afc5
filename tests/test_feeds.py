"""Amendments, the "What's changed" page and the RSS feeds, checked with a real feed parser."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from html import escape as html_escape
from pathlib import Path
from urllib.parse import urlsplit

import feedparser
import pytest

from helpers import ROOT, build_site
from macros.amendments import FEEDS, load_amendments
from macros.data import DataError
from macros.site import format_date

SITE_URL = "http://127.0.0.1:8000/"


def parse(site: Path, feed: str):
    parsed = feedparser.parse((site / "feeds" / f"{feed}.xml").read_bytes())
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def built_file_for(site: Path, link: str) -> Path:
    path = urlsplit(link).path.lstrip("/")
    return site / path / "index.html" if path.endswith("/") or not path else site / path


@pytest.mark.parametrize("feed", [f.slug for f in FEEDS])
def test_feed_parses_cleanly_newest_first_with_absolute_links(site_dir, feed):
    parsed = parse(site_dir, feed)
    assert parsed.version == "rss20"
    entries = parsed.entries
    assert entries, f"{feed} feed is empty"
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)
    for entry in entries:
        assert entry.link.startswith(SITE_URL), entry.link
        assert built_file_for(site_dir, entry.link).is_file(), entry.link
        assert entry.id.startswith("urn:cse-handbook:")


def test_audience_feeds_carry_only_their_audience(site_dir):
    amendments = {a.id: a for a in load_amendments()}
    parents = {e.id.split(":")[-1] for e in parse(site_dir, "parents").entries}
    practitioners = {e.id.split(":")[-1] for e in parse(site_dir, "practitioners").entries}
    everything = {e.id.split(":")[-1] for e in parse(site_dir, "all").entries}
    assert parents | practitioners == everything
    for ident, amendment in amendments.items():
        assert ident in everything
        assert (ident in parents) == (amendment.audience in ("parents", "everyone"))
        assert (ident in practitioners) == (amendment.audience in ("practitioners", "everyone"))


def test_every_page_advertises_the_feeds(site_dir):
    for rel in ("", "procedure/01-definition-and-categories/", "parents/"):
        html = (site_dir / rel / "index.html").read_text()
        for feed in FEEDS:
            assert 'type="application/rss+xml"' in html
            assert f'{feed.path}"' in html, (rel, feed.path)


def test_whats_changed_lists_entries_newest_first_and_next_review(site_dir):
    html = (site_dir / "updates" / "index.html").read_text()
    positions = [html.index(f'id="{a.id}"') for a in load_amendments()]
    assert positions == sorted(positions)
    assert "1 May 2027" in html  # next_review from data/partnership.yml


def test_changed_page_shows_its_latest_amendment(site_dir):
    html = (site_dir / "guidance" / "pathway" / "index.html").read_text()
    latest = next(a for a in load_amendments() if "guidance/pathway.md" in a.pages)  # newest first
    assert f"Last changed {format_date(latest.date)}" in html
    assert html_escape(latest.title) in html
    assert "Last reviewed" in html


NEW_ENTRY = """
- id: {ident}
  date: {date}
  title: {title}
  pages:
    - parents/signs.md
  kind: updated
  summary: A test change.
  audience: {audience}
"""


def new_entry(ident: str, title: str, audience: str, date: str | None = None) -> str:
    """An amendment entry dated the day after the newest one, so it comes first in the feeds."""
    if date is None:
        date = (max(a.date for a in load_amendments()) + dt.timedelta(days=1)).isoformat()
    return NEW_ENTRY.format(ident=ident, title=title, audience=audience, date=date)


def add_amendment(project: Path, ident: str, title: str, audience: str) -> None:
    with open(project / "data" / "amendments.yml", "a", encoding="utf-8") as fh:
        fh.write(new_entry(ident, title, audience))


def test_guids_are_stable_across_builds_and_a_new_entry_adds_one_item(
    site_dir, project_copy, tmp_path
):
    add_amendment(project_copy, "test-parents-change", "A change for parents only", "parents")
    out = tmp_path / "site2"
    run = build_site(out, project_copy / "mkdocs.yml", project_copy)
    assert run.returncode == 0, run.stderr[-3000:]
    for feed, grows in (("all", True), ("parents", True), ("practitioners", False)):
        before = [e.id for e in parse(site_dir, feed).entries]
        after = [e.id for e in parse(out, feed).entries]
        new = [g for g in after if g not in before]
        assert new == (["urn:cse-handbook:test-parents-change"] if grows else []), feed
        assert [g for g in after if g in before] == before  # the others keep their guids and order
        if grows:
            assert after[0] == "urn:cse-handbook:test-parents-change"  # newest first


@pytest.mark.parametrize(
    "change, message",
    [
        ("date: 2026-11-16", "date: 2026-13-40"),
        ("audience: parents\n", "audience: carers\n"),
        ("    - parents/support.md", "    - parents/no-such-page.md"),
        (
            "  kind: new\n  summary: >-\n    Plain-English",
            "  kind: new\n  summaryy: >-\n    Plain-English",
        ),
    ],
)
def test_malformed_entry_is_refused_naming_entry_and_field(tmp_path, change, message):
    text = (ROOT / "data" / "amendments.yml").read_text()
    old, new = change, message
    assert old in text
    bad = tmp_path / "amendments.yml"
    bad.write_text(text.replace(old, new, 1))
    with pytest.raises(DataError) as err:
        load_amendments(bad, ROOT / "docs")
    text = str(err.value)
    assert "amendments.yml: entry " in text
    field = {
        "2026-13-40": "date",
        "carers": "audience",
        "no-such-page": "pages",
        "summaryy": "summary",
    }
    assert any(f"field '{v}'" in text for k, v in field.items() if k in new), text


def test_build_fails_with_the_entry_and_field_named(project_copy, tmp_path):
    path = project_copy / "data" / "amendments.yml"
    path.write_text(path.read_text() + new_entry("bad-date", "Bad", "everyone", date="21/11/2026"))
    run = build_site(tmp_path / "out", project_copy / "mkdocs.yml", project_copy)
    assert run.returncode != 0
    position = len(load_amendments()) + 1
    assert f"data/amendments.yml: entry {position} ('Bad'): field 'date'" in run.stderr


def test_a_real_feed_reader_sees_the_new_item(project_copy, tmp_path):
    """rss2email reads the served feed, then sees exactly the item added by a new amendment."""
    sys.path.insert(0, str(ROOT / "scripts"))
    import serve

    site = tmp_path / "served"
    run = build_site(site, project_copy / "mkdocs.yml", project_copy)
    assert run.returncode == 0, run.stderr[-3000:]
    server, url = serve.start_in_thread(site)
    try:
        mailbox = tmp_path / "mailbox"
        sendmail = tmp_path / "sendmail"
        sendmail.write_text(f"#!/bin/sh\ncat >> {mailbox}\necho '=====' >> {mailbox}\n")
        sendmail.chmod(0o755)
        config, data = tmp_path / "r2e.cfg", tmp_path / "r2e.json"
        r2e = [
            str(Path(sys.executable).parent / "r2e"),
            "--config",
            str(config),
            "--data",
            str(data),
        ]
        env = {**os.environ, "HOME": str(tmp_path)}

        def call(*args):
            done = subprocess.run(
                [*r2e, *args], capture_output=True, text=True, env=env, timeout=60
            )
            assert done.returncode == 0, done.stderr
            return done

        call("new", "reader@example.org")
        config.write_text(
            config.read_text()
            .replace("email-protocol = smtp", "email-protocol = sendmail")
            .replace("sendmail = /usr/sbin/sendmail", f"sendmail = {sendmail}")
        )
        call("add", "parents", url + "feeds/parents.xml")
        call("run", "--no-send")  # the existing items are marked as seen
        assert not mailbox.exists()

        add_amendment(
            project_copy, "reader-test-change", "Signs page updated for the reader test", "parents"
        )
        rebuilt = build_site(site, project_copy / "mkdocs.yml", project_copy)
        assert rebuilt.returncode == 0, rebuilt.stderr[-3000:]
        call("run")
        mail = mailbox.read_text()
        assert mail.count("=====") == 1
        assert "Signs page updated for the reader test" in mail
        assert SITE_URL + "parents/signs/" in mail  # links come from site_url
        print(mail)
    finally:
        server.shutdown()


def chapter_slugs() -> list[str]:
    return sorted(p.stem for p in (ROOT / "docs" / "procedure").glob("[0-9]*.md"))


@pytest.mark.parametrize("stem", chapter_slugs())
def test_each_chapter_has_its_own_feed_linked_from_the_chapter(site_dir, stem):
    """Alerts for one chapter only: the feed parses, carries only changes to that chapter, and
    the chapter links to it."""
    parsed = parse(site_dir, f"chapter-{stem}")
    assert parsed.version == "rss20"
    page = f"procedure/{stem}.md"
    expected = [f"urn:cse-handbook:{a.id}" for a in load_amendments() if page in a.pages]
    assert [e.id for e in parsed.entries] == expected
    html = (site_dir / "procedure" / stem / "index.html").read_text(encoding="utf-8")
    assert f'href="../../feeds/chapter-{stem}.xml"' in html
    assert "Alerts for this chapter only" in html


def test_a_chapter_feed_has_the_changes_to_its_chapter_only(site_dir):
    chapter = "procedure/07-managing-individual-young-people.md"
    expected = {f"urn:cse-handbook:{a.id}" for a in load_amendments() if chapter in a.pages}
    entries = parse(site_dir, "chapter-07-managing-individual-young-people").entries
    assert "urn:cse-handbook:missing-pathway-clarified" in expected
    assert {e.id for e in entries} == expected
    by_id = {e.id: e for e in entries}
    # The entry's first page, absolute.
    assert (
        by_id["urn:cse-handbook:missing-pathway-clarified"].link == SITE_URL + "guidance/pathway/"
    )


def test_opml_lists_every_feed(site_dir):
    from xml.etree import ElementTree as ET

    root = ET.parse(site_dir / "feeds" / "feeds.opml").getroot()
    listed = sorted(o.get("xmlUrl") for o in root.iter("outline"))
    files = sorted(
        SITE_URL + "feeds/" + p.name
        for p in (site_dir / "feeds").glob("*.xml")
        if p.name != "sitemap.xml"
    )
    assert listed == files and len(files) == len(FEEDS) + len(chapter_slugs())


def test_site_url_comes_from_SITE_URL_when_set_and_from_the_configuration_otherwise(monkeypatch):
    from mkdocs.config import load_config

    monkeypatch.delenv("SITE_URL", raising=False)
    assert load_config(str(ROOT / "mkdocs.yml")).site_url == SITE_URL
    monkeypatch.setenv("SITE_URL", "http://127.0.0.1:8765/")
    assert load_config(str(ROOT / "mkdocs.yml")).site_url == "http://127.0.0.1:8765/"
    # `make serve` builds with the address it serves on.
    run = subprocess.run(
        ["make", "-n", "serve", "HOST=127.0.0.1", "PORT=8765"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert "SITE_URL=http://127.0.0.1:8765/ " in run.stdout and "--port 8765" in run.stdout, (
        run.stdout
    )
