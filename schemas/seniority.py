"""Seniority of an official (若手〜シニア), shared by reference events and matching."""

from __future__ import annotations

from enum import StrEnum


class Seniority(StrEnum):
    """若手〜シニア."""

    JUNIOR = "junior"
    MID = "mid"
    SENIOR = "senior"
