"""Text matching for filters as staff expect it: case folded for Azerbaijani and Turkish
(``İ``/``i``, ``I``/``ı``) and without diacritics, so ``xocali`` finds ``Xocalı``."""

from __future__ import annotations

import unicodedata

SPECIAL = str.maketrans({"İ": "i", "I": "i", "ı": "i", "ə": "e", "Ə": "e"})


def folded(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(SPECIAL).casefold())
    return "".join(character for character in decomposed if not unicodedata.combining(character))
