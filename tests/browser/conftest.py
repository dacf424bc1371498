"""Browser fixtures: one headless Debian chromium per session (driven by Playwright's sync
API), a fresh browser context per test, and the demo help center served by pytest-django's
`live_server`.

The browser tests are transactional (the live server answers from another thread, so it must
see committed data); the flush after each test empties the session-loaded demo data, which is
why `help_center` loads it again. pytest-django runs transactional tests after the ordinary
ones, so those still find the demo data of the session.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

# Playwright's sync API runs an event loop in the test thread; without this Django refuses
# ORM calls from the tests and fixtures ("You cannot call this from an async context").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

from playwright.sync_api import Browser, BrowserContext, Page, Playwright, sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is missing: `make browser` installs it")
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    browser = playwright.chromium.launch(
        executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    """Screenshots for a person to look at (gitignored)."""
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def help_center(live_server: object, transactional_db: None) -> str:
    """The demo help center behind the live server; returns the server's base URL."""
    from pharos.helpcenter.demo import load_demo_help_center

    load_demo_help_center()
    return str(live_server)


class PageProblems:
    """Script errors and Content-Security-Policy violations seen by a page: each test
    fails on any (a broken site.js would otherwise only show as a missing enhancement)."""

    def __init__(self) -> None:
        self.messages: list[str] = []

    def watch(self, page: Page) -> None:
        page.on("pageerror", lambda error: self.messages.append(f"script error: {error}"))
        page.on(
            "console",
            lambda message: (
                self.messages.append(f"console: {message.text}")
                if message.type == "error" and re.search("Content.Security.Policy", message.text)
                else None
            ),
        )


def _context(browser: Browser, base_url: str, **options: object) -> BrowserContext:
    context = browser.new_context(base_url=base_url, locale="en-US", **options)  # type: ignore[arg-type]
    context.set_default_timeout(TIMEOUT_MS)
    return context


def _page(context: BrowserContext, problems: PageProblems) -> Page:
    page = context.new_page()
    problems.watch(page)
    return page


@pytest.fixture
def page_problems() -> Iterator[PageProblems]:
    problems = PageProblems()
    yield problems
    assert not problems.messages, problems.messages


@pytest.fixture
def page(browser: Browser, help_center: str, page_problems: PageProblems) -> Iterator[Page]:
    """A desktop-sized page in a fresh context (no cookies) on the live help center."""
    context = _context(browser, help_center, viewport=DESKTOP)
    yield _page(context, page_problems)
    context.close()


@pytest.fixture
def phone_page(browser: Browser, help_center: str, page_problems: PageProblems) -> Iterator[Page]:
    """A phone-sized page (390x844, touch) in a fresh context."""
    context = _context(
        browser,
        help_center,
        viewport=PHONE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )
    yield _page(context, page_problems)
    context.close()


@pytest.fixture
def second_page(browser: Browser, help_center: str, page_problems: PageProblems) -> Iterator[Page]:
    """Another desktop page in a context of its own (its own cookies): a second person
    using the site at the same time as `page`."""
    context = _context(browser, help_center, viewport=DESKTOP)
    yield _page(context, page_problems)
    context.close()
