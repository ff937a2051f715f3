"""Every string a person reads, in one gettext catalogue (Japanese and English) kept with Babel.

- `message.py` is pure (no I/O, no third-party imports): `N_()` marks an English msgid for extraction
  and `Msg` carries a msgid with its parameters. Workflow code uses only this module: a rule refuses with a
  `Msg`, and the edge (API problems, web pages) translates it.
- `catalogue.py` reads `locale/<lang>/LC_MESSAGES/banso.po` (lazily, once per process) and translates.
- `validation.py` renders pydantic's validation errors in the reader's language; `fields.py` names the
  fields in the user's words.

The translator's flow (`scripts/messages`): `extract` the msgids from Python and the Jinja2 templates,
`update` the .po files, translate in any PO editor, `check` (what `tests/unit/test_catalogue.py` asserts).
"""

from services.i18n.message import N_, NC_, Msg

__all__ = ["NC_", "N_", "Msg"]
