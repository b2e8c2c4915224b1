"""A real Chromium (Debian's ``chromium``) driven by Playwright, with axe-core from npm.

Playwright's own browser download cannot work here; Debian's package is used instead.
axe is evaluated through the DevTools protocol, so the console's Content-Security-Policy
(no inline script) stays in force while it runs.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from playwright.async_api import Page

REPOSITORY = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = REPOSITORY / "build" / "screenshots"
BLOCKING = {"serious", "critical"}


def chromium_path() -> str:
    if not Path(CHROMIUM).exists():
        found = shutil.which("chromium")
        if found is None:
            raise RuntimeError("Debian's chromium is missing: scripts/bootstrap installs it")
        return found
    return CHROMIUM


async def axe_violations(page: Page) -> list[dict[str, Any]]:
    """axe-core's serious and critical violations on the page as it is now."""
    if not await page.evaluate("typeof window.axe !== 'undefined'"):
        await page.evaluate(AXE.read_text(encoding="utf-8"))
    results = await page.evaluate(
        "async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
    )
    return [
        {"id": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in results
        if v["impact"] in BLOCKING
    ]


async def assert_accessible(page: Page) -> None:
    violations = await axe_violations(page)
    assert not violations, f"axe on {page.url}: {json.dumps(violations, indent=1)}"


async def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    await page.screenshot(path=str(path), full_page=True)
    return path


async def tab_to(page: Page, selector: str, limit: int = 150) -> None:
    """Press Tab until the element matching ``selector`` has the keyboard focus."""
    for _ in range(limit):
        if await page.evaluate(
            "(selector) => document.activeElement && document.activeElement.matches(selector)",
            selector,
        ):
            return
        await page.keyboard.press("Tab")
    raise AssertionError(f"{selector} cannot be reached with the Tab key on {page.url}")


async def type_into(page: Page, selector: str, text: str) -> None:
    await tab_to(page, selector)
    await page.keyboard.press("Control+A")
    await page.keyboard.type(text)
