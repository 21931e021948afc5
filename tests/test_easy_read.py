"""The Easy Read pages (docs/*/easy-read.md, macros/easy_read.py): short sentences with one idea,
a picture with a text alternative beside every point, the same numbers as the data files, a
reading grade of 4 or below, and the conventions followed named in the front matter."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import urljoin

import pytest
import textstat
import yaml

from helpers import ROOT
from test_readability import article_blocks, article_text

PAGES = sorted((ROOT / "docs").rglob("easy-read.md"))
BUILT = {
    path: path.relative_to(ROOT / "docs").with_suffix("").as_posix() + "/index.html"
    for path in PAGES
}
MAX_GRADE = 4.0
SHORT = 12  # words: most sentences are shorter than this
LONGEST = 15  # words: none is longer (the Department of Health's guidance)


def front_matter(path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8").split("---")[1])


def sentences(html: str) -> list[str]:
    """Every sentence of the article, headings and list items ending one too."""
    found = []
    for block in article_blocks(html):
        found += [s.strip() for s in re.split(r"(?<=[.!?])\s+", block) if s.strip()]
    return found


class Points(HTMLParser):
    """For each list item inside .easy-read: how many pictures with a text alternative it has."""

    def __init__(self) -> None:
        super().__init__()
        self.in_easy = 0
        self.items: list[list[str]] = []
        self.depth = 0

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "easy-read" in (attrs.get("class") or "").split():
            self.in_easy = 1
            self.depth = 0
            return
        if not self.in_easy:
            return
        if tag == "div":
            self.depth += 1
        if tag == "li":
            self.items.append([])
        if tag == "svg" and self.items:
            self.items[-1].append(attrs.get("aria-label") if attrs.get("role") == "img" else "")

    def handle_endtag(self, tag):
        if self.in_easy and tag == "div":
            if self.depth == 0:
                self.in_easy = 0
            else:
                self.depth -= 1


def numbers_in_data() -> set[str]:
    """Every run of digits in the data files the pages render from."""
    found: set[str] = set()
    for path in [*(ROOT / "data").glob("*.yml")]:
        found |= set(re.findall(r"\d+", path.read_text(encoding="utf-8")))
    return found


def test_there_are_two_easy_read_pages_and_each_names_its_conventions():
    assert {p.parent.name for p in PAGES} == {"parents", "young-people"}
    for path in PAGES:
        conventions = " ".join(front_matter(path)["easy_read"])
        assert (
            "Department of Health" in conventions
            and "2010" in conventions
            and "Mencap" in conventions
        )
        assert front_matter(path)["quick_exit"] is True


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.parent.name)
def test_sentences_are_short(site_dir, path):
    found = sentences((site_dir / BUILT[path]).read_text(encoding="utf-8"))
    lengths = [len(s.split()) for s in found]
    assert len(found) >= 20
    too_long = [s for s in found if len(s.split()) > LONGEST]
    assert too_long == []
    short = sum(1 for n in lengths if n < SHORT)
    assert short / len(lengths) >= 0.8, (
        f"only {short} of {len(lengths)} sentences are under {SHORT} words"
    )


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.parent.name)
def test_reading_grade_is_4_or_below(site_dir, path):
    text = article_text((site_dir / BUILT[path]).read_text(encoding="utf-8"))
    grade = textstat.flesch_kincaid_grade(text)
    print(f"\n{BUILT[path]}: Flesch-Kincaid grade {grade}")
    assert grade <= MAX_GRADE


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.parent.name)
def test_every_point_has_one_picture_with_a_text_alternative(site_dir, path):
    parser = Points()
    parser.feed((site_dir / BUILT[path]).read_text(encoding="utf-8"))
    assert len(parser.items) >= 10
    for labels in parser.items:
        assert len(labels) == 1 and labels[0] and labels[0].strip(), labels


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.parent.name)
def test_every_number_on_the_page_comes_from_the_data_files(site_dir, path):
    html = (site_dir / BUILT[path]).read_text(encoding="utf-8")
    text = " ".join(article_blocks(html))
    on_page = set(re.findall(r"\d+", text))
    assert on_page  # the emergency number at least
    assert on_page <= numbers_in_data(), on_page - numbers_in_data()
    # And no number is typed into the Markdown: every one arrives through a macro.
    source = re.sub(
        r"\{\{.*?\}\}|\{%.*?%\}|^---.*?^---",
        " ",
        path.read_text(encoding="utf-8"),
        flags=re.S | re.M,
    )
    assert re.findall(r"\d+", source) == []


@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.parent.name)
def test_original_pages_and_home_link_the_easy_read_page(site_dir, path):
    folder = path.parent.name
    original = {
        "parents": "parents/what-to-do/index.html",
        "young-people": "young-people/index.html",
    }[folder]
    for page in (original, "index.html"):
        html = (site_dir / page).read_text(encoding="utf-8")
        article = html[html.find('<article class="md-content__inner') : html.find("</article>")]
        base = "https://site.test/" + page.removesuffix("index.html")
        targets = {urljoin(base, href) for href in re.findall(r'href="([^"]+)"', article)}
        assert f"https://site.test/{folder}/easy-read/" in targets, page


def test_an_unknown_icon_or_empty_alternative_fails_the_build_naming_the_page():
    from macros.data import DataError
    from macros.easy_read import icon_shape

    with pytest.raises(DataError, match="docs/x.md: picture\\('no-such-icon'\\)"):
        icon_shape("no-such-icon", "docs/x.md")
    assert icon_shape("phone", "docs/x.md")["paths"]
