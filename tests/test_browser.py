"""The HTML report in a real headless Chromium, 375 and 1280 px wide, JavaScript on and off,
with no network: nothing logged as an error, no request but the file itself, no sideways
scrolling, every figure in the visible text at its role, a hostile KB's markup as text.

Needs the Debian packages chromium and chromium-driver and the dev extra's selenium; the
tests are skipped without them, except under CI=true, where they fail instead.

Screenshots of every page go to tests/artifacts/ (git-ignored). With
ROLECOMPARE_SCREENSHOTS=docs, the top of the bundled KB's report at 1280 and 375 px is
also written to docs/report-1280.png and docs/report-375.png.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from pagecheck import (
    HOSTILE_NAME,
    HOSTILE_QUOTE,
    HOSTILE_TEXT_SHOWN,
    expected_figures,
    make_hostile,
)
from rolecompare.compare.report_page import report_page
from rolecompare.compare.roles import select_roles
from rolecompare.kb.load import load_kb
from rolecompare.kb.types import KB
from rolecompare.render.html import build_report_html

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "tests" / "artifacts"
DOCS = ROOT / "docs"
# A real browser: slow. One worker starts each Chromium and writes the page once.
pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("browser")]
WIDTHS = (375, 1280)
DOC_HEIGHTS = {1280: 1000, 375: 1500}  # the title, the legend and the first chart
CHROME_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    # No network: every host name fails to resolve, and no proxy is asked.
    "--host-resolver-rules=MAP * ~NOTFOUND",
    "--no-proxy-server",
]


def _tools() -> tuple[str, str]:
    """Chromium and chromedriver, or a skip (a failure under CI=true) naming what is missing."""
    missing = []
    try:
        import selenium  # noqa: F401
    except ImportError:
        missing.append("the Python package selenium (pip install -e '.[dev]')")
    chromium = shutil.which("chromium") or ""
    driver = shutil.which("chromedriver") or ""
    if not chromium:
        missing.append("chromium (apt-get install chromium)")
    if not driver:
        missing.append("chromedriver (apt-get install chromium-driver)")
    if missing:
        reason = "browser tests need " + " and ".join(missing)
        if os.environ.get("CI") == "true":
            pytest.fail(f"{reason}; under CI=true they must run", pytrace=False)
        pytest.skip(reason)
    return chromium, driver


Driver = Any  # selenium.webdriver.Chrome, imported only when present


@pytest.fixture(scope="module", params=[True, False], ids=["js-on", "js-off"])
def browser(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Driver, bool]]:
    chromium, driver_path = _tools()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    js: bool = request.param
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for arg in [*CHROME_ARGS, f"--user-data-dir={tmp_path_factory.mktemp('chromium')}"]:
        options.add_argument(arg)
    if not js:
        options.add_experimental_option(
            "prefs", {"profile.managed_default_content_settings.javascript": 2}
        )
    options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(service=Service(driver_path), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver, js
    finally:
        driver.quit()


@pytest.fixture(scope="module")
def bundled_page(tmp_path_factory: pytest.TempPathFactory) -> tuple[KB, Path]:
    kb = load_kb(None)
    return kb, write_page(kb, tmp_path_factory.mktemp("page") / "report.html")


def write_page(kb: KB, path: Path) -> Path:
    page = report_page(kb, select_roles(kb["roles"], None), version="rolecompare test")
    path.write_text(build_report_html(page), "utf-8")
    return path


def requests(driver: Driver) -> list[str]:
    """The URLs the page asked for since the last call (from the performance log)."""
    urls = []
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message["method"] == "Network.requestWillBeSent":
            urls.append(message["params"]["request"]["url"])
    return urls


def load(driver: Driver, page: Path, width: int) -> list[str]:
    """Open page in a viewport `width` px wide; the requests it made."""
    driver.get("about:blank")
    requests(driver)  # forget the browser's own start-up pages
    driver.get_log("browser")
    driver.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600},
    )
    driver.get(page.as_uri())
    return requests(driver)


def screenshot(driver: Driver, path: Path, height: int | None = None) -> None:
    """The page (or its top `height` px) as a PNG."""
    full = driver.execute_script("return document.documentElement.scrollHeight")
    width = driver.execute_script("return window.innerWidth")
    shot = driver.execute_cdp_cmd(
        "Page.captureScreenshot",
        {
            "format": "png",
            "captureBeyondViewport": True,
            "clip": {
                "x": 0,
                "y": 0,
                "width": width,
                "height": min(height or full, full),
                "scale": 1,
            },
        },
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(base64.b64decode(shot["data"]))


# For every figure cell: its row, role, visible text, and the role's name as shown there
# (the column header at full width; the cell's own label where the table stacks).
CELLS_JS = """
return Array.from(document.querySelectorAll('tr[data-item] td[data-role]')).map(td => {
  const head = document.getElementById(td.getAttribute('headers'));
  const tag = td.querySelector('.tag');
  const shown = el => !!el && el.getClientRects().length > 0;
  return {topic: td.closest('table').dataset.topic,
          item: td.parentElement.dataset.item, source: td.parentElement.dataset.source,
          role: td.dataset.role, text: td.innerText,
          head: shown(head) ? head.innerText : null, tag: shown(tag) ? tag.innerText : null};
});
"""


@pytest.mark.parametrize("width", WIDTHS)
def test_report_in_a_browser(
    browser: tuple[Driver, bool], bundled_page: tuple[KB, Path], width: int
) -> None:
    driver, js = browser
    kb, page = bundled_page
    urls = load(driver, page, width)
    name = f"report-{width}-{'js' if js else 'nojs'}"
    screenshot(driver, ARTIFACTS / f"{name}.png")
    if js and os.environ.get("ROLECOMPARE_SCREENSHOTS") == "docs":
        screenshot(driver, DOCS / f"report-{width}.png", DOC_HEIGHTS[width])

    assert page.as_uri() in urls  # the log works ...
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == []  # ... and is clean
    errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
    assert errors == []
    assert driver.execute_script("return window.innerWidth") == width
    assert driver.execute_script("return document.documentElement.scrollWidth <= window.innerWidth")

    # JavaScript really is on or off: the page's one script opens every quote for printing.
    opened = driver.execute_script(
        "window.dispatchEvent(new Event('beforeprint'));"
        "return document.querySelectorAll('details[open]').length"
    )
    assert (opened > 0) == js
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = false)")

    names = {r["id"]: r["name"] for r in kb["roles"]}
    cells = {
        (c["topic"], c["item"], c["source"], c["role"]): c for c in driver.execute_script(CELLS_JS)
    }
    body = driver.execute_script("return document.body.innerText")
    for want in expected_figures(kb):
        cell = cells[(want.topic, want.item, want.source, want.role)]
        for text in want.texts:
            assert text in cell["text"], (want, cell)
            assert text in body
        # the role is named where the figure shows: above its column, or beside the bar
        label = cell["head"] if width > 640 else cell["tag"]
        assert label is not None, cell
        assert names[want.role] in label, (want, cell)


def test_hostile_kb_shows_as_text(
    browser: tuple[Driver, bool], copy_kb: Callable[..., Path], tmp_path: Path
) -> None:
    driver, js = browser
    kb_dir = copy_kb()
    make_hostile(kb_dir)
    page = write_page(load_kb(str(kb_dir)), tmp_path / "hostile.html")
    urls = load(driver, page, 1280)
    screenshot(driver, ARTIFACTS / f"hostile-{'js' if js else 'nojs'}.png")
    assert [u for u in urls if not u.startswith(("file:", "data:"))] == []
    assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
    body = driver.execute_script("return document.body.innerText")
    assert HOSTILE_NAME in body
    assert HOSTILE_TEXT_SHOWN in body
    assert driver.execute_script("return document.images.length") == 0
    assert driver.execute_script("return document.scripts.length") == 1
    driver.execute_script("document.querySelectorAll('details').forEach(d => d.open = true)")
    assert HOSTILE_QUOTE in driver.execute_script("return document.body.innerText")
