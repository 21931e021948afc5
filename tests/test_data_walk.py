"""Every data value is shown as the text it is, wherever it goes: a generic walk.

Every string in every data file (data/*.yml, the partnership file among them) and every tool
definition (tools/definitions/*.yaml) gets hostile text appended: HTML, a Markdown link to a
`javascript:` address and one to another site, an HTML link, a way out of a <script> element and
of XML. The walk is over the parsed YAML, not a list of fields, so a field added later is covered
by default. The site is then built from a copy of the project and every output is read back:

- every page (html.parser): no planted element, and no link to `javascript:` or the planted site;
- the search index: its titles, texts and tags (Material shows them as HTML) likewise;
- every feed and the OPML file: well-formed XML with no planted element, and each item's title
  and description (which readers show as HTML) again with no planted element or link.

Some fields are checked at build (addresses, phone numbers, ids, choices, plain-text fields) and
refuse the hostile text with a DataError naming the file and the field: that is a pass for the
field. The walk finds them by running the data checks (fast, in a subprocess of the copy) and
takes the planting out of each field a check names, then builds once. The refused fields are
printed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from xml.etree import ElementTree as ET

import feedparser
import pytest
import yaml

from helpers import ROOT, build_site, copy_project

PLANTED = (
    "<planted-el>planted</planted-el> [planted-md](javascript:alert(1)) "
    '[planted-off](https://planted.example/) <a href="javascript:alert(2)">planted-a</a> '
    "</script><planted-el>out</planted-el> ]]></description><planted-xml/> &amp; {#planted-id}"
)

DATA_FILES = sorted(
    p.relative_to(ROOT)
    for p in [*(ROOT / "data").glob("*.yml"), *(ROOT / "tools" / "definitions").glob("*.yaml")]
)

# Runs in the copy: every data check the build's macros make at the start of a build (each
# module's register, the tool definitions), the first DataError's message printed.
CHECK = r"""
import sys
sys.path[:0] = [".", "tools"]
from macros import MODULES
from macros.data import DataError
from macros.tool_pages import load_catalog

class Env:
    def __init__(self):
        self.conf = {"docs_dir": "docs", "extra": {}, "site_dir": "/nonexistent", "site_url": "https://x.example/",
                     "config_file_path": "mkdocs.yml", "site_name": "x"}
        self.variables = {"extra": self.conf["extra"]}
    def macro(self, f=None, name=None):
        return f if f is not None else (lambda g: g)
    def filter(self, f=None, name=None):
        return f if f is not None else (lambda g: g)

try:
    env = Env()
    for module in MODULES:
        if module.__name__ not in ("macros.build", "macros.offline"):
            module.register(env)
    load_catalog()
except DataError as exc:
    print("DataError:", exc)
else:
    print("OK")
"""


def leaves(value, path=()):
    """(path, text) for every string in parsed YAML (values, not keys)."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from leaves(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def set_at(data, path, text):
    for step in path[:-1]:
        data = data[step]
    data[path[-1]] = text


class Live(HTMLParser):
    """Elements and links that the planted text would make live."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag.startswith("planted"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            value = (value or "").strip().lower()
            if name in ("href", "src", "action", "formaction") and (
                value.startswith("javascript:") or "planted.example" in value
            ):
                self.found.append(f"<{tag} {name}={value}>")

    handle_startendtag = handle_starttag


def live(html: str) -> list[str]:
    parser = Live()
    parser.feed(html)
    parser.close()
    return parser.found


def identifier(where: tuple) -> bool:
    """An entry's `id` (or `..._id`) is what other data and pages look it up by, never shown text."""
    keys = [step for step in where if isinstance(step, str)]
    return bool(keys) and (keys[-1] == "id" or keys[-1].endswith("_id"))


def plant(project: Path) -> dict[Path, list[tuple]]:
    """Append PLANTED to every string of every data file in the copy (identifiers aside); the
    planted paths by file."""
    planted = {}
    for rel in DATA_FILES:
        path = project / rel
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        planted[rel] = [p for p, _ in leaves(data) if not identifier(p)]
        for where in planted[rel]:
            set_at(data, where, f"{dict(leaves(data))[where]} {PLANTED}")
        path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return planted


def unplant(project: Path, rel: Path, field: str | None) -> int:
    """Take the planting out of every string of `rel` under a key named `field` (all, if None)."""
    path = project / rel
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    count = 0
    for where, text in list(leaves(data)):
        keys = [str(step) for step in where if isinstance(step, str)]
        if PLANTED in text and (field is None or field in keys[-1:] or field in keys):
            set_at(data, where, text.replace(f" {PLANTED}", ""))
            count += 1
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return count


def file_named(message: str) -> Path | None:
    """The data file a DataError is about: the first one its message names (it starts with it)."""
    found = []
    for rel in DATA_FILES:
        at = re.search(rf"(?<![\w-]){re.escape(rel.name)}\b", message)
        if at:
            found.append((at.start(), rel))
    return min(found)[1] if found else None


def take_out(project: Path, out: str, refused: list[str]) -> None:
    """Take the planting out of the field a DataError names (the whole file if it names none)."""
    rel = file_named(out)
    assert rel is not None, f"a DataError that names no data file: {out[:2000]}"
    fields = re.findall(r"field '([^']+)'", out)
    field = fields[-1].split(".")[-1] if fields else None
    if not unplant(project, rel, field) and field is not None:
        assert unplant(project, rel, None), f"nothing left to take out for: {out[:2000]}"
        field = None
    refused.append(f"{rel}: {field or '(whole file)'}: {out[:160]}")


def build_what_the_checks_accept(project: Path, dest: Path) -> list[str]:
    """Run the data checks until they pass, then build (a check made only while pages render is
    handled the same way); the refusals, as 'file: field: message'."""
    env = {**os.environ, "PYTHONPATH": str(project / "tools")}
    refused: list[str] = []
    for _ in range(400):
        run = subprocess.run(
            [sys.executable, "-c", CHECK],
            cwd=project,
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        out = run.stdout.strip()
        if out == "OK":
            break
        assert out.startswith("DataError:"), (
            f"the build's checks crashed instead of naming the field:\n{run.stderr[-3000:]}"
        )
        take_out(project, out, refused)
    for _ in range(5):
        run = build_site(
            dest, project / "mkdocs.yml", project, env={"PYTHONPATH": str(project / "tools")}
        )
        if run.returncode == 0:
            return refused
        errors = re.findall(r"DataError: (.*)", run.stderr)
        assert errors, (
            f"the build failed without a DataError naming the field:\n{run.stderr[-3000:]}"
        )
        take_out(project, errors[-1], refused)
    pytest.fail("the build never passed")


def test_planted_markup_in_every_data_string_never_becomes_live(tmp_path, capsys):
    project = copy_project(tmp_path / "project")
    planted = plant(project)
    assert sum(len(v) for v in planted.values()) > 1000  # the walk reached every file's strings
    out = tmp_path / "site"
    refused = build_what_the_checks_accept(project, out)
    with capsys.disabled():
        print(f"\nrefused by the data checks (a pass for each): {len(refused)}")
        for row in refused:
            print("  " + row)

    problems, shown = [], 0
    for page in sorted(out.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        shown += "planted-el" in html
        problems += [f"{page.relative_to(out)}: {f}" for f in live(html)]
    assert shown > 20, "the planted text reached too few pages for the test to mean anything"

    index = json.loads((out / "search" / "search_index.json").read_text(encoding="utf-8"))
    for doc in index["docs"]:
        for part in ("title", "text"):
            problems += [
                f"search index {doc['location']} {part}: {f}" for f in live(doc.get(part, ""))
            ]
        for tag in doc.get("tags") or []:
            problems += [f"search index {doc['location']} tag: {f}" for f in live(tag)]

    feeds = sorted((out / "feeds").glob("*.xml")) + sorted((out / "feeds").glob("*.opml"))
    assert len(feeds) > 3
    for feed in feeds:
        root = ET.parse(feed).getroot()  # well-formed: nothing planted broke out of its element
        problems += [
            f"{feed.name}: <{el.tag}>" for el in root.iter() if str(el.tag).startswith("planted")
        ]
        parsed = feedparser.parse(feed.read_bytes())
        assert not parsed.bozo, (feed.name, parsed.get("bozo_exception"))
        for item in root.iter("item"):
            for part in ("title", "description"):
                text = item.findtext(part) or ""
                problems += [f"{feed.name} item {part}: {f}" for f in live(text)]
    where = sorted({p.split(": ")[0] for p in problems})
    assert problems == [], f"{len(problems)} live values on {where}; first: " + "\n".join(
        problems[:10]
    )
