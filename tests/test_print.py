"""Printing: a chapter and an appendix print as clean A4 documents.

Chromium prints each page to PDF (print media, so docs/assets/css/print.css applies), pypdf
extracts the text, and the test checks that the content is all there, that link addresses are
written out after links, and that navigation, search, table of contents and footer are not.
"""

from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader

pytestmark = pytest.mark.browser

CHAPTER = "procedure/01-definition-and-categories/"
APPENDIX = "guidance/risk-indicators/"

# Text that only the site's navigation, header, search, table of contents or footer carries
# on these pages. None of it may reach paper.
CHROME_ONLY = [
    "Skip to content",
    "Made with",
    "Privacy and how this site works",  # a nav entry
    "7. Multi-agency management of individual young people",  # a nav entry
    "8. Admission to local authority care",  # a nav entry
    "Looking after yourself",  # a nav entry
    "Table of contents",
    "Type to start searching",
]


def pdf_text(page, base_url: str, rel: str) -> tuple[str, int]:
    page.goto(base_url + rel, wait_until="load")
    page.wait_for_load_state("networkidle")
    data = page.pdf(format="A4", print_background=False)
    reader = PdfReader(io.BytesIO(data))
    text = "\n".join(p.extract_text() or "" for p in reader.pages)
    return re.sub(r"\s+", " ", text), len(reader.pages)


def _missing(text: str, sentences: list[str]) -> list[str]:
    return [s for s in sentences if re.sub(r"\s+", " ", s) not in text]


def test_chapter_prints_its_content_and_no_navigation(page, base_url):
    text, pages = pdf_text(page, base_url, CHAPTER)
    assert pages >= 2
    key = [
        "1. Definition and categories of CSE",
        "Use the national definition below when you describe CSE in records and referrals.",
        "Treat the child as a victim of abuse, whatever they say about choice or consent.",
        "Child sexual exploitation is a form of child sexual abuse.",
        "A child under 13 can never consent.",
        "significant risk",
        "serious risk",
        "Related tools",
    ]
    assert _missing(text, key) == []
    leaked = [s for s in CHROME_ONLY if s in text]
    assert leaked == [], f"navigation text printed: {leaked}"
    # Link addresses are written out after links (an internal link to the screening tool).
    assert "tools/screening/" in text
    # The "immediate danger" line stays on paper.
    assert "If a child is in immediate danger, call 999." in text


def test_appendix_prints_its_content_and_no_navigation(page, base_url):
    text, _pages = pdf_text(page, base_url, APPENDIX)
    key = [
        "Risk indicators guidance sheet",
        "The lists are not a checklist to add up.",
        "Vulnerabilities",
        "Signs of harm",
        "An adult or much older person.",
        "Missing episodes.",
        "Coercion and violence.",
    ]
    assert _missing(text, key) == []
    leaked = [s for s in CHROME_ONLY if s in text]
    assert leaked == [], f"navigation text printed: {leaked}"
