"""The categories are written once (tools/definitions/categories.yaml) and rendered everywhere:
no page restates them by hand, and every page that talks about categories shows the macro blocks."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from helpers import ROOT
from cse_tools.catalog import load_categories
from macros.categories import load_vignettes
from macros.data import DataError

CATEGORIES = load_categories()


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip().lower()


def defined_sentences(inline: bool = True) -> list[str]:
    """Every piece of wording the categories file defines, long enough to be unmistakable.
    inline=False leaves out the review intervals, which pages may use inside their own sentences
    (and mermaid diagrams) through category_review()."""
    texts = [CATEGORIES.time_window, CATEGORIES.vulnerabilities_note]
    for level in CATEGORIES.levels:
        texts += [
            level.meaning,
            level.example,
            *level.criteria,
            *(t.action for t in level.triggers),
        ]
        if inline:
            texts.append(level.review)
    sentences = []
    for text in texts:
        sentences += [s for s in re.split(r"(?<=[.!?])\s+", _norm(text)) if len(s) > 30]
    return sentences


SENTENCES = defined_sentences()
BLOCK_SENTENCES = defined_sentences(inline=False)
PAGES_WITH_CATEGORIES = {
    "guidance/categories/index.html": {"details", "time-window"},
    "procedure/01-definition-and-categories/index.html": {"table"},
    "procedure/02-risk-and-vulnerability-indicators/index.html": {"criteria", "time-window"},
    "procedure/06-assessing-needs/index.html": {"table"},
    "guidance/pathway/index.html": {"table"},
    "tools/how-the-tools-decide/index.html": {"table", "worked-examples"},
}


class OutsideBlocks(HTMLParser):
    """The text of a page outside the rendered category blocks, and the kinds of block found."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0  # > 0 while inside a data-categories-block element
        self.stack: list[bool] = []
        self.outside: list[str] = []
        self.blocks: set[str] = set()

    def handle_starttag(self, tag, attrs):
        if tag in ("br", "img", "input", "meta", "link", "hr", "wbr"):
            return
        block = dict(attrs).get("data-categories-block")
        if block:
            self.blocks.add(block)
        self.stack.append(bool(block))
        self.depth += bool(block)

    def handle_endtag(self, tag):
        if self.stack:
            self.depth -= self.stack.pop()

    def handle_data(self, data):
        if self.depth == 0:
            self.outside.append(data)


def test_the_categories_define_enough_wording_to_check():
    assert len(SENTENCES) >= 25


def test_no_markdown_page_restates_the_categories():
    for path in sorted((ROOT / "docs").rglob("*.md")):
        text = _norm(path.read_text(encoding="utf-8"))
        for sentence in SENTENCES:
            assert sentence not in text, (
                f"{path.relative_to(ROOT)} restates the categories: {sentence!r}"
            )


def test_built_pages_show_the_categories_only_from_the_macro_blocks(site_dir: Path):
    checked = 0
    for page in sorted(site_dir.rglob("*.html")):
        parser = OutsideBlocks()
        parser.feed(page.read_text(encoding="utf-8"))
        outside = _norm(" ".join(parser.outside))
        for sentence in BLOCK_SENTENCES:
            assert sentence not in outside, (
                f"{page.relative_to(site_dir)} has category wording outside a block: {sentence!r}"
            )
        name = page.relative_to(site_dir).as_posix()
        if name in PAGES_WITH_CATEGORIES:
            assert PAGES_WITH_CATEGORIES[name] <= parser.blocks, (name, parser.blocks)
            checked += 1
    assert checked == len(PAGES_WITH_CATEGORIES)


def test_worked_examples_on_the_page_match_the_expected_categories(site_dir: Path):
    html = (site_dir / "tools" / "how-the-tools-decide" / "index.html").read_text(encoding="utf-8")
    block = html[html.index('data-categories-block="worked-examples"') :]
    cells = re.findall(r'data-expected="(\d)" data-level="(\d)"', block)
    cases = load_vignettes()
    assert len(cells) == 2 * len(cases) >= 60
    assert all(expected == level for expected, level in cells)
    for case in cases:
        assert case["name"].replace("'", "&#39;") in block


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (
            lambda d: d[0].update(expect={"screening": 0}),
            "case 1 ('Nothing known'): field 'expect' must give a category",
        ),
        (
            lambda d: d[1]["answers"].update(looked_after="maybe"),
            "field 'answers.looked_after' must be one of",
        ),
        (lambda d: d[2].update(age=21), "field 'age' must be a whole number from 0 to 17"),
        (lambda d: d[3].pop("reason"), "case 4: field 'reason' must be non-empty text"),
        (lambda d: d[4].update(colour="red"), "field 'colour' is not a known field"),
    ],
)
def test_a_malformed_worked_case_names_file_and_field(tmp_path, mutate, message):
    data = yaml.safe_load((ROOT / "tests" / "data" / "vignettes.yaml").read_text(encoding="utf-8"))
    mutate(data)
    path = tmp_path / "vignettes.yaml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    with pytest.raises(DataError) as caught:
        load_vignettes(path)
    assert message in str(caught.value)


def test_an_unknown_question_in_a_worked_case_is_refused():
    with pytest.raises(
        DataError, match="field 'answers.looked_after' is not a question of any tool"
    ):
        load_vignettes(question_ids={"missing_episodes"})
