"""The interface in Azerbaijani, English and Russian: every message translated, the
language chosen per user, dates formatted for the language in the session's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
from babel.messages.pofile import read_po

from services.console.entrypoints.web.i18n import CATALOGUES, LANGUAGES, Translator, load_catalogues
from tests.console.conftest import sign_in
from tests.console.pages import csrf, text_of


def test_every_message_is_translated_in_azerbaijani_and_russian():
    for language in ("az", "ru"):
        with (CATALOGUES / language / "LC_MESSAGES" / "messages.po").open("rb") as source:
            catalog = read_po(source, locale=language)
        untranslated = [
            message.id
            for message in catalog
            if message.id
            and (
                not message.string
                or (isinstance(message.string, tuple) and not all(message.string))
            )
        ]
        assert not untranslated, f"{language}: {untranslated}"
        assert not [m.id for m in catalog if m.id and m.fuzzy], f"{language}: fuzzy entries"


def test_moments_are_shown_in_the_sessions_zone_for_each_language():
    catalogues = load_catalogues()
    moment = datetime(2026, 3, 12, 7, 0, tzinfo=UTC)  # 11:00 in Baku
    shown = {  # Babel separates some parts with narrow no-break spaces; read them as spaces
        language: Translator(language, catalogues[language])
        .datetime(moment, "Asia/Baku")
        .replace("\u202f", " ")
        for language in LANGUAGES
    }
    assert shown["en"] == "Mar 12, 2026, 11:00 AM"
    assert shown["az"] == "12 mar 2026 11:00"
    assert shown["ru"] == "12 мар. 2026 г., 11:00"


async def test_sign_in_speaks_the_browsers_language_and_a_user_keeps_their_choice(stack):
    async with httpx.AsyncClient(base_url=stack.console_url) as client:
        azerbaijani = await client.get("/sign-in")
        assert "Əməkdaş konsoluna daxil olun" in text_of(azerbaijani), "az by default"
        russian = await client.get("/sign-in", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
        assert "Вход в консоль сотрудников" in text_of(russian)
        assert 'lang="ru"' in russian.text

        await sign_in(client, "clerk")  # the account's language is English
        page = await client.get("/")
        assert "Work plan" in text_of(page)
        chosen = await client.post(
            "/language", data={"csrf_token": csrf(page), "language": "ru", "next": "/"}
        )
        assert chosen.status_code == 303
        again = await client.get("/", headers={"Accept-Language": "az"})
        assert "План работы" in text_of(again), "the user's choice, not the browser's"
