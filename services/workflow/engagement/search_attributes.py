"""Search attributes the back office filters engagements by in Temporal visibility."""

from __future__ import annotations

from temporalio.common import SearchAttributeKey

STAGE = SearchAttributeKey.for_keyword("BansoStage")
PERIOD = SearchAttributeKey.for_int("BansoPeriod")
PREFECTURE = SearchAttributeKey.for_keyword("BansoPrefecture")
MUNICIPALITY_CODE = SearchAttributeKey.for_keyword("BansoMunicipalityCode")
THEMES = SearchAttributeKey.for_keyword_list("BansoThemes")
LAST_CONTACT = SearchAttributeKey.for_datetime("BansoLastContact")
STALLED = SearchAttributeKey.for_bool("BansoStalled")

ALL = (STAGE, PERIOD, PREFECTURE, MUNICIPALITY_CODE, THEMES, LAST_CONTACT, STALLED)
