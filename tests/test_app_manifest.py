"""The site as an app on a phone's home screen (macros/app.py): the web app manifest, its icons,
and Chromium's own verdict on installability; the installed app opens offline at the home page
with its exit button working."""

from __future__ import annotations

import json
import struct
import zlib

import pytest
import yaml
from playwright.sync_api import expect

import chromium  # scripts/chromium.py
from helpers import ROOT, html_pages, wait_until_controlled
from macros import app
from macros.data import DataError
from macros.site import load_partnership

PARTNERSHIP = yaml.safe_load((ROOT / "data" / "partnership.yml").read_text(encoding="utf-8"))


def png_size_and_pixels(data: bytes) -> tuple[int, int, bytes]:
    """Width, height and raw RGB rows of an 8-bit RGB PNG (no filters: what app.png writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    idat = b""
    at = 8
    while at < len(data):
        length = struct.unpack(">I", data[at : at + 4])[0]
        kind = data[at + 4 : at + 8]
        if kind == b"IDAT":
            idat += data[at + 8 : at + 8 + length]
        at += 12 + length
    return width, height, zlib.decompress(idat)


def test_manifest_is_valid_json_from_the_partnership_file(site_dir):
    manifest = json.loads((site_dir / "manifest.webmanifest").read_text(encoding="utf-8"))
    assert manifest["name"] == PARTNERSHIP["site_title"]
    assert manifest["short_name"] == PARTNERSHIP["app_short_name"]
    assert manifest["description"] == PARTNERSHIP["site_description"]
    assert manifest["display"] == "standalone"
    assert manifest["start_url"] == manifest["scope"] == "./"
    theme = tuple(int(manifest["theme_color"][i : i + 2], 16) for i in (1, 3, 5))
    background = tuple(int(manifest["background_color"][i : i + 2], 16) for i in (1, 3, 5))
    # The launcher shows white on the theme colour, and dark text on the background.
    assert app.contrast(theme, (255, 255, 255)) >= 4.5
    assert app.contrast(background, (0, 0, 0)) >= 4.5


def test_icons_exist_at_their_stated_sizes_and_one_is_maskable(site_dir):
    manifest = json.loads((site_dir / "manifest.webmanifest").read_text(encoding="utf-8"))
    sizes = set()
    for icon in manifest["icons"]:
        width, height, rows = png_size_and_pixels((site_dir / icon["src"]).read_bytes())
        assert icon["sizes"] == f"{width}x{height}", icon
        assert len(rows) == height * (1 + 3 * width)
        sizes.add((width, icon["purpose"]))
    assert {(192, "any"), (512, "any"), (512, "maskable")} <= sizes


def test_the_maskable_shield_stays_inside_the_safe_circle(site_dir):
    """Every white pixel of the maskable icon lies inside the circle of 80% of its width."""
    width, height, rows = png_size_and_pixels(
        (site_dir / "assets/icons/icon-maskable-512.png").read_bytes()
    )
    stride = 1 + 3 * width
    white = 0
    for y in range(0, height, 4):
        for x in range(0, width, 4):
            r, g, b = rows[y * stride + 1 + 3 * x : y * stride + 4 + 3 * x]
            if r > 128:
                white += 1
                assert (x - width / 2) ** 2 + (y - height / 2) ** 2 <= (0.4 * width) ** 2, (x, y)
    assert white > 100  # there is a shield to check


def test_a_short_name_too_long_for_a_phone_fails_the_build_naming_the_field(tmp_path):
    data = dict(PARTNERSHIP, app_short_name="Exampleshire child exploitation")
    path = tmp_path / "partnership.yml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(
        DataError,
        match="field 'app_short_name': 'Exampleshire child exploitation' is longer than 15",
    ):
        load_partnership(path)


def test_every_page_links_the_manifest_and_theme_colour(site_dir):
    for path in html_pages(site_dir):
        text = (site_dir / path / "index.html").read_text(encoding="utf-8")
        assert 'rel="manifest"' in text and 'name="theme-color"' in text, path


@pytest.mark.browser
def test_chromium_finds_no_installability_error_and_the_app_opens_offline(
    playwright_driver, base_url, tmp_path
):
    # A profile on disk: Chromium installs nothing from an incognito-like context.
    context = chromium.launch_persistent(
        playwright_driver, tmp_path / "profile", service_workers="allow"
    )
    try:
        page = context.pages[0] if context.pages else context.new_page()
        page.goto(base_url)
        wait_until_controlled(page)
        page.locator("html[data-offline-ready=yes]").wait_for(state="attached", timeout=60_000)
        cdp = context.new_cdp_session(page)
        found = cdp.send("Page.getAppManifest")
        assert found["url"].endswith("/manifest.webmanifest")
        assert found["errors"] == []
        assert cdp.send("Page.getInstallabilityErrors")["installabilityErrors"] == []

        # The installed app opens its start_url: offline, from the service worker's copy.
        start = json.loads(found["data"])["start_url"]
        context.set_offline(True)
        opened = context.new_page()
        opened.route(
            app_exit_route(), lambda route: route.fulfill(body="neutral", content_type="text/html")
        )
        opened.goto(base_url + start.removeprefix("./"))
        assert opened.locator("h1").first.inner_text().strip()
        exit_link = opened.get_by_role("link", name="Exit this page").first
        expect(exit_link).to_be_visible()
        exit_link.click()
        opened.wait_for_url(PARTNERSHIP["quick_exit_url"].rstrip("/") + "**", timeout=10_000)
    finally:
        context.close()


def app_exit_route() -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(PARTNERSHIP["quick_exit_url"])
    return f"{parts.scheme}://{parts.netloc}/**"
