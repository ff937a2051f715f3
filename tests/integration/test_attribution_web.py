"""The engagement page's forms name who took part (checkboxes of the team) and when an outcome happened."""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from playwright.async_api import Page, expect

from schemas.events import OfficialRef
from tests.integration import test_web_app as web
from tests.integration.test_web_app import Site, csrf_token_of, events

pytestmark = pytest.mark.servers

site = web.site  # the module's signed-in browser on the real servers with the 大船渡 demo
page = web.page

ISHIKAWA = OfficialRef(name="石川 亨", ministry="国土交通省").official_id
SHIROUZU = OfficialRef(name="白水 伸英", ministry="内閣官房").official_id
FURUTA = OfficialRef(name="古田 匠", ministry="文部科学省").official_id


async def test_an_activity_and_an_outcome_name_the_team_members_who_took_part(site: Site, page: Page) -> None:
    engagement_id = f"engagement-{site.period}-032034"
    await page.goto(f"{site.url}/engagements/{engagement_id}?form=activity")
    form = page.locator("form[aria-label]")
    await expect(form.locator("fieldset legend")).to_have_text(["参加者", "主担当"])
    await expect(form.locator("input[name=participant_ids]")).to_have_count(3)
    await expect(form.locator("fieldset").first).to_contain_text("古田 匠（文部科学省）")
    await page.select_option("#in-kind", "online_meeting")
    await page.fill("#in-start_date", "2026-11-24")
    await form.locator(f"input[name=participant_ids][value='{FURUTA}']").check()
    await form.locator(f"input[name=led_by][value='{SHIROUZU}']").check()  # the lead takes part too
    await page.click("form[aria-label] button[type=submit]")
    await expect(page.locator("[role=status]")).to_have_text("記録しました")
    meeting = (await events(site, engagement_id))[-1]
    assert meeting["type"] == "OnlineMeetingHeld"
    assert meeting["data"]["participant_ids"] == [FURUTA, SHIROUZU]
    assert meeting["data"]["led_by"] == SHIROUZU

    await page.goto(f"{site.url}/engagements/{engagement_id}?form=outcome")
    form = page.locator("form[aria-label]")
    await expect(form.locator("label[for=in-achieved_on]")).to_have_text("成果の日付")
    await expect(form.locator("fieldset legend")).to_have_text(["貢献した支援官"])
    await page.select_option("#in-kind", "guideline")
    await page.select_option("#in-status", "achieved")
    await page.fill("#in-description", "港湾振興の指針を改定")
    await page.fill("#in-achieved_on", "2026-03-31")
    await form.locator(f"input[name=contributor_ids][value='{ISHIKAWA}']").check()
    await form.locator(f"input[name=contributor_ids][value='{FURUTA}']").check()
    await page.click("form[aria-label] button[type=submit]")
    await expect(page.locator("[role=status]")).to_have_text("記録しました")
    outcome = (await events(site, engagement_id))[-1]
    assert outcome["type"] == "OutcomeRecorded"
    assert outcome["data"]["contributor_ids"] == [ISHIKAWA, FURUTA]
    assert outcome["data"]["achieved_on"] == "2026-03-31"


async def test_a_forged_participant_is_refused_in_japanese_and_nothing_is_written(site: Site, page: Page) -> None:
    engagement_id = f"engagement-{site.period}-032034"
    before = len(await events(site, engagement_id))
    token = await csrf_token_of(page, f"{site.url}/engagements/{engagement_id}")
    stranger = OfficialRef(name="他人 次郎", ministry="総務省").official_id
    body = urlencode(
        [
            ("kind", "online_meeting"),
            ("start_date", "2026-11-25"),
            ("participant_ids", ISHIKAWA),
            ("participant_ids", stranger),
            ("csrf_token", token),
        ]
    )
    response = await page.request.post(
        f"{site.url}/engagements/{engagement_id}/record/activity",
        data=body,
        headers={"Origin": site.url, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert response.status == 409
    text = await response.text()
    assert f"支援官 {stranger}（参加者）は 2026-11-25 時点でこのチームのメンバーではありません" in text
    assert f'value="{ISHIKAWA}" checked' in text  # the ticked boxes are shown again
    assert len(await events(site, engagement_id)) == before
