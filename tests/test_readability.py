"""Plain English on the pages for parents, carers and young people.

Each page must score Flesch-Kincaid grade 8 or lower, measured with textstat on the page's
visible main text: the built page's `article.md-content__inner`, without navigation, scripts,
permalink anchors or text that is only there for screen readers. Headings count, and so does
whatever the macros put on the page (contact names, numbers and web addresses).

Each block (paragraph, list item, heading, table cell...) is read as its own sentence, as a
reader sees it: textstat only ends sentences at . ! or ?, so a heading or a list item without a
full stop would otherwise be glued to the next sentence.

Run with `-s` to see each page's figure.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import textstat

from helpers import audience_pages

# Every page in docs/parents and docs/young-people, as built files.
PAGES = [rel + "index.html" for rel in audience_pages()]
MAX_GRADE = 8.0

BLOCKS = {
    "p",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "dt",
    "dd",
    "td",
    "th",
    "caption",
    "summary",
    "figcaption",
    "blockquote",
    "div",
    "section",
    "details",
    "pre",
    "tr",
    "ul",
    "ol",
    "table",
    "br",
}
SKIP = {"nav", "script", "style", "template", "noscript", "svg", "button"}
VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}
# Not visible text: Material's permalink anchors and visually hidden text for screen readers.
SKIP_CLASSES = {"headerlink", "quick-exit__hidden"}


class ArticleText(HTMLParser):
    """Collect the visible text of <article class="md-content__inner ...">, one block per item."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # element depth inside the article; 0 = not inside it
        self.skip_depth = 0  # > 0 while inside something that is not visible text
        self.hidden_stack: list[bool] = []
        self.blocks: list[str] = []
        self.current: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.current)).strip()
        if text:
            self.blocks.append(text)
        self.current = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = set((attrs.get("class") or "").split())
        if self.depth == 0:
            if tag == "article" and "md-content__inner" in classes:
                self.depth = 1
            return
        if tag in BLOCKS:
            self._flush()
        if tag in VOID:
            return
        self.depth += 1
        hidden = tag in SKIP or bool(classes & SKIP_CLASSES) or "hidden" in attrs
        self.hidden_stack.append(hidden)
        if hidden:
            self.skip_depth += 1

    def handle_startendtag(self, tag, attrs):
        if self.depth and tag in BLOCKS:
            self._flush()

    def handle_endtag(self, tag):
        if self.depth == 0 or tag in VOID:
            return
        if self.depth == 1:  # </article>
            self._flush()
            self.depth = 0
            return
        self.depth -= 1
        if self.hidden_stack and self.hidden_stack.pop():
            self.skip_depth -= 1
        if tag in BLOCKS:
            self._flush()

    def handle_data(self, data):
        if self.depth and not self.skip_depth:
            self.current.append(data)


def article_blocks(html: str) -> list[str]:
    parser = ArticleText()
    parser.feed(html)
    parser.close()
    return parser.blocks


def article_text(html: str) -> str:
    """The article's visible text, each block ending as a sentence."""
    sentences = []
    for block in article_blocks(html):
        if block[-1] not in ".!?":
            block = block.rstrip(":;,") + "."
        sentences.append(block)
    return "\n".join(sentences)


def grade(text: str) -> float:
    return textstat.flesch_kincaid_grade(text)


@pytest.mark.parametrize("rel", PAGES)
def test_plain_english(site_dir: Path, rel: str) -> None:
    html = (site_dir / rel).read_text(encoding="utf-8")
    text = article_text(html)
    assert len(text.split()) > 50, (
        f"{rel}: found almost no article text; did the page layout change?"
    )
    figure = grade(text)
    print(f"\n{rel}: Flesch-Kincaid grade {figure} ({len(text.split())} words)")
    assert figure <= MAX_GRADE, (
        f"{rel}: Flesch-Kincaid grade {figure} is above {MAX_GRADE}; use shorter sentences and words"
    )


def test_pages_are_found_not_listed() -> None:
    """The list comes from the folders: every Markdown file there is in it."""
    from helpers import ROOT

    sources = sorted((ROOT / "docs" / "parents").glob("*.md")) + sorted(
        (ROOT / "docs" / "young-people").glob("*.md")
    )
    assert len(PAGES) == len(sources) >= 7
    assert "parents/what-to-do/index.html" in PAGES and "young-people/index.html" in PAGES


def test_extraction_skips_hidden_text_and_splits_blocks() -> None:
    html = (
        '<nav>Menu item</nav><article class="md-content__inner md-typeset">'
        '<h1 id="t">Title<a class="headerlink" href="#t">¶</a></h1>'
        '<nav class="md-tags">Tag</nav><p>One line. <span class="quick-exit__hidden">Hidden</span>'
        "<span hidden>Also hidden</span>Two</p><ul><li>Item</li></ul><script>var x</script>"
        "</article><footer>Footer</footer>"
    )
    assert article_blocks(html) == ["Title", "One line. Two", "Item"]
    assert article_text(html) == "Title.\nOne line. Two.\nItem."
