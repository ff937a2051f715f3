"""What the recording forms know of their payload models: which form fields are required, and where a rule
that spans several fields is shown (next to the field a person would change)."""

from __future__ import annotations

from functools import cache

from pydantic import BaseModel

from schemas.events import CoordinationHeld, IntroductionMade, OutcomeRecorded
from schemas.events.activities import CompanyVisitMade, OnlineMeetingHeld, SiteVisitMade

# Each form's payload models (a meeting or visit is one of three, chosen by `kind`).
FORM_MODELS: dict[str, tuple[type[BaseModel], ...]] = {
    "activity": (OnlineMeetingHeld, SiteVisitMade, CompanyVisitMade),
    "coordination": (CoordinationHeld,),
    "introduction": (IntroductionMade,),
    "outcome": (OutcomeRecorded,),
}
# A form choosing its model by a field: that field is required although each model defaults it.
DISCRIMINATORS = {"activity": "kind"}
# A nested model's fields as the form names them (`body.kind` is the field `body_kind`).
NESTED = {"body": ("body_kind", "body_name")}

# A rule of several fields (a model validator's error, at no field) → the field its message is shown at.
RULE_FIELDS = {
    "end_before_start": "end_date",
    "more_companies_than_count": "company_count",
    "official_twice": "participant_ids",
    "lead_not_participant": "led_by",
    # the paperwork forms (services/api/web/paperwork_forms.py)
    "returns_before_departs": "returns_on",
    "more_nights_than_trip": "nights",
    "term_before_appointment": "term_ends_on",
    "other_needs_note": "note",
}


def _required(model: type[BaseModel]) -> frozenset[str]:
    names: set[str] = set()
    for name, info in model.model_fields.items():
        if info.is_required():
            names.update(NESTED.get(name, (name,)))
    return frozenset(names)


@cache
def required_fields(form: str) -> frozenset[str]:
    """The form's fields every one of its payload models requires (none for an unknown form)."""
    models = FORM_MODELS.get(form, ())
    if not models:
        return frozenset()
    common = frozenset.intersection(*(_required(m) for m in models))
    return common | ({DISCRIMINATORS[form]} if form in DISCRIMINATORS else set())
