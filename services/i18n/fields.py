"""The names of input fields in the user's words (pydantic's `loc` → a label), for validation messages."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from services.i18n.message import N_, Msg

FIELD_LABELS: dict[str, str] = {
    # query parameters
    "limit": N_("number of results"),
    "q": N_("search words"),
    "as_of": N_("reference date"),
    "availability": N_("availability"),
    "max_hops": N_("maximum number of hops"),
    "source": N_("start node"),
    "target": N_("end node"),
    "stalled": N_("stalled only"),
    # headers
    "idempotency-key": N_("Idempotency-Key header"),
    # engagements and their records
    "period": N_("period"),
    "municipality_code": N_("municipality code"),
    "municipality_name": N_("municipality name"),
    "prefecture": N_("prefecture"),
    "prefecture_code": N_("prefecture code"),
    "population": N_("population"),
    "population_as_of": N_("population reference date"),
    "mayor": N_("mayor"),
    "challenges": N_("challenges"),
    "desired_themes": N_("desired support themes"),
    "applied_on": N_("application date"),
    "withdrawn_on": N_("withdrawal date"),
    "reason": N_("reason"),
    "officials": N_("officials"),
    "official": N_("official"),
    "official_id": N_("official ID"),
    "other_official_id": N_("second official ID"),
    "by_official_id": N_("introducing official ID"),
    "name": N_("name"),
    "kana": N_("name in kana"),
    "ministry": N_("ministry"),
    "seconded_from": N_("seconded from"),
    "post": N_("post"),
    "seniority": N_("seniority"),
    "hometown": N_("hometown"),
    "expertise": N_("expertise"),
    "assigned_on": N_("assignment date"),
    "joined_on": N_("joining date"),
    "left_on": N_("leaving date"),
    "override_reason": N_("reason for the exception"),
    "held_on": N_("date held"),
    "final_report_due": N_("final report due date"),
    "participants": N_("participants"),
    "start_date": N_("start date"),
    "end_date": N_("end date"),
    "place": N_("place"),
    "purpose": N_("purpose"),
    "notes": N_("notes"),
    "note": N_("note"),
    "company_count": N_("number of companies visited"),
    "companies": N_("companies"),
    "body": N_("related body"),
    "kind": N_("kind"),
    "kind_detail": N_("kind in detail"),
    "topic": N_("topic"),
    "made_on": N_("date"),
    "what": N_("what was introduced"),
    "subject": N_("name of what was introduced"),
    "to_whom": N_("introduced to"),
    "themes": N_("support themes"),
    "changed_on": N_("date changed"),
    "theme": N_("theme"),
    "description": N_("description"),
    "status": N_("status"),
    "recorded_on": N_("date recorded"),
    "supported_on": N_("date supported"),
    "programme": N_("programme"),
    "submitted_on": N_("submission date"),
    "title": N_("title"),
    "feedback": N_("feedback"),
    "answered_on": N_("date answered"),
    "field_experience": N_("field experience"),
    "diverse_team": N_("diverse team"),
    "useful_for_ministry_work": N_("useful for ministry work"),
    "free_text": N_("free text"),
    "closed_on": N_("closing date"),
    "summary": N_("summary"),
    "code": N_("code"),
    "schema_version": N_("schema version"),
    # periods and matching
    "opens_on": N_("opening date"),
    "closes_on": N_("closing date of applications"),
    "ends_on": N_("end date of the period"),
    "min_team_size": N_("minimum team size"),
    "max_team_size": N_("maximum team size"),
    "volunteered_on": N_("date volunteered"),
    "preferred_themes": N_("preferred themes"),
    "preferred_regions": N_("preferred regions"),
    "capacity": N_("capacity"),
    "region": N_("region"),
    "action": N_("action"),
    "approved_on": N_("approval date"),
    "weights": N_("weights"),
    "max_deterministic_time": N_("solver time limit"),
    "candidates_per_municipality": N_("candidates per municipality"),
    # reference data
    "bureau": N_("bureau"),
    "area": N_("area"),
    "division": N_("division"),
    "parent_ministry": N_("parent ministry"),
    "covers_prefectures": N_("prefectures covered"),
    "registered_on": N_("registration date"),
    "municipalities": N_("municipalities"),
    # the programme's paperwork (併任, 支援旅費)
    "appointed_on": N_("date of appointment"),
    "term_ends_on": N_("last day of the term"),
    "ended_on": N_("date the appointment ends"),
    "departs_on": N_("departure date"),
    "returns_on": N_("return date"),
    "settled_on": N_("settlement date"),
    "planned_on": N_("date of the plan"),
}
FIELD = N_("field %(name)s")
WHOLE_BODY = N_("request body")


def field_label(loc: Sequence[Any]) -> Msg:
    """The label of the innermost named field in pydantic's `loc` (`body.officials.0.ministry` → ministry)."""
    names = [str(part) for part in loc if isinstance(part, str) and part not in {"body", "query", "path", "header"}]
    for name in reversed(names):
        label = FIELD_LABELS.get(name.lower())
        if label is not None:
            return Msg(label)
    if names:
        return Msg(FIELD, {"name": names[-1]})
    return Msg(WHOLE_BODY)
