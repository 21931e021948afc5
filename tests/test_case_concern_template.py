"""The joint high-level case concern template prints as a usable A4 form: Part A (referral) and
Part B (meeting record) with their questions, and no site navigation."""

from __future__ import annotations

import pytest

from test_print import CHROME_ONLY, pdf_text

pytestmark = pytest.mark.browser


def test_template_prints_both_parts(page, base_url):
    text, pages = pdf_text(page, base_url, "guidance/case-concern-template/")
    assert pages >= 2
    for words in [
        "Part A: referral for a high-level case concern meeting",
        "What do you want the meeting to decide?",
        "Part B: meeting record",
        "Actions agreed",
        "Who (name and agency)",
        "Should the case be tracked by the MACE meeting?",
        "Chair's signature and date",
    ]:
        assert words in text, words
    assert [s for s in CHROME_ONLY if s in text] == []
