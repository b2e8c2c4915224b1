"""Reading the console's HTML in tests, as a person without JavaScript would use it."""

from __future__ import annotations

import re
from html import unescape

import httpx


def csrf(page: httpx.Response) -> str:
    found = re.search(r'name="csrf_token" value="([^"]+)"', page.text)
    assert found, "the page has a form with a CSRF token"
    return found[1]


def text_of(page: httpx.Response) -> str:
    """The page's visible words, whitespace collapsed."""
    body = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page.text, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body))).strip()


def field_error(page: httpx.Response, field: str) -> str:
    found = re.search(
        rf'<p id="{re.escape(field)}-error" class="govuk-error-message">(.*?)</p>', page.text, re.S
    )
    assert found, f"no error shown at {field}: {text_of(page)[:2000]}"
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", found[1]))).strip()


async def post_form(client: httpx.AsyncClient, path: str, data: dict) -> httpx.Response:
    """GET the form (for its CSRF token), then POST it as a browser would."""
    page = await client.get(path)
    assert page.status_code == 200, text_of(page)[:2000]
    return await client.post(path, data={"csrf_token": csrf(page), **data})
