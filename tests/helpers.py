"""The tests' plain helpers, in one module (fixtures are in conftest.py, which nothing imports).

Building the site and copying the project; listing pages; watching a page's requests and what it
stored; and for the tool and plan pages: realistic cases, the command line's answers for them,
filling the form, printing to PDF and checking nothing left the device."""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))  # chromium, serve, traffic

MKDOCS = [sys.executable, "-m", "mkdocs"]
# Silence Material's end-of-life notice in every build a test runs, as the Makefile does, so a bare
# `pytest` passes like `make test` (see MAINTAINERS.md).
os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")


def build_site(
    dest: Path,
    config: Path = ROOT / "mkdocs.yml",
    cwd: Path = ROOT,
    env: dict[str, str] | None = None,
) -> subprocess.CompletedProcess:
    """Run `mkdocs build --strict` into dest; return the finished process (check returncode).
    `env` adds environment variables (e.g. CSE_PARTNERSHIP, CSE_PUBLISH) to this build only."""
    return subprocess.run(
        [*MKDOCS, "build", "--strict", "--config-file", str(config), "--site-dir", str(dest)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=600,
    )


def html_pages(site: Path) -> list[str]:
    """Site-relative URLs of every built page (directory URLs), 404 page excluded."""
    pages = []
    for path in sorted(site.rglob("index.html")):
        rel = path.parent.relative_to(site).as_posix()
        pages.append("" if rel == "." else rel + "/")
    return pages


def changed_yaml(source: Path, folder: Path, change) -> Path:
    """A copy of a YAML data file in folder, with `change(data)` applied: for malformed-file tests."""
    import yaml

    data = yaml.safe_load(source.read_text(encoding="utf-8"))
    change(data)
    path = folder / source.name
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    return path


AUDIENCE_DIRS = ("parents", "young-people")


def audience_pages() -> list[str]:
    """Directory URLs of every page in docs/parents and docs/young-people, found, not listed:
    a new page there is checked for plain English and the quick-exit button automatically."""
    pages = []
    for folder in AUDIENCE_DIRS:
        for md in sorted((ROOT / "docs" / folder).glob("*.md")):
            pages.append(f"{folder}/" if md.stem == "index" else f"{folder}/{md.stem}/")
    return pages


def real_context(real_browser, **options):
    """A context as a reader has it: service workers allowed, in a browser with the bfcache on."""
    return real_browser.new_context(service_workers="allow", **options)


def wait_until_controlled(page, timeout_ms: int = 120_000) -> None:
    """Wait until the site's service worker controls the page (it registers once the page is
    quiet); fails after timeout_ms instead of hanging."""
    page.wait_for_function("() => Boolean(navigator.serviceWorker.controller)", timeout=timeout_ms)


STORED = """async (markers) => {
  const out = {local: {...localStorage}, session: {...sessionStorage}, caches: [], entries: 0, found: []};
  out.idb = indexedDB.databases ? (await indexedDB.databases()).map(d => d.name) : [];
  for (const name of await caches.keys()) {
    out.caches.push(name);
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      out.entries += 1;
      const response = await cache.match(request);
      const text = new TextDecoder("latin1").decode(await response.arrayBuffer());
      for (const marker of markers) {
        if (request.url.includes(marker) || text.includes(marker)) out.found.push(`${name}: ${request.url}: ${marker}`);
      }
    }
  }
  return out;
}"""


def stored_everywhere(page, markers: list[str]) -> dict:
    """localStorage, sessionStorage, IndexedDB names, and Cache Storage: every cache, every entry's
    URL and body (the site's precache and the Python snapshot included) searched for `markers`."""
    return page.evaluate(STORED, markers)


@dataclass
class Watch:
    """What a page did: every request URL and body, console errors, uncaught page errors."""

    origin: str
    requests: list[tuple[str, str, bytes]] = field(default_factory=list)
    service_worker_requests: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def foreign_requests(self) -> list[str]:
        out = []
        for _method, url, _body in self.requests:
            parts = urlsplit(url)
            if parts.scheme in ("data", "blob", "about"):
                continue
            if f"{parts.scheme}://{parts.netloc}" != self.origin:
                out.append(url)
        return out


def watch_page(page, base_url: str) -> Watch:
    parts = urlsplit(base_url)
    watch = Watch(origin=f"{parts.scheme}://{parts.netloc}")

    def on_request(request):
        body = request.post_data_buffer or b""
        watch.requests.append((request.method, request.url, body))
        if request.service_worker is not None:
            watch.service_worker_requests.append(request.url)

    def on_console(msg):
        if msg.type == "error":
            watch.console_errors.append(f"{msg.text} @ {msg.location.get('url', '')}")

    # Requests are watched on the context, which also sees the page's workers.
    page.context.on("request", on_request)
    page.on("console", on_console)
    page.on("pageerror", lambda exc: watch.page_errors.append(str(exc)))
    return watch


# tests/data holds the worked cases that "How the tools decide" renders.
PROJECT_PARTS = (
    "docs",
    "data",
    "macros",
    "overrides",
    "tools",
    "scripts",
    "tests/data",
    "mkdocs.yml",
    "pyproject.toml",
)


def copy_project(dest: Path) -> Path:
    """A copy of the project's sources in dest, for builds with changed content or data.

    node_modules and the wheel cache are linked, not copied. Returns dest.
    """
    import shutil

    dest.mkdir(parents=True, exist_ok=True)
    for name in PROJECT_PARTS:
        src = ROOT / name
        if src.is_dir():
            shutil.copytree(
                src, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info")
            )
        else:
            shutil.copy2(src, dest / name)
    for name in ("node_modules", ".cache"):
        (ROOT / name).mkdir(exist_ok=True)
        (dest / name).symlink_to(ROOT / name)
    return dest


CSE_TOOLS = str(Path(sys.executable).with_name("cse-tools"))
MARKER = "Zq7-marker-Wombat-4411"
TIMINGS: dict[str, float] = {}

SCENARIOS = {
    "screening": {
        "age": 14,
        "answers": {
            "looked_after": "yes",
            "homeless": "unknown",
            "missing_episodes": "yes",
            "unexplained_gifts": "yes",
            "older_partner": "past",
            "school_absence": "no",
            "disclosure": "no",
        },
        "notes": {
            "said": f"She said an older man called T buys her vapes and drives her to parties. {MARKER}"
        },
        "case": {
            "reference": "JB-0147",
            "date": "2026-11-30",
            "practitioner": "Sam Patel, safeguarding lead",
            "agency": "Exampleshire Academy",
        },
        "facts": {
            "missing_episodes": {
                "how_often": "3 times since September",
                "overnight": "Yes",
                "return_interview": "Offered, not taken up",
            },
            "older_partner": {"age_or_gap": "about 24", "identified": "No"},
        },
    },
    "risk-assessment": {
        "age": 15,
        "answers": {
            "previous_abuse": "yes",
            "missing_episodes": "yes",
            "older_peer_groups": "yes",
            "substance_misuse": "past",
            "coercion_violence": "yes",
            "sexual_assault": "no",
            "trusted_adult": "yes",
            "accepts_support": "no",
        },
        "notes": {
            "risk_indicators": f"Seen at the station with older men. {MARKER}",
            "protective_factors": "Aunt is a trusted adult.",
        },
        "review_date": "2031-02-03",
        "case": {
            "reference": "Child R / 2026-0381",
            "date": "2026-11-30",
            "practitioner": "Jo Evans, social worker",
            "agency": "Exampleshire Children's Services",
        },
        "facts": {
            "missing_episodes": {
                "longest": "2 nights, found in a flat in Leeds",
                "overnight": "Yes",
                "return_interview": "No",
            }
        },
    },
}


def cli(command: str, tool: str, data: dict) -> dict:
    run = subprocess.run(
        [CSE_TOOLS, command, tool, "-"],
        input=json.dumps(data),
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        timeout=60,
    )
    return json.loads(run.stdout)


def today_words(day: dt.date) -> str:
    return f"{day.day} {day:%B} {day.year}"


def flat(text: str) -> str:
    return " ".join(text.split())


def pdf_text(page) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(page.pdf(format="A4")))
    return flat(" ".join(p.extract_text() or "" for p in reader.pages))


def fill(page, scenario: dict) -> None:
    page.evaluate(
        "document.querySelectorAll('.cse-case__more').forEach(d => { d.open = true; })"
    )  # closed on phones
    page.fill("#cse-age", str(scenario["age"]))
    for question, answer in scenario["answers"].items():
        page.check(f"#q-{question}-{answer}")
    for section, text in scenario.get("notes", {}).items():
        page.fill(f"#notes-{section}", text)
    if scenario.get("review_date"):
        page.fill("#cse-review-date", scenario["review_date"])
    for key, value in scenario.get("case", {}).items():
        page.fill(f"[data-case='{key}']", value)
    for question, facts in scenario.get("facts", {}).items():
        for fact, value in facts.items():
            box = page.locator(f"#fact-{question}-{fact}")
            if box.evaluate("el => el.tagName") == "SELECT":
                box.select_option(value)
            else:
                box.fill(value)


def statement(question) -> str:
    """How a risk reads on paper: its statement once the definition has one, else the question."""
    return getattr(question, "statement", None) or question.text


def screen_state(page) -> dict:
    """What the form shows: every checked radio, the age, the notes, the review date, the case header
    and the recorded facts."""
    return page.evaluate(
        """() => {
            const form = document.querySelector('#cse-form');
            const out = {age: form.elements.namedItem('age').value, answers: {}, notes: {}, case: {}, facts: {}};
            for (const r of form.querySelectorAll('input[type=radio]:checked')) out.answers[r.name] = r.value;
            for (const t of form.querySelectorAll('textarea[data-notes]')) out.notes[t.dataset.notes] = t.value;
            for (const c of form.querySelectorAll('[data-case]')) out.case[c.dataset.case] = c.value;
            for (const f of form.querySelectorAll('[data-fact]')) {
                out.facts[f.closest('[data-facts]').dataset.facts + '.' + f.dataset.fact] = f.value;
            }
            const review = form.elements.namedItem('review_date');
            out.review_date = review ? review.value : null;
            return out;
        }"""
    )


def assert_private(
    page, context, watch, secrets: list[str], markers: list[str] = (MARKER,)
) -> None:
    """Nothing sent elsewhere, no secret in any request, no cookie, and nothing stored: no secret in
    local or session storage, no IndexedDB, and no marker in any Cache Storage entry (the site's
    precache and the Python snapshot). `markers` are strings that appear nowhere in the site itself
    (question ids do, in the cached pages)."""
    assert watch.foreign_requests() == []
    for _method, url, body in watch.requests:
        for secret in secrets:
            assert secret not in url, f"{secret!r} in request {url}"
            assert secret.encode() not in body, f"{secret!r} in the body of {url}"
    assert context.cookies() == []
    stored = stored_everywhere(page, list(markers))
    for secret in secrets:
        assert secret not in json.dumps([stored["local"], stored["session"]])
    assert stored["idb"] == []
    assert stored["found"] == []


def open_file(page, selector: str, name: str, content: str | bytes) -> None:
    """Choose a file; the message box is emptied first, so a check reads this file's message."""
    page.locator("[data-message]").evaluate("box => { box.textContent = ''; box.hidden = true; }")
    data = content.encode() if isinstance(content, str) else content
    page.set_input_files(
        selector, files=[{"name": name, "mimeType": "application/json", "buffer": data}]
    )


AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"]


def axe_run(page) -> dict:
    """axe-core's whole answer for the page as it is now (WCAG 2.2 A/AA); needs bypass_csp."""
    if not page.evaluate("() => typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    return page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS
    )


def axe_violations(page) -> list[str]:
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
        for v in axe_run(page)["violations"]
    ]


def risk_rows(plan: dict) -> list[dict]:
    """A drafted safety plan's rows for the risks found (without the standing rows every plan has,
    planning.STANDING_PREFIX)."""
    return [row for row in plan["rows"] if not row["risk"].startswith("plan:")]


# The longest gap between frames, kept in window.__gap (a frame and a 16 ms timer beat): a task
# that blocks the page shows as a gap. Used by tests/test_file_open.py and bench/run.py.
FRAME_HEARTBEAT = """() => {
  window.__gap = 0;
  let last = performance.now();
  const beat = () => {
    const now = performance.now();
    window.__gap = Math.max(window.__gap, now - last);
    last = now;
  };
  const frame = () => { beat(); requestAnimationFrame(frame); };
  requestAnimationFrame(frame);
  setInterval(beat, 16);
}"""


def largest_valid_plan(safety_plan: dict) -> bytes:
    """A valid safety plan at the limits: 200 rows (files.MAX_ROWS), each with a long note, about
    1.9 MB (under the 2 MB file limit), made from one real plan's first row."""
    row = dict(safety_plan["rows"][0], notes="Seen near the station with an older man. " * 220)
    content = json.dumps(dict(safety_plan, rows=[row] * 200)).encode()
    assert 1_700_000 < len(content) < 2_000_000
    return content
