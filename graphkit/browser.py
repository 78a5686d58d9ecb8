"""Headless Chromium with the network cut off, for proving rendered pages draw (tests, bench).

Drives the system's Chromium (Debian package ``chromium``; override with ``GRAPHKIT_CHROMIUM``)
through Playwright's Python API; Playwright's own browser download is never needed.

>>> with chromium() as browser:                                   # doctest: +SKIP
...     tab = open_guarded(browser, Path("case.html").resolve().as_uri())
...     stable_ms = wait_stable(tab.page)
...     assert not tab.blocked and not tab.errors
"""

from __future__ import annotations

import base64
import os
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Frame, Page, Route

CHROMIUM = os.environ.get("GRAPHKIT_CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@contextmanager
def chromium() -> Iterator[Browser]:
    """Launch headless Chromium; closed on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


@dataclass
class GuardedPage:
    """A page whose requests outside ``allow`` are aborted and recorded in ``blocked``."""

    page: Page
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)


def open_guarded(
    browser: Browser,
    url: str,
    *,
    allow: tuple[str, ...] = ("file://",),
    viewport: tuple[int, int] = (1280, 900),
) -> GuardedPage:
    """Open ``url`` in a fresh context that lets through only URLs starting with ``allow``.

    With the default (``file://`` only) the context is also offline. Console errors and
    uncaught exceptions land in ``errors``.
    """
    offline = all(prefix.startswith("file:") for prefix in allow)
    context = browser.new_context(
        offline=offline, viewport={"width": viewport[0], "height": viewport[1]}
    )
    page = context.new_page()
    guarded = GuardedPage(page)

    def guard(route: Route) -> None:
        if route.request.url.startswith(allow):
            route.continue_()
        else:
            route.abort()

    context.route("**/*", guard)
    page.on(
        "request",
        lambda request: None if request.url.startswith((*allow, "data:", "about:", "blob:"))
        else guarded.blocked.append(request.url),
    )  # fmt: skip
    page.on("console", lambda msg: guarded.errors.append(msg.text) if msg.type == "error" else None)
    page.on("pageerror", lambda exc: guarded.errors.append(str(exc)))
    page.goto(url)
    return guarded


def wait_stable(frame: Page | Frame, timeout_s: float = 120) -> int:
    """Wait until a graphkit page's physics has stabilised; returns ``graphkitStableMs``.

    Polls from outside: the page's Content-Security-Policy forbids the ``eval`` that
    Playwright's ``wait_for_function`` needs.
    """
    deadline = time.monotonic() + timeout_s
    while not frame.evaluate("window.graphkitStable === true"):
        if time.monotonic() > deadline:
            raise TimeoutError(f"physics did not stabilise within {timeout_s:g} s")
        time.sleep(0.05)
    return frame.evaluate("window.graphkitStableMs")


def ink(page: Page, png: bytes, *, background: int = 245) -> int:
    """How many pixels of a PNG screenshot are not (near-)white, counted on a scratch page."""
    scratch = page.context.new_page()
    try:
        return scratch.evaluate(
            """async ([src, bg]) => {
                const img = new Image();
                img.src = src;
                await img.decode();
                const canvas = document.createElement("canvas");
                canvas.width = img.width;
                canvas.height = img.height;
                const ctx = canvas.getContext("2d");
                ctx.drawImage(img, 0, 0);
                const px = ctx.getImageData(0, 0, img.width, img.height).data;
                let n = 0;
                for (let i = 0; i < px.length; i += 4) {
                    if (px[i] < bg || px[i + 1] < bg || px[i + 2] < bg) n++;
                }
                return n;
            }""",
            ["data:image/png;base64," + base64.b64encode(png).decode(), background],
        )
    finally:
        scratch.close()
