"""What the timeline and the audit page call things: each event type's name and description, which payload
field gives its business date, each field's label, the values and people words (all msgids of
services/i18n's catalogue; the Japanese are the catalogue's)."""

from __future__ import annotations

from services.i18n.message import N_, NC_

# Any date field an event of an unknown type may carry, in order of preference (types known below name theirs).
DATE_FIELDS = (
    "start_date",
    "held_on",
    "made_on",
    "achieved_on",
    "recorded_on",
    "applied_on",
    "assigned_on",
    "joined_on",
    "left_on",
    "changed_on",
    "supported_on",
    "submitted_on",
    "answered_on",
    "closed_on",
    "withdrawn_on",
)
SUMMARY_FIELDS = ("title", "description", "area", "topic", "subject", "place", "summary", "reason", "feedback")

# event type → the payload fields that give its business date (the first one present wins). An outcome is
# dated by when it was achieved or decided, else by the day it was written down.
BUSINESS_DATES: dict[str, tuple[str, ...]] = {
    "MunicipalityApplied": ("applied_on",),
    "ApplicationWithdrawn": ("withdrawn_on",),
    "TeamAssigned": ("assigned_on",),
    "MemberJoined": ("joined_on",),
    "MemberLeft": ("left_on",),
    "KickoffHeld": ("held_on",),
    "SupportThemesChanged": ("changed_on",),
    "SupportFlowRecorded": ("recorded_on",),
    "OnlineMeetingHeld": ("start_date",),
    "SiteVisitMade": ("start_date",),
    "CompanyVisitMade": ("start_date",),
    "CoordinationHeld": ("held_on",),
    "IntroductionMade": ("made_on",),
    "FundingApplicationSupported": ("supported_on",),
    "OutcomeRecorded": ("achieved_on", "recorded_on"),
    "ReportSubmitted": ("submitted_on",),
    "SurveyAnswered": ("answered_on",),
    "PolicyFeedbackRecorded": ("recorded_on",),
    "EngagementClosed": ("closed_on",),
    "EngagementWithdrawn": ("withdrawn_on",),
    "TravelPlanned": ("planned_on",),
    "TravelSettled": ("settled_on",),
    "EventCorrected": (),  # dated by the corrected record's own business date
    "EventRetracted": (),
}
# Events the system raises by itself: they happen when they are recorded, and have no business date.
AUTOMATIC = frozenset({"EngagementStalled", "EngagementResumed", "FinalReportDue", "StreamRepaired"})

DATE_CONTEXT = "what the business date of an event on the timeline is"
DATE_LABELS: dict[str, str] = {
    "applied_on": NC_("what the business date of an event on the timeline is", "Applied on"),
    "planned_on": NC_("what the business date of an event on the timeline is", "Planned on"),
    "settled_on": NC_("what the business date of an event on the timeline is", "Settled on"),
    "withdrawn_on": NC_("what the business date of an event on the timeline is", "Withdrawn on"),
    "assigned_on": NC_("what the business date of an event on the timeline is", "Team formed on"),
    "joined_on": NC_("what the business date of an event on the timeline is", "Joined on"),
    "left_on": NC_("what the business date of an event on the timeline is", "Left on"),
    "held_on": NC_("what the business date of an event on the timeline is", "Held on"),
    "changed_on": NC_("what the business date of an event on the timeline is", "Changed on"),
    "recorded_on": NC_("what the business date of an event on the timeline is", "Written down on"),
    "start_date": NC_("what the business date of an event on the timeline is", "Held on"),
    "made_on": NC_("what the business date of an event on the timeline is", "Held on"),
    "supported_on": NC_("what the business date of an event on the timeline is", "Date"),
    "achieved_on": NC_("what the business date of an event on the timeline is", "Achieved or decided on"),
    "submitted_on": NC_("what the business date of an event on the timeline is", "Submitted on"),
    "answered_on": NC_("what the business date of an event on the timeline is", "Answered on"),
    "closed_on": NC_("what the business date of an event on the timeline is", "Closed on"),
}
NO_DATE = NC_("what the business date of an event on the timeline is", "No date recorded")
NO_DATE_AUTOMATIC = NC_(
    "what the business date of an event on the timeline is", "No business date (raised automatically)"
)


# event type → its short name (msgid: the English; the Japanese is the catalogue's, the seed's words).
NAME_CONTEXT = "the short name of an event type"
NAMES: dict[str, str] = {
    "MunicipalityApplied": NC_("the short name of an event type", "Application"),
    "ApplicationWithdrawn": NC_("the short name of an event type", "Application withdrawn"),
    "TeamAssigned": NC_("the short name of an event type", "Matching"),
    "MemberJoined": NC_("the short name of an event type", "Official joined"),
    "MemberLeft": NC_("the short name of an event type", "Official left"),
    "KickoffHeld": NC_("the short name of an event type", "Kickoff"),
    "SupportThemesChanged": NC_("the short name of an event type", "Support themes changed"),
    "SupportFlowRecorded": NC_("the short name of an event type", "Support flow"),
    "OnlineMeetingHeld": NC_("the short name of an event type", "Online meeting"),
    "SiteVisitMade": NC_("the short name of an event type", "Site visit"),
    "CompanyVisitMade": NC_("the short name of an event type", "Company visit"),
    "CoordinationHeld": NC_("the short name of an event type", "Coordination"),
    "IntroductionMade": NC_("the short name of an event type", "Introduction"),
    "FundingApplicationSupported": NC_("the short name of an event type", "Funding application support"),
    "OutcomeRecorded": NC_("the short name of an event type", "Outcome"),
    "ReportSubmitted": NC_("the short name of an event type", "Report"),
    "SurveyAnswered": NC_("the short name of an event type", "Survey answer"),
    "PolicyFeedbackRecorded": NC_("the short name of an event type", "Policy feedback"),
    "EngagementStalled": NC_("the short name of an event type", "Stalled"),
    "EngagementResumed": NC_("the short name of an event type", "Resumed"),
    "FinalReportDue": NC_("the short name of an event type", "Final report due"),
    "EngagementClosed": NC_("the short name of an event type", "Closed"),
    "EngagementWithdrawn": NC_("the short name of an event type", "Withdrawn"),
    "StreamRepaired": NC_("the short name of an event type", "Stream repaired"),
    "TravelPlanned": NC_("the short name of an event type", "Travel planned"),
    "TravelSettled": NC_("the short name of an event type", "Travel settled"),
    "EventCorrected": NC_("the short name of an event type", "Correction"),
    "EventRetracted": NC_("the short name of an event type", "Retraction"),
}

# payload field → its label on the timeline. Fields of the business date, the type and the version are left
# out; a field not named here is shown under its schema description (tests/unit/test_timeline.py lists them).
FIELD_CONTEXT = "a field of an event on the timeline"
FIELD_LABELS: dict[str, str] = {
    "municipality_name": NC_("a field of an event on the timeline", "Municipality"),
    "prefecture": NC_("a field of an event on the timeline", "Prefecture"),
    "municipality_code": NC_("a field of an event on the timeline", "Municipality code"),
    "period": NC_("a field of an event on the timeline", "Period"),
    "population": NC_("a field of an event on the timeline", "Population"),
    "mayor": NC_("a field of an event on the timeline", "Mayor"),
    "challenges": NC_("a field of an event on the timeline", "Challenges"),
    "desired_themes": NC_("a field of an event on the timeline", "Desired support themes"),
    "officials": NC_("a field of an event on the timeline", "Team"),
    "official": NC_("a field of an event on the timeline", "Official"),
    "official_id": NC_("a field of an event on the timeline", "Official"),
    "reason": NC_("a field of an event on the timeline", "Reason"),
    "title": NC_("a field of an event on the timeline", "Title"),
    "themes": NC_("a field of an event on the timeline", "Support themes"),
    "final_report_due": NC_("a field of an event on the timeline", "Final report due"),
    "area": NC_("a field of an event on the timeline", "Area of work"),
    "description": NC_("a field of an event on the timeline", "Description"),
    "actions": NC_("a field of an event on the timeline", "Support given"),
    "end_date": NC_("a field of an event on the timeline", "Until"),
    "place": NC_("a field of an event on the timeline", "Place"),
    "participant_ids": NC_("a field of an event on the timeline", "Officials taking part"),
    "participants": NC_("a field of an event on the timeline", "Participants"),
    "led_by": NC_("a field of an event on the timeline", "Led by"),
    "company_count": NC_("a field of an event on the timeline", "Companies visited"),
    "companies": NC_("a field of an event on the timeline", "Companies"),
    "body": NC_("a field of an event on the timeline", "Coordinated with"),
    "topic": NC_("a field of an event on the timeline", "Topic"),
    "what": NC_("a field of an event on the timeline", "Introduced"),
    "subject": NC_("a field of an event on the timeline", "Name"),
    "to_whom": NC_("a field of an event on the timeline", "Introduced to"),
    "by_official_id": NC_("a field of an event on the timeline", "Introduced by"),
    "theme": NC_("a field of an event on the timeline", "Support theme"),
    "kind": NC_("a field of an event on the timeline", "Kind"),
    "kind_detail": NC_("a field of an event on the timeline", "Kind (detail)"),
    "status": NC_("a field of an event on the timeline", "Status"),
    "related": NC_("a field of an event on the timeline", "Related bodies and programmes"),
    "contributor_ids": NC_("a field of an event on the timeline", "Officials who contributed"),
    "programme": NC_("a field of an event on the timeline", "Programme"),
    "purpose": NC_("a field of an event on the timeline", "Purpose"),
    "report": NC_("a field of an event on the timeline", "Report"),
    "summary": NC_("a field of an event on the timeline", "Summary"),
    "field_experience": NC_("a field of an event on the timeline", "Field experience"),
    "diverse_team": NC_("a field of an event on the timeline", "A diverse team"),
    "useful_for_ministry_work": NC_("a field of an event on the timeline", "Useful for ministry work"),
    "free_text": NC_("a field of an event on the timeline", "Comments"),
    "to": NC_("a field of an event on the timeline", "Feedback to"),
    "feedback": NC_("a field of an event on the timeline", "Feedback"),
    "last_contact_recorded_at": NC_("a field of an event on the timeline", "Last contact recorded"),
    "silent_days": NC_("a field of an event on the timeline", "Days without contact"),
    "resumed_by": NC_("a field of an event on the timeline", "Resumed by"),
    "due_on": NC_("a field of an event on the timeline", "Due on"),
    "restored": NC_("a field of an event on the timeline", "Re-stored from the workflow's history"),
    "adopted": NC_("a field of an event on the timeline", "Taken over from the log"),
    "override_reason": NC_("a field of an event on the timeline", "Why the team rules were set aside"),
    "recorded_on": NC_("a field of an event on the timeline", "Written down on"),
    "achieved_on": NC_("a field of an event on the timeline", "Achieved or decided on"),
    "note": NC_("a field of an event on the timeline", "Notes"),
    # 支援旅費 (TravelPlanned, TravelSettled)
    "visit_event_id": NC_("a field of an event on the timeline", "Visit"),
    "departs_on": NC_("a field of an event on the timeline", "Departs on"),
    "returns_on": NC_("a field of an event on the timeline", "Returns on"),
    "nights": NC_("a field of an event on the timeline", "Nights"),
    "origin": NC_("a field of an event on the timeline", "From"),
    "rates_id": NC_("a field of an event on the timeline", "Travel rates"),
    "transport_yen": NC_("a field of an event on the timeline", "Transport"),
    "lodging_yen": NC_("a field of an event on the timeline", "Lodging"),
    "daily_allowance_yen": NC_("a field of an event on the timeline", "Daily allowance"),
    "redacted": NC_("a field of an event on the timeline", "Amounts"),
    "notes": NC_("a field of an event on the timeline", "Notes"),
    "group": NC_("a field of an event on the timeline", "Group"),
    "heading": NC_("a field of an event on the timeline", "Heading"),
    "challenge_heading": NC_("a field of an event on the timeline", "Heading of the challenges"),
    "corrected": NC_("a field of an event on the timeline", "Corrected record"),
}
# Fields not shown as content: the envelope's own, and codes another field already says.
HIDDEN_FIELDS = frozenset(
    {"event_type", "schema_version", "start_date", "population_as_of", "corrects_event_id", "retracts_event_id"}
)
HIDDEN_BY_TYPE: dict[str, frozenset[str]] = {
    "OnlineMeetingHeld": frozenset({"kind"}),
    "SiteVisitMade": frozenset({"kind"}),
    "CompanyVisitMade": frozenset({"kind"}),
}

VALUE_CONTEXT = "a value of a field of an event on the timeline"
VALUE_LABELS: dict[str, str] = {
    "funding.preparing": NC_("a value of a field of an event on the timeline", "Preparing"),
    "funding.submitted": NC_("a value of a field of an event on the timeline", "Submitted"),
    "funding.adopted": NC_("a value of a field of an event on the timeline", "Adopted"),
    "funding.rejected": NC_("a value of a field of an event on the timeline", "Not adopted"),
    "report.interim": NC_("a value of a field of an event on the timeline", "Interim report"),
    "report.final": NC_("a value of a field of an event on the timeline", "Final report"),
    "leave.transfer": NC_("a value of a field of an event on the timeline", "Personnel transfer"),
    "leave.workload": NC_("a value of a field of an event on the timeline", "Workload of their own post"),
    "leave.other": NC_("a value of a field of an event on the timeline", "Other"),
    "yes": NC_("a value of a field of an event on the timeline", "Yes"),
    "no": NC_("a value of a field of an event on the timeline", "No"),
    "redacted": NC_("a value of a field of an event on the timeline", "Not shown to your role"),
}
COMPANIES = N_("%(count)s companies")
PEOPLE = N_("%(count)s people")
PEOPLE_AS_OF = N_("%(count)s people (as of %(day)s)")
DAYS = N_("%(count)s days")
NIGHTS = N_("%(count)s nights")
OFFICIAL_WITH_MINISTRY = N_("%(name)s (%(ministry)s)")
UNKNOWN_OFFICIAL = N_("an official not on this engagement's team (%(id)s)")
BODY_WITH_KIND = N_("%(name)s (%(kind)s)")

# Who recorded an event: people by the name the directory keeps; systems by a name in the page's language.
ACTOR_CONTEXT = "who recorded an event"
SYSTEM_ACTORS: dict[str, str] = {
    "system:banso-workflow": NC_("who recorded an event", "Banso (recorded automatically)"),
    "system:banso-period": NC_("who recorded an event", "Banso (recorded automatically)"),
    "system:banso-repair": NC_("who recorded an event", "Banso repair tool"),
    "demo-loader": NC_("who recorded an event", "Demo data loader"),
}
OTHER_SYSTEM = NC_("who recorded an event", "Banso system (%(id)s)")
CONNECTED_SYSTEM = NC_("who recorded an event", "Connected system (%(id)s)")


LABEL_CONTEXT = "an event on an engagement's timeline"
LABELS: dict[str, str] = {
    "MunicipalityApplied": NC_(
        "an event on an engagement's timeline", "a municipality applied to the programme for one period"
    ),
    "ApplicationWithdrawn": NC_(
        "an event on an engagement's timeline", "the municipality withdrew its application before a team was formed"
    ),
    "TeamAssigned": NC_(
        "an event on an engagement's timeline", "a mixed-ministry team of 2–3 officials was formed for the engagement"
    ),
    "MemberJoined": NC_("an event on an engagement's timeline", "an official joined the team mid-way"),
    "MemberLeft": NC_("an event on an engagement's timeline", "an official left the team (transfer, workload, …)"),
    "KickoffHeld": NC_("an event on an engagement's timeline", "the support themes were agreed at the first meeting"),
    "SupportThemesChanged": NC_(
        "an event on an engagement's timeline", "the agreed themes changed after the first months"
    ),
    "SupportFlowRecorded": NC_(
        "an event on an engagement's timeline", "how the team supports one area of the municipality's work"
    ),
    "OnlineMeetingHeld": NC_("an event on an engagement's timeline", "an online meeting with the municipality"),
    "SiteVisitMade": NC_("an event on an engagement's timeline", "the team visited the municipality"),
    "CompanyVisitMade": NC_(
        "an event on an engagement's timeline", "the team visited companies (usually in the capital region)"
    ),
    "CoordinationHeld": NC_(
        "an event on an engagement's timeline",
        "coordination with a regional bureau, a prefectural department, a ministry…",
    ),
    "IntroductionMade": NC_(
        "an event on an engagement's timeline", "the team introduced a programme, a case, an expert or a company"
    ),
    "FundingApplicationSupported": NC_(
        "an event on an engagement's timeline", "the team supported an application to a funding programme"
    ),
    "OutcomeRecorded": NC_(
        "an event on an engagement's timeline", "something the engagement achieved, is working on, or plans"
    ),
    "ReportSubmitted": NC_("an event on an engagement's timeline", "an interim or final report was submitted"),
    "SurveyAnswered": NC_("an event on an engagement's timeline", "one official's answers to the programme survey"),
    "PolicyFeedbackRecorded": NC_(
        "an event on an engagement's timeline", "feedback from the engagement to a ministry's policy work"
    ),
    "EngagementStalled": NC_(
        "an event on an engagement's timeline",
        "no meeting, visit or coordination was recorded for the configured number of days",
    ),
    "EngagementResumed": NC_("an event on an engagement's timeline", "a contact was recorded after a stall"),
    "FinalReportDue": NC_(
        "an event on an engagement's timeline", "the final report falls due soon and has not been submitted"
    ),
    "EngagementClosed": NC_("an event on an engagement's timeline", "the engagement ended normally"),
    "EngagementWithdrawn": NC_("an event on an engagement's timeline", "the engagement was withdrawn before it ended"),
    "StreamRepaired": NC_(
        "an event on an engagement's timeline",
        "Stream repaired: the log and its writer were brought back in line, nothing guessed",
    ),
    "TravelPlanned": NC_(
        "an event on an engagement's timeline", "one official's travel for a visit was planned (支援旅費)"
    ),
    "TravelSettled": NC_("an event on an engagement's timeline", "one official's travel for a visit was settled"),
    "EventCorrected": NC_(
        "an event on an engagement's timeline", "a recorded activity, outcome or survey answer was corrected"
    ),
    "EventRetracted": NC_(
        "an event on an engagement's timeline", "a recorded activity, outcome or survey answer was retracted"
    ),
}
OFFICIALS_SEPARATOR = NC_("separator between the officials in a timeline row's summary", ", ")
