"""Amendments (data/amendments.yml), news posts (docs/news/posts/) and the RSS feeds.

- Validates every amendment at build: a missing field, a bad date, an unknown kind or audience,
  or a page that does not exist stops the build with the entry and the field named.
- `amendments_list()` renders the "What's changed" page; `feed_list()` the "Get updates" page.
- Besides the site feed and the two audience feeds, each procedure chapter has its own feed
  (`feeds/chapter-<file name>.xml`, linked from the chapter), and `feeds/feeds.opml` lists them all.
- The theme reads `config.extra.amendment_boxes` (latest change per page) for the amendment box,
  and `config.extra.feeds` to advertise the feeds with <link rel="alternate"> on every page.
- After the build, writes one RSS 2.0 feed of everything and one per audience, with feedgen.
  Item guids come from the entry's `id` and dates from the entry itself (never from git).
"""

from __future__ import annotations

import datetime as dt
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from .data import (
    DATA_DIR,
    ROOT,
    DataError,
    display_name,
    html_text,
    load_yaml,
    md_text,
    require,
    require_choice,
    require_date,
)
from .site import format_date

AMENDMENTS_FILE = DATA_DIR / "amendments.yml"
NEWS_DIR = "news/posts"
KINDS = ("new", "updated", "removed", "tool changed")
AUDIENCES = ("practitioners", "parents", "everyone")
ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


@dataclass(frozen=True)
class Feed:
    slug: str
    title: str
    description: str
    audiences: frozenset[str]
    page: str | None = None  # a chapter feed carries only the changes to this page (docs/ path)

    @property
    def path(self) -> str:
        return f"feeds/{self.slug}.xml"


FEEDS = (
    Feed(
        "all",
        "All changes and news",
        "Every change to the procedure, guidance and tools, and all news.",
        frozenset(AUDIENCES),
    ),
    Feed(
        "practitioners",
        "Changes for practitioners",
        "Changes to the procedure, practitioner guidance and tools.",
        frozenset({"practitioners", "everyone"}),
    ),
    Feed(
        "parents",
        "Changes for parents and carers",
        "Changes to the guidance for parents, carers and young people.",
        frozenset({"parents", "everyone"}),
    ),
)


@dataclass(frozen=True)
class Item:
    """One feed item: an amendment or a news post."""

    id: str
    date: dt.date
    title: str
    summary: str
    audience: str
    link: str  # site-relative URL, e.g. "procedure/06-assessing-needs/"
    kind: str  # an amendment kind, or "news"
    pages: tuple[str, ...] = ()


def page_url(src: str) -> str:
    """docs/ source path to its directory URL (use_directory_urls)."""
    if src == "index.md":
        return ""
    stem = src[: -len(".md")]
    if stem.endswith("/index"):
        return stem[: -len("index")]
    return stem + "/"


def load_amendments(path: Path = AMENDMENTS_FILE, docs_dir: Path = ROOT / "docs") -> list[Item]:
    name = display_name(path)
    data = load_yaml(path)
    if not isinstance(data, list):
        raise DataError(f"{name}: must be a list of amendment entries")
    items, seen = [], set()
    for index, entry in enumerate(data, start=1):
        where = f"{name}: entry {index}"
        if isinstance(entry, dict) and isinstance(entry.get("title"), str):
            where += f" ({entry['title']!r})"
        ident = require(entry, "id", str, where)
        if not ID_PATTERN.match(ident):
            raise DataError(
                f"{where}: field 'id': {ident!r} must be lower-case words joined by hyphens"
            )
        if ident in seen:
            raise DataError(f"{where}: field 'id': {ident!r} is used by an earlier entry")
        seen.add(ident)
        date = require_date(entry, "date", where)
        title = require(entry, "title", str, where)
        kind = require_choice(entry, "kind", KINDS, where)
        summary = " ".join(require(entry, "summary", str, where).split())
        audience = require_choice(entry, "audience", AUDIENCES, where)
        pages = require(entry, "pages", list, where)
        if not pages:
            raise DataError(
                f"{where}: field 'pages' is empty (list the pages under docs/ that changed)"
            )
        for page in pages:
            if not isinstance(page, str) or not page.endswith(".md"):
                raise DataError(
                    f"{where}: field 'pages': {page!r} must be a path under docs/ ending in .md"
                )
            if not (docs_dir / page).is_file():
                raise DataError(f"{where}: field 'pages': docs/{page} does not exist")
        items.append(
            Item(ident, date, title, summary, audience, page_url(pages[0]), kind, tuple(pages))
        )
    return newest_first(items)


def newest_first(items: list[Item]) -> list[Item]:
    return sorted(items, key=lambda i: (i.date, i.id), reverse=True)


FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n", re.S)


def load_news(docs_dir: Path = ROOT / "docs") -> list[Item]:
    """News posts: Markdown under docs/news/posts/ with title, date, slug, description, audience."""
    items = []
    for path in sorted((docs_dir / NEWS_DIR).glob("*.md")):
        where = display_name(path)
        match = FRONT_MATTER.match(path.read_text(encoding="utf-8"))
        if not match:
            raise DataError(f"{where}: front matter (between --- lines) is missing")
        meta = yaml.safe_load(match.group(1)) or {}
        date = meta.get("date")
        if isinstance(date, dict):  # Material's blog allows date: {created: ...}
            meta = {**meta, "date": date.get("created")}
        items.append(
            Item(
                id="news-" + require(meta, "slug", str, where),
                date=require_date(meta, "date", where),
                title=require(meta, "title", str, where),
                summary=require(meta, "description", str, where),
                audience=require_choice(meta, "audience", AUDIENCES, where),
                link=f"news/{meta['slug']}/",
                kind="news",
            )
        )
    return newest_first(items)


CHAPTERS = "procedure/"


def chapter_feeds(docs_dir: Path) -> list[Feed]:
    """One feed per procedure chapter (procedure/NN-*.md): alerts for that chapter only."""
    feeds = []
    for path in sorted((docs_dir / CHAPTERS).glob("[0-9]*.md")):
        src = f"{CHAPTERS}{path.name}"
        title = _page_title(docs_dir, src)
        feeds.append(
            Feed(
                f"chapter-{path.stem}",
                f"Changes to chapter {title}",
                f"Changes to chapter {title} of the procedure only.",
                frozenset(AUDIENCES),
                src,
            )
        )
    return feeds


def items_for(feed: Feed, items: list[Item]) -> list[Item]:
    return newest_first(
        [
            i
            for i in items
            if i.audience in feed.audiences and (feed.page is None or feed.page in i.pages)
        ]
    )


def build_feed(feed: Feed, items: list[Item], site_url: str, site_name: str) -> bytes:
    """RSS 2.0 bytes for one feed, newest item first."""
    from feedgen.feed import FeedGenerator

    gen = FeedGenerator()
    gen.title(html_text(f"{site_name}: {feed.title}"))
    gen.description(html_text(feed.description))
    gen.link(href=site_url + feed.path, rel="self")
    gen.link(href=site_url + "updates/", rel="alternate")  # last: RSS <link> is the last one set
    gen.language("en-gb")
    chosen = items_for(feed, items)
    if chosen:
        gen.lastBuildDate(_when(chosen[0].date))  # from the data, so rebuilds are identical
    for item in chosen:
        entry = gen.add_entry(order="append")
        entry.guid(f"urn:cse-handbook:{item.id}", permalink=False)
        # Readers show an item's title and description as HTML: escaped for HTML here, then for
        # XML by the feed writer, so a value is always shown as the text it is.
        entry.title(html_text(item.title))
        entry.link(href=site_url + item.link)
        entry.description(html_text(item.summary))
        entry.pubDate(_when(item.date))
        entry.category(term=item.kind)
    return gen.rss_str(pretty=True)


def _when(date: dt.date) -> dt.datetime:
    return dt.datetime(date.year, date.month, date.day, 9, 0, tzinfo=dt.timezone.utc)


def _site_url(env) -> str:
    url = env.conf.get("site_url") or ""
    if not url:
        raise DataError("mkdocs.yml: field 'site_url' is missing (feeds need absolute links)")
    return url if url.endswith("/") else url + "/"


def register(env) -> None:
    docs_dir = Path(env.conf["docs_dir"])
    amendments = load_amendments(docs_dir=docs_dir)
    news = load_news(docs_dir)
    env.variables["amendments"] = amendments
    env.variables["news_items"] = news
    env.conf["extra"]["feeds"] = [{"title": f.title, "path": f.path} for f in FEEDS]
    chapters = chapter_feeds(docs_dir)
    env.variables["chapter_feeds"] = chapters
    # The theme links each chapter to its own feed (overrides/main.html).
    env.conf["extra"]["chapter_feeds"] = {
        f.page: {"title": f.title, "path": f.path} for f in chapters
    }
    latest: dict[str, dict] = {}
    for item in amendments:  # newest first, so the first seen per page is the latest
        for page in item.pages:
            if not shown_on(page, item.audience):
                continue
            latest.setdefault(
                page,
                {
                    "date": format_date(item.date),
                    "iso": item.date.isoformat(),
                    "title": item.title,
                    "summary": item.summary,
                    "id": item.id,
                },
            )
    env.conf["extra"]["amendment_boxes"] = latest
    env.conf["extra"]["last_review"] = format_date(env.variables["partnership"]["last_review"])
    site_url = _site_url(env)

    @env.macro
    def amendments_list() -> str:
        """The "What's changed" list: grouped by date, newest first, with links to the pages."""
        out, current = [], None
        for item in amendments:
            if item.date != current:
                current = item.date
                out.append(f"\n## {format_date(item.date)}\n")
            links = ", ".join(f"[{md_text(_page_title(docs_dir, p))}](../{p})" for p in item.pages)
            out.append(
                f"### {md_text(item.title)} {{ #{item.id} }}\n\n"
                f"*{item.kind.capitalize()} · for {item.audience}*\n\n{md_text(item.summary)}\n\n"
                f"Pages: {links}\n"
            )
        return "\n".join(out)

    @env.macro
    def feed_list(chapters: bool = False) -> str:
        """A table of the site's feeds (or, with chapters=True, the per-chapter feeds). Each address
        is a link marked `data-feed-address`: assets/js/copy-feed.js adds a copy button beside it."""
        rows = ["| Feed | What it carries | Address |", "|---|---|---|"]
        for feed in env.variables["chapter_feeds"] if chapters else FEEDS:
            url = site_url + feed.path
            rows.append(
                f"| {md_text(feed.title)} | {md_text(feed.description)} | [{url}]({url}){{ data-feed-address }} |"
            )
        return "\n".join(rows)

    @env.macro
    def opml_address() -> str:
        return site_url + OPML_PATH


REVIEWED_SECTIONS = ("procedure/", "guidance/", "tools/")
# Pages written for parents, carers and young people: they show only changes written for them.
FAMILY_SECTIONS = ("parents/", "young-people/")


def shown_on(page: str, audience: str) -> bool:
    """Whether a change for `audience` is shown in the box of `page`: families' pages show only
    changes meant for them (written in their words), never a practitioners' change."""
    return audience != "practitioners" or not page.startswith(FAMILY_SECTIONS)


def box_markdown(src: str, latest: dict | None, last_review: str, next_review: str) -> str:
    """The amendment box (an admonition) for one page, or '' when the page needs none.

    Wrapped in a `data-search-exclude` block so search shows the page's own text, not the box.
    Families' pages get a plain "Updated" note, collapsed, with the change's own summary and no
    review dates.
    """
    if latest is None and not src.startswith(REVIEWED_SECTIONS):
        return ""
    updates = posixpath.relpath("updates/index.md", posixpath.dirname(src) or ".")
    review = f"Last reviewed {last_review}. Next planned review {next_review}."
    if latest is None:
        box = f'!!! note "No changes since publication"\n    {review} [All changes]({updates})\n'
    elif src.startswith(FAMILY_SECTIONS):
        # Collapsed: on a phone the box would push the page's own first lines (and the answer
        # for tonight) off the first screen.
        box = f'??? note "Updated {latest["date"]}"\n    {md_text(latest["summary"])}\n'
    else:
        # On tool pages the box is collapsible (open; the page script closes it on phones).
        marker = "???+" if src.startswith("tools/") else "!!!"
        box = (
            f'{marker} info "Last changed {latest["date"]}"\n'
            f"    **{md_text(latest['title'])}.** {md_text(latest['summary'])} [All changes]({updates}#{latest['id']})\n\n"
            f"    {review}\n"
        )
    return f'<div class="amendment-box" data-search-exclude markdown>\n\n{box}\n</div>\n'


def insert_after_title(markdown: str, block: str) -> str:
    """Put block right after the page's first level-1 heading (or at the top if it has none)."""
    match = re.search(r"^# .*$", markdown, re.M)
    if not match:
        return block + "\n" + markdown
    return markdown[: match.end()] + "\n\n" + block + "\n" + markdown[match.end() :]


def on_post_page_macros(env) -> None:
    src = env.page.file.src_uri
    latest = env.conf["extra"]["amendment_boxes"].get(src)
    block = box_markdown(
        src,
        latest,
        env.conf["extra"]["last_review"],
        format_date(env.variables["partnership"]["next_review"]),
    )
    if block:
        env.markdown = insert_after_title(env.markdown, block)


def _page_title(docs_dir: Path, src: str) -> str:
    text = (docs_dir / src).read_text(encoding="utf-8")
    match = FRONT_MATTER.match(text)
    body = text[match.end() :] if match else text
    heading = re.search(r"^#\s+(.+)$", body, re.M)
    return heading.group(1).strip() if heading else src


def on_post_build(env) -> None:
    site = Path(env.conf["site_dir"])
    items = env.variables["amendments"] + env.variables["news_items"]
    (site / "feeds").mkdir(parents=True, exist_ok=True)
    feeds = [*FEEDS, *env.variables["chapter_feeds"]]
    for feed in feeds:
        (site / feed.path).write_bytes(
            build_feed(feed, items, _site_url(env), env.conf["site_name"])
        )
    (site / OPML_PATH).write_bytes(build_opml(feeds, _site_url(env), env.conf["site_name"]))
    # Material treats every <link rel="alternate"> as a language version and fetches
    # "sitemap.xml" beside it; an empty sitemap answers that request instead of a 404.
    (site / "feeds" / "sitemap.xml").write_text(EMPTY_SITEMAP, encoding="utf-8")


EMPTY_SITEMAP = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"></urlset>\n'
)


OPML_PATH = "feeds/feeds.opml"


def build_opml(feeds: list[Feed], site_url: str, site_name: str) -> bytes:
    """An OPML 2.0 list of every feed, for readers that subscribe to a whole list at once."""
    from xml.etree import ElementTree as ET

    opml = ET.Element("opml", version="2.0")
    head = ET.SubElement(opml, "head")
    ET.SubElement(head, "title").text = f"{site_name}: feeds"
    body = ET.SubElement(opml, "body")
    for feed in feeds:
        ET.SubElement(
            body,
            "outline",
            type="rss",
            text=feed.title,
            title=feed.title,
            xmlUrl=site_url + feed.path,
            htmlUrl=site_url + ("updates/" if feed.page is None else page_url(feed.page)),
        )
    ET.indent(opml)
    return ET.tostring(opml, encoding="utf-8", xml_declaration=True) + b"\n"
