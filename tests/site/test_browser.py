"""The site in a real browser (headless Chromium through Selenium): pages open from file://
without console errors, the language switch, the map and the search work, every link of the
pages visited leads to a file of the site, and axe-core finds no serious or critical
accessibility problem on any page type in any language.

Run with `python -m pytest -m browser` (.ci/run does, after installing Debian's chromium and
chromium-driver); without Chromium they skip, saying so.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import pytest

from tests.site import browser

pytestmark = pytest.mark.browser

LANGS = ("kk", "ru", "en")

PAGE_TYPES = {
    "home": "index.html",
    "elements": "elements/index.html",
    "element": "elements/KZ-2013-0001.html",
    "element-restricted-parts": "elements/KZ-2026-0007.html",
    "element-retired": "elements/KZ-2024-0004.html",
    "element-merged": "elements/KZ-2026-0044.html",
    "provinces": "provinces/index.html",
    "province": "provinces/KZ-43.html",
    "province-former": "provinces/KZ-YUZ.html",
    "domains": "domains/index.html",
    "domain": "domains/craftsmanship.html",
    "categories": "categories/index.html",
    "category": "categories/III.html",
    "about": "about.html",
    "search": "search.html?q=kazakh",
}
"""One page of each type, as a path inside a language's folder."""


@pytest.fixture(scope="module")
def driver() -> Iterator[Any]:
    reason = browser.available()
    if reason is not None:
        if os.environ.get("ICHINV_BROWSER_REQUIRED"):  # .ci/run: a skip would hide a failure
            pytest.fail(reason)
        pytest.skip(reason)
    chrome = browser.chrome()
    yield chrome
    chrome.quit()


def open_page(driver: Any, site: Path, path: str) -> None:
    """Open a page of the site; fail on any console error."""
    errors = browser.visit(driver, site / path)
    assert errors == [], f"{path}: {errors}"


def links_resolve(driver: Any, site: Path) -> None:
    """Every link of the current page that stays in the site leads to one of its files."""
    root = site.resolve()
    for href in driver.execute_script("return Array.from(document.links, a => a.href)"):
        parts = urlsplit(href)
        if parts.scheme in ("http", "https"):
            continue
        assert parts.scheme == "file", href
        target = Path(unquote(parts.path))
        assert target.is_relative_to(root) and target.is_file(), href


def texts(driver: Any, css: str) -> list[str]:
    from selenium.webdriver.common.by import By

    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, css)]


def test_language_choice_home_and_element_pages(driver: Any, repository_site: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, repository_site, "index.html")
    links_resolve(driver, repository_site)
    driver.find_element(By.CSS_SELECTOR, 'a[hreflang="ru"]').click()
    assert driver.current_url.endswith("/ru/index.html")
    assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ru"
    assert browser.errors(driver) == []
    titles = {"kk": "Наурыз", "ru": "Наурыз", "en": "Nauryz"}
    for lang in LANGS:
        open_page(driver, repository_site, f"{lang}/elements/KZ-2013-0001.html")
        links_resolve(driver, repository_site)
        assert driver.find_element(By.TAG_NAME, "h1").text == titles[lang]
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
        headings = texts(driver, "h2")
        assert len(headings) >= 6 and all(headings)
    # The language switch leads to the same element in the other language.
    driver.find_element(By.CSS_SELECTOR, '.languages a[hreflang="kk"]').click()
    assert driver.current_url.endswith("/kk/elements/KZ-2013-0001.html")
    assert browser.errors(driver) == []


def test_province_page_and_its_map(driver: Any, repository_site: Path) -> None:
    from selenium.webdriver.common.by import By

    open_page(driver, repository_site, "ru/provinces/KZ-43.html")
    links_resolve(driver, repository_site)
    assert driver.find_element(By.TAG_NAME, "h1").text == "Кызылординская область"
    tiles = driver.find_elements(By.CSS_SELECTOR, "figure.map svg a")
    assert len(tiles) == 20
    current = driver.find_elements(By.CSS_SELECTOR, "figure.map rect.current")
    assert len(current) == 1
    assert len(texts(driver, "ul.elements > li")) > 10
    target = next(t for t in tiles if "Атырау" in (t.get_attribute("aria-label") or ""))
    target.click()
    assert driver.current_url.endswith("/ru/provinces/KZ-23.html")
    assert browser.errors(driver) == []


def search(driver: Any, query: str) -> list[str]:
    """Type `query` into the search page's box; the ids of the results, in order."""
    from selenium.webdriver.common.by import By

    box = driver.find_element(By.ID, "q")
    box.clear()
    box.send_keys(query)
    return [
        (a.get_attribute("href") or "").rsplit("/", 1)[-1].removesuffix(".html")
        for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li > a")
    ]


def test_search_finds_by_any_name_in_any_script_and_by_place(
    driver: Any, repository_site: Path
) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    open_page(driver, repository_site, "kk/search.html")
    # Kazakh, Russian and English names; case, Kazakh letters and diacritics do not matter.
    for query in (
        "Қазақ күресі",
        "КАЗАК КУРЕСИ",
        "казахская национальная борьба",
        "Kazakh kuresi",
        "kúresi",
    ):
        assert search(driver, query)[:1] == ["KZ-2013-0014"], query
    assert "KZ-2013-0001" in search(driver, "nauryz")
    # By place: a district named in the records' locations, and a province in any language.
    assert {"KZ-2026-0023", "KZ-2026-0024"} <= set(search(driver, "katon karagai"))
    by_province = set(search(driver, "Кызылординская"))
    assert len(by_province) > 10
    status = driver.find_element(By.ID, "search-status").text
    assert status.startswith("Табылған элементтер:")
    assert search(driver, "xqzv nothing") == []
    assert "Бірде-бір элемент табылмады" in driver.find_element(By.ID, "search-status").text
    # A retired element is found too, and marked.
    search(driver, "Shamanism")
    assert "тізімнен шығарылған" in driver.find_element(By.ID, "search-results").text
    # The quick search of every page leads to the search page with the query.
    open_page(driver, repository_site, "en/about.html")
    box = driver.find_element(By.ID, "quick-q")
    box.send_keys("Aitys")
    box.submit()
    wait = WebDriverWait(driver, 10)
    wait.until(lambda d: "search.html?q=Aitys" in d.current_url)
    wait.until(lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li > a"))
    results = [
        a.get_attribute("href")
        for a in driver.find_elements(By.CSS_SELECTOR, "#search-results li > a")
    ]
    assert results and results[0].endswith("/en/elements/KZ-2013-0003.html")
    links_resolve(driver, repository_site)
    assert browser.errors(driver) == []


def engines() -> dict[str, Path]:
    """The axe-core scripts to check with: the one axe-selenium-python ships (axe-core 3.1) and
    the newer one of axe-core-python (4.4), when installed."""
    import axe_selenium_python.axe as shipped

    found = {"axe-selenium-python": Path(shipped._DEFAULT_SCRIPT)}
    try:
        import axe_core_python.base as newer
    except ImportError:
        return found
    found["axe-core-python"] = Path(newer.AXE_FILE_PATH)
    return found


def serious_violations(driver: Any) -> list[str]:
    """Serious and critical axe-core violations of the current page, by every engine."""
    from axe_selenium_python import Axe

    found = []
    for name, script in engines().items():
        axe = Axe(driver, script_url=str(script))
        axe.inject()
        result = axe.run(options="{resultTypes: ['violations']}")
        serious = [v for v in result["violations"] if v.get("impact") in ("serious", "critical")]
        if serious:
            found.append(f"{name}: {axe.report(serious)}")
    return found


@pytest.mark.parametrize("kind", sorted(PAGE_TYPES))
def test_no_serious_or_critical_accessibility_violation(
    driver: Any, repository_site: Path, kind: str
) -> None:
    found = {}
    for lang in LANGS:
        path = f"{lang}/{PAGE_TYPES[kind]}"
        open_page(driver, repository_site, path)
        problems = serious_violations(driver)
        if problems:
            found[path] = "\n".join(problems)
    assert found == {}, "\n".join(f"{path}\n{text}" for path, text in found.items())


def test_the_language_choice_is_accessible(driver: Any, repository_site: Path) -> None:
    open_page(driver, repository_site, "index.html")
    assert serious_violations(driver) == []
