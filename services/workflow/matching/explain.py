"""Explanations of proposed teams as messages (pure): msgids of services/i18n's catalogue with their values.

The matching activity reads them in Japanese and English (the proposal an event stores carries both texts).
"""

from __future__ import annotations

from schemas.matching import Application, MemberReason, Volunteer
from services.i18n.message import N_, NC_, Msg, MsgList
from services.workflow.matching.fit import matched, regional_tie
from services.workflow.matching.objective import team_has_mix

SENIORITY_CONTEXT = "an official's seniority in a team's explanation"
SENIORITY = {
    "junior": NC_("an official's seniority in a team's explanation", "junior"),
    "mid": NC_("an official's seniority in a team's explanation", "mid"),
    "senior": NC_("an official's seniority in a team's explanation", "senior"),
}
TIE_CONTEXT = "what a municipality's prefecture is to an official"
TIES = {
    "hometown": NC_("what a municipality's prefecture is to an official", "hometown"),
    "preferred_region": NC_("what a municipality's prefecture is to an official", "preferred region"),
}
# Separators whose Japanese is not the list's 「・」 (each msgid is the English separator).
WORDS = "separator between the words an official matches (Japanese closes one 「」 and opens the next)"
TIES_SEPARATOR = "separator between an official's ties to a municipality"
SENTENCES = "separator between the sentences of a team's explanation"
_SEPARATORS = (  # the literals, for extraction
    NC_("separator between the words an official matches (Japanese closes one 「」 and opens the next)", ", "),
    NC_("separator between an official's ties to a municipality", "; "),
    NC_("separator between the sentences of a team's explanation", ". "),
)


def member_reason(v: Volunteer, app: Application, *, locked: bool) -> MemberReason:
    """What ties one official to one municipality."""
    return MemberReason(
        official_id=v.official_id,
        name=v.name,
        ministry=v.ministry,
        seniority=v.seniority,
        matched=matched(v, app),
        regional_tie=regional_tie(v, app),
        locked=locked,
    )


def _ties(app: Application, r: MemberReason) -> Msg | MsgList:
    ties: list[Msg] = []
    if r.matched:
        ties.append(Msg(N_("matches %(words)s"), {"words": MsgList(tuple(r.matched), ", ", WORDS)}))
    if r.regional_tie:
        tie = Msg(TIES[r.regional_tie], context=TIE_CONTEXT)
        ties.append(Msg(N_("%(prefecture)s is their %(tie)s"), {"prefecture": app.prefecture, "tie": tie}))
    if r.locked:
        ties.append(Msg(N_("locked by a reviewer")))
    return MsgList(tuple(ties), "; ", TIES_SEPARATOR) if ties else Msg(N_("completes the team"))


def explain(app: Application, members: list[Volunteer], reasons: list[MemberReason]) -> Msg:
    """One paragraph: each member's ties, then the team's make-up."""
    sentences: list[Msg] = [
        Msg(
            N_("%(name)s (%(ministry)s, %(seniority)s): %(ties)s"),
            {
                "name": r.name,
                "ministry": r.ministry,
                "seniority": Msg(SENIORITY[r.seniority.value], context=SENIORITY_CONTEXT),
                "ties": _ties(app, r),
            },
        )
        for r in reasons
    ]
    ministries = [m.ministry for m in members]
    if team_has_mix(members):
        team = Msg(N_("ministries: %(ministries)s; senior with junior/mid-career"), {"ministries": ministries})
    else:
        team = Msg(N_("ministries: %(ministries)s"), {"ministries": ministries})
    paragraph = MsgList((*sentences, team), ". ", SENTENCES)
    return Msg(
        NC_("a team's explanation, its sentences", "%(sentences)s."),
        {"sentences": paragraph},
        "a team's explanation, its sentences",
    )
