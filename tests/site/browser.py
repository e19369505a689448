"""Headless Chromium for the site's browser tests, and the screenshots in docs/.

Uses Debian's `chromium` and `chromium-driver` (found on PATH, or named by ICHINV_CHROMIUM and
ICHINV_CHROMEDRIVER) through Selenium; `available()` says why they cannot run when they cannot.

    python -m tests.site.browser SITE_DIR docs/site   # the screenshots of the README
"""

from __future__ import annotations

import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any

INSTALL = "apt-get install -y chromium chromium-driver"
WIDTH, HEIGHT = 1280, 900


def binaries() -> tuple[str | None, str | None]:
    browser = (
        os.environ.get("ICHINV_CHROMIUM")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    driver = os.environ.get("ICHINV_CHROMEDRIVER") or shutil.which("chromedriver")
    return browser, driver


def available() -> str | None:
    """None when the browser tests can run, else why not (in words for a skip)."""
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[test]')"
    browser, driver = binaries()
    if browser is None:
        return f"headless Chromium is not installed ({INSTALL}; .ci/run does)"
    if driver is None:
        return f"chromedriver is not installed ({INSTALL}; .ci/run does)"
    return None


def chrome(width: int = WIDTH, height: int = HEIGHT) -> Any:
    """A headless Chromium driven by Selenium, logging the browser console."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    browser, driver = binaries()
    assert browser and driver, available()
    options = webdriver.ChromeOptions()
    options.binary_location = browser
    for argument in (
        "--headless=new",
        "--no-sandbox",  # CI containers run as root
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--hide-scrollbars",
        "--force-device-scale-factor=1",
        f"--window-size={width},{height}",
    ):
        options.add_argument(argument)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    return webdriver.Chrome(service=Service(driver), options=options)


def visit(driver: Any, page: Path) -> list[dict[str, Any]]:
    """Open a built page from file://, wait until it is loaded; the console errors it logged."""
    driver.get(page.resolve().as_uri() if "?" not in page.name else _uri(page))
    for _ in range(100):
        if driver.execute_script("return document.readyState") == "complete":
            break
        time.sleep(0.05)
    return errors(driver)


def _uri(page: Path) -> str:
    name, _, query = page.name.partition("?")
    return f"{(page.parent / name).resolve().as_uri()}?{query}"


def errors(driver: Any) -> list[dict[str, Any]]:
    """Console messages of level SEVERE since the last call."""
    return [entry for entry in driver.get_log("browser") if entry.get("level") == "SEVERE"]


SHOTS = (
    ("en/index.html", "home.png"),
    ("kk/elements/KZ-2013-0001.html", "element.png"),
    ("ru/provinces/KZ-43.html", "province.png"),
)
"""The three page types shown in the README: home (en), an element (kk), a province (ru)."""


def screenshots(site: Path, folder: Path) -> list[Path]:
    """PNG screenshots of the first screen of three page types."""
    driver = chrome(1100, 1400)
    written = []
    try:
        for page, name in SHOTS:
            visit(driver, site / page)
            target = folder / name
            driver.save_screenshot(str(target))
            written.append(target)
    finally:
        driver.quit()
    return written


if __name__ == "__main__":
    for path in screenshots(Path(sys.argv[1]), Path(sys.argv[2])):
        print(f"wrote {path}")
