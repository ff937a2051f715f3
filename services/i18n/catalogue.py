"""The catalogues, read from the committed .po files (once per process, on first use) and translating.

The .po files are the source of truth and what translators edit; they are compiled in memory with Babel
(no .mo to build or to forget to rebuild on a clean clone). Never imported by workflow code: a workflow
refuses with a `Msg`, and the API or the web page translates it here.
"""

from __future__ import annotations

import gettext as _gettext
from functools import cache
from io import BytesIO
from pathlib import Path
from typing import Any, Literal

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from services.i18n.message import Msg

Lang = Literal["ja", "en"]
LANGS: tuple[Lang, ...] = ("ja", "en")
DOMAIN = "banso"
LOCALE_DIR = Path(__file__).parent / "locale"


def po_path(lang: str) -> Path:
    """Where the catalogue of `lang` lives."""
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(lang: str) -> _gettext.NullTranslations:
    """The compiled catalogue of `lang` (English msgids stand for themselves when a file is missing)."""
    path = po_path(lang)
    if not path.is_file():
        return _gettext.NullTranslations()
    with path.open("rb") as po:
        catalog = read_po(po, locale=lang, domain=DOMAIN)
    buffer = BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def gettext(lang: str, msgid: str, **params: Any) -> str:
    """`msgid` in `lang`, with its `%(name)s` placeholders filled."""
    return translate(Msg(msgid, params), lang)


def pgettext(lang: str, context: str, msgid: str, **params: Any) -> str:
    """`msgid` in its `context`, in `lang`."""
    return translate(Msg(msgid, params, context), lang)


def translate(message: Msg, lang: str) -> str:
    """A message in `lang` (nested messages in its parameters translated too)."""
    t = translations(lang)
    return message.render(t.gettext, t.pgettext)


def both(message: Msg) -> tuple[str, str]:
    """(Japanese, English) — the pair a problem document carries."""
    return translate(message, "ja"), translate(message, "en")
