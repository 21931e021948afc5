"""Bad data at build: every value from a data file is escaped where it is shown, and addresses,
phone numbers and the quick-exit address are checked, failing with the file and field named."""

from __future__ import annotations

import json
import re

import markdown
import pytest
import yaml
from jinja2 import Environment, FileSystemLoader

from helpers import ROOT, build_site
from macros.amendments import box_markdown, load_amendments
from macros.data import DataError, md_text
from macros.site import load_partnership

PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
HOSTILE = "<img src=x onerror=alert(1)> [click](javascript:alert(1)) \"quote' {#id} **bold** | cell"


def write_partnership(tmp_path, change) -> object:
    data = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "partnership.yml"
    path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
    return path


def contact(data, cid):
    return next(c for c in data["contacts"] if c["id"] == cid)


@pytest.mark.parametrize(
    ("change", "named"),
    [
        (lambda d: d.update(quick_exit_url=""), "field 'quick_exit_url' is missing"),
        (
            lambda d: d.update(quick_exit_url="/parents/"),
            "field 'quick_exit_url': '/parents/' must be a full https:// address",
        ),
        (lambda d: d.update(quick_exit_url="javascript:alert(1)"), "field 'quick_exit_url'"),
        (
            lambda d: d.update(quick_exit_url='https://www.bbc.co.uk/" onclick="x'),
            "field 'quick_exit_url'",
        ),
        (
            lambda d: d.update(quick_exit_url="http://www.bbc.co.uk/weather"),
            "field 'quick_exit_url'",
        ),
        (
            lambda d: contact(d, "out_of_hours").update(web="edt.example.org"),
            "contact 'out_of_hours': field 'web'",
        ),
        (
            lambda d: contact(d, "out_of_hours").update(phone="call us"),
            "contact 'out_of_hours': field 'phone'",
        ),
        (lambda d: contact(d, "hub").update(phone="0100-000-0001"), "contact 'hub': field 'phone'"),
        (
            lambda d: d["safeguarding_contact"].update(phone="hub"),
            "safeguarding_contact: field 'phone'",
        ),
        (lambda d: d["emergency"].update(number="nine"), "emergency: field 'number'"),
        (lambda d: d.update(name="Exampleshire <b>SCP</b>"), "field 'name'"),
        (
            lambda d: contact(d, "lado").update(role="See [here](javascript:x)"),
            "contacts entry 4: field 'role'",
        ),
    ],
)
def test_bad_partnership_values_fail_naming_file_and_field(tmp_path, change, named):
    path = write_partnership(tmp_path, change)
    with pytest.raises(DataError) as err:
        load_partnership(path)
    assert "partnership.yml" in str(err.value) and named in str(err.value), str(err.value)


def test_the_real_partnership_passes():
    data = load_partnership()
    assert data["quick_exit_url"].startswith("https://")


def test_an_amendment_with_no_pages_names_its_entry(tmp_path):
    text = (ROOT / "data" / "amendments.yml").read_text(encoding="utf-8")
    old = "  pages:\n    - procedure/index.md\n    - guidance/index.md\n"
    assert old in text
    bad = tmp_path / "amendments.yml"
    bad.write_text(text.replace(old, "  pages: []\n", 1), encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_amendments(bad, ROOT / "docs")
    assert (
        "amendments.yml: entry 1 ('The CSE procedure is now published as an online handbook'): "
        "field 'pages' is empty" in str(err.value)
    )


def render_md(text: str) -> str:
    return markdown.markdown(
        text, extensions=["abbr", "admonition", "attr_list", "def_list", "md_in_html", "tables"]
    )


def test_md_text_never_lets_a_value_become_markup():
    html = render_md(f"Start {md_text(HOSTILE)} end")
    assert "<img" not in html and "<a " not in html and "<strong>" not in html
    assert 'id="id"' not in html
    text = re.sub(r"<[^>]+>", "", html)  # what the reader sees: the value, as written
    assert "[click](javascript:alert(1))" in text.replace("&quot;", '"')
    assert "&lt;img src=x onerror=alert(1)&gt;" in text
    box = render_md(
        box_markdown(
            "procedure/index.md",
            {
                "date": "1 May 2027",
                "iso": "2027-05-01",
                "title": HOSTILE,
                "summary": HOSTILE,
                "id": "x",
            },
            "a",
            "b",
        )
    )
    assert "<img" not in box and "javascript:" not in re.findall(r'href="([^"]*)"', box).__str__()


def theme_env() -> Environment:
    """Our partials as MkDocs renders them (MkDocs' own Jinja has no autoescape)."""
    env = Environment(loader=FileSystemLoader(str(ROOT / "overrides")))
    env.filters["url"] = lambda value: value
    return env


def test_theme_partials_escape_every_data_value():
    hostile = {
        **PARTNERSHIP,
        "quick_exit_url": 'https://x.example/" onclick="alert(1)',
        "emergency": {"number": "999", "text": HOSTILE},
        "safeguarding_contact": {"name": HOSTILE, "phone": '0100"><b>', "hours": HOSTILE},
    }
    # The banner's daytime and out-of-hours contacts (macros/site.py passes them as a pair).
    config = {
        "extra": {
            "partnership": hostile,
            "banner_contacts": [hostile["safeguarding_contact"], hostile["safeguarding_contact"]],
        }
    }
    banner = theme_env().get_template("partials/danger-banner.html").render(config=config)
    exit_html = (
        theme_env()
        .get_template("partials/quick-exit.html")
        .render(config=config, page={"url": "parents/"})
    )
    for html in (banner, exit_html):
        assert "<img" not in html and "<b>" not in html and 'onclick="alert' not in html
    assert "&lt;img" in banner
    assert 'href="https://x.example/&#34; onclick=&#34;alert(1)"' in exit_html


def test_a_build_shows_hostile_glossary_and_amendment_values_as_text(project_copy, tmp_path):
    glossary = project_copy / "data" / "glossary.yml"
    glossary.write_text(
        glossary.read_text(encoding="utf-8")
        + f"- term: Zz hostile term\n  meaning: {json.dumps(HOSTILE)}\n",
        encoding="utf-8",
    )
    amendments = project_copy / "data" / "amendments.yml"
    entry = (
        f"\n- id: hostile-entry\n  date: 2020-01-01\n  title: {json.dumps(HOSTILE)}\n"
        f"  pages:\n    - procedure/index.md\n  kind: updated\n  summary: {json.dumps(HOSTILE)}\n"
        "  audience: practitioners\n"
    )
    amendments.write_text(amendments.read_text(encoding="utf-8") + entry, encoding="utf-8")
    run = build_site(tmp_path / "out", project_copy / "mkdocs.yml", project_copy)
    assert run.returncode == 0, run.stderr[-3000:]
    for page in ("glossary/index.html", "updates/index.html"):
        html = (tmp_path / "out" / page).read_text(encoding="utf-8")
        assert "&lt;img src=x onerror=alert(1)&gt;" in html, page
        assert "<img src=x" not in html and 'href="javascript:' not in html, page
