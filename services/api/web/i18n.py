"""The back office's labels that Python or a template picks by key (a stage, a status, a form error…).

Every page string is a gettext msgid (English) in services/i18n's catalogue: templates write theirs in
place with Jinja2's i18n extension (`_("…")`, `pgettext(…)`); the labels chosen by a value at run time
(`label("stage", e.stage.value)`) and those Python sets (form errors) are named here, marked for extraction.
"""

from __future__ import annotations

from services.i18n.catalogue import LANGS, Lang
from services.i18n.catalogue import translate as translate_message
from services.i18n.message import N_, Msg

__all__ = ["LABELS", "LANGS", "Lang", "label", "translate"]

# key → (msgctxt or None, msgid)
LABELS: dict[str, tuple[str | None, str]] = {
    "stage.new": (None, N_("New")),
    "stage.application": (None, N_("Application")),
    "stage.matching": (None, N_("Matching")),
    "stage.kickoff": (None, N_("Kickoff")),
    "stage.visits": (None, N_("Visits")),
    "stage.outcomes": (None, N_("Outcomes")),
    "stage.closed": (None, N_("Closed")),
    "stage.withdrawn": (None, N_("Withdrawn")),
    "record.activity": (None, N_("Record a meeting or visit")),
    "record.coordination": (None, N_("Record a coordination")),
    "record.introduction": (None, N_("Record an introduction")),
    "record.outcome": (None, N_("Record an outcome")),
    "record.saved": (None, N_("Recorded")),
    "record.failed": (None, N_("Not recorded")),
    "activity.online_meeting": (None, N_("Online meeting")),
    "activity.site_visit": (None, N_("Site visit")),
    "activity.company_visit": (None, N_("Company visit")),
    "error.not_found": (None, N_("Not found")),
    "error.unavailable": (None, N_("Temporarily unavailable")),
    "error.unavailable.detail": (
        None,
        N_("The database or the workflow engine cannot be reached. Please wait a moment and try again."),
    ),
    "error.internal": (None, N_("Something went wrong")),
    "error.internal.detail": (
        None,
        N_("An unexpected error occurred. If it persists, please contact an operator."),
    ),
    "error.problem": (None, N_("The request could not be completed")),
    "body.regional_bureau": (None, N_("Regional bureau")),
    "body.prefectural_department": (None, N_("Prefectural department")),
    "body.ministry": (None, N_("Ministry")),
    "body.organization": (None, N_("Company or organisation")),
    "body.funding_program": (None, N_("Funding programme")),
    "intro.national_programme": (None, N_("National programme")),
    "intro.case_elsewhere": (None, N_("A case elsewhere")),
    "intro.expert": (None, N_("Expert")),
    "intro.company": (None, N_("Company")),
    "outcome.selection": (None, N_("Selection")),
    "outcome.company_attraction": (None, N_("Company attraction")),
    "outcome.guideline": (None, N_("Guideline")),
    "outcome.ordinance_revision": (None, N_("Ordinance revision")),
    "outcome.partnership_agreement": (None, N_("Partnership agreement")),
    "outcome.grant_adopted": (None, N_("Grant adopted")),
    "outcome.other": (None, N_("Other")),
    "status.achieved": (None, N_("Achieved")),
    "status.in_progress": (None, N_("In progress")),
    "status.planned": (None, N_("Planned")),
    "phase.new": (None, N_("Not opened")),
    "phase.open": (None, N_("Open")),
    "phase.intake_closed": (None, N_("Intake closed")),
    "phase.proposed": (None, N_("Proposal under review")),
    "phase.approved": (None, N_("Approved")),
    "error.forbidden": (None, N_("Not allowed")),
    "error.forbidden.detail": (None, N_("Your account may not open this page or send this form.")),
    "error.csrf": (None, N_("This form cannot be accepted")),
    "error.csrf.detail": (
        None,
        N_(
            "The form did not come from a Banso page you opened, or the page is too old. Nothing was recorded. "
            "Open the page again and send the form from there."
        ),
    ),
    "error.sign_in_failed": (None, N_("Sign-in did not complete")),
    "error.sign_in_failed.detail": (None, N_("The sign-in could not be confirmed. Please sign in again.")),
    "error.provider_unavailable": (None, N_("The sign-in service is unavailable")),
    "error.provider_unavailable.detail": (
        None,
        N_("The sign-in service cannot be reached. Please wait a moment and try again."),
    ),
    "error.signed_out": (None, N_("Please sign in")),
    "error.signed_out.detail": (
        None,
        N_("Your session has ended, so the form was not recorded. Sign in and send it again."),
    ),
    "seniority.junior": (None, N_("junior")),
    "seniority.mid": (None, N_("mid-career")),
    "seniority.senior": (None, N_("senior")),
    # 併任: why an appointment ended (schemas.events.appointments.AppointmentEndReason)
    "end_reason.team_change": (None, N_("Left the team")),
    "end_reason.personnel_transfer": (None, N_("Personnel transfer")),
    "end_reason.period_end": (None, N_("End of the period")),
    "end_reason.other": (None, N_("Other reason")),
    # 併任: the gaps list (schemas.paperwork_views.AppointmentGap)
    "gap.unappointed": (None, N_("On the team without an appointment")),
    "gap.not_on_team": (None, N_("Appointed but not on the team")),
    "gap_reason.before_appointment": (None, N_("Before the appointment date")),
    "gap_reason.after_end": (None, N_("After the appointment ended")),
    "gap_reason.after_term": (None, N_("After the end of the term")),
    "gap_reason.team_not_covered": (None, N_("The appointment does not cover this team")),
    "gap_reason.none": (None, N_("No appointment recorded")),
    "gap_reason.left_team": (None, N_("No longer on the team")),
    "visit.SiteVisitMade": (None, N_("Site visit")),
    "visit.CompanyVisitMade": (None, N_("Company visit")),
}


def translate(key: str, lang: str, **values: object) -> str:
    """The label `key` in `lang`, with its `%(name)s` placeholders filled."""
    context, msgid = LABELS[key]
    return translate_message(Msg(msgid, values, context), lang)


def label(prefix: str, value: object, lang: str) -> str:
    """The label of `value` in the family `prefix` (`stage`, `status`, `phase`…); the value itself if unknown."""
    key = f"{prefix}.{value}"
    return translate(key, lang) if key in LABELS else str(value)
