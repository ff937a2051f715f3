"""Messages as data: an English msgid with its parameters, translated at the edge, never in a workflow.

Pure and deterministic (standard library only, no I/O), so Temporal workflow code may import it. The
placeholders are Python's `%(name)s`, the convention gettext tools flag as `python-format` (a literal
percent sign in a message with parameters is written `%%`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

# A parameter is plain text or a number, a message translated in turn, or a list of messages.
Param = Any
Gettext = Callable[[str], str]
Pgettext = Callable[[str, str], str]
LIST_SEPARATOR_CONTEXT = "separator between the items of a list"


def N_(msgid: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark `msgid` for extraction; it is translated later, where the reader's language is known."""
    return msgid


def NC_(context: str, msgid: str) -> str:  # noqa: N802 (the gettext convention)
    """Mark `msgid` with a context (for a word that translates differently elsewhere); returns the msgid."""
    return msgid


@dataclass(frozen=True)
class Msg:
    """A msgid (English, marked with `N_`) and the values of its `%(name)s` placeholders."""

    id: str
    params: Mapping[str, Param] = field(default_factory=dict)
    context: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON (for an ApplicationError's details): nested messages become dicts too."""
        out: dict[str, Any] = {"msgid": self.id, "params": {k: _param_to_data(v) for k, v in self.params.items()}}
        if self.context:
            out["context"] = self.context
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Msg:
        """The message `to_dict` wrote."""
        params = {k: _param_from_data(v) for k, v in dict(data.get("params") or {}).items()}
        return cls(str(data["msgid"]), params, data.get("context"))

    def render(self, gettext: Gettext | None = None, pgettext: Pgettext | None = None) -> str:
        """The message through `gettext` (default: the English msgid itself), placeholders filled."""
        gettext = gettext or _identity
        pgettext = pgettext or _identity_ctx
        text = pgettext(self.context, self.id) if self.context else gettext(self.id)
        if not self.params:
            return text
        values = {k: _render_param(v, gettext, pgettext) for k, v in self.params.items()}
        return text % values

    def __str__(self) -> str:
        return self.render()

    def __hash__(self) -> int:
        return hash((self.id, self.context, _frozen(dict(self.params))))


@dataclass(frozen=True)
class MsgList:
    """Items (messages or text) joined by a separator that is itself translated: `separator` is its msgid
    (English) and `context` its msgctxt, e.g. ". " between sentences, which Japanese writes 「。」."""

    items: tuple[Param, ...]
    separator: str
    context: str

    def __hash__(self) -> int:
        return hash((self.separator, self.context, _frozen(list(self.items))))


def _identity(msgid: str) -> str:
    return msgid


def _identity_ctx(context: str, msgid: str) -> str:
    return msgid


def _render_param(value: Param, gettext: Gettext, ctx_gettext: Pgettext) -> Any:
    if isinstance(value, Msg):
        return value.render(gettext, ctx_gettext)
    if isinstance(value, MsgList):
        separator = ctx_gettext(value.context, value.separator)
        return separator.join(str(_render_param(v, gettext, ctx_gettext)) for v in value.items)
    if isinstance(value, list | tuple):
        separator = ctx_gettext(LIST_SEPARATOR_CONTEXT, ", ")
        return separator.join(str(_render_param(v, gettext, ctx_gettext)) for v in value)
    return value


def _frozen(value: Any) -> Any:
    if isinstance(value, dict):
        return tuple(sorted((k, _frozen(v)) for k, v in value.items()))
    if isinstance(value, list | tuple):
        return tuple(_frozen(v) for v in value)
    return value


def _param_to_data(value: Param) -> Any:
    if isinstance(value, Msg):
        return value.to_dict()
    if isinstance(value, MsgList):
        return {
            "items": [_param_to_data(v) for v in value.items],
            "separator": value.separator,
            "context": value.context,
        }
    if isinstance(value, list | tuple):
        return [_param_to_data(v) for v in value]
    return value


def _param_from_data(value: Any) -> Param:
    if isinstance(value, dict) and "msgid" in value:
        return Msg.from_dict(value)
    if isinstance(value, dict) and "separator" in value:
        items = tuple(_param_from_data(v) for v in value.get("items") or [])
        return MsgList(items, str(value["separator"]), str(value["context"]))
    if isinstance(value, list):
        return [_param_from_data(v) for v in value]
    return value


# The list separator, extracted so a translator sees it (Japanese uses 「・」).
_SEPARATOR = NC_("separator between the items of a list", ", ")  # the literal, for extraction
