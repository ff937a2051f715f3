"""Errors the local stack reports to a person: each says what is wrong and what to do."""

from __future__ import annotations


class StackError(Exception):
    """A readable, actionable failure of `banso up` (printed without a traceback)."""
