"""The checked-in JSON Schemas are exactly what the models generate."""

from __future__ import annotations

from schemas.publish import OUT, documents, render


def test_every_schema_file_matches_its_model() -> None:
    docs = documents()
    stale = []
    for name, doc in docs.items():
        path = OUT / f"{name}.json"
        if not path.exists() or path.read_text(encoding="utf-8") != render(doc):
            stale.append(name)
    assert stale == [], f"run `python -m schemas.publish`: out of date: {stale}"


def test_no_schema_file_without_a_model() -> None:
    files = {p.relative_to(OUT).with_suffix("").as_posix() for p in OUT.rglob("*.json")}
    assert files == set(documents())


def test_every_event_schema_has_japanese_descriptions() -> None:
    docs = documents()
    outcome = docs["events/OutcomeRecorded"]
    assert outcome["properties"]["kind"]["description"] == "成果の種類"
    assert outcome["properties"]["schema_version"]["default"] == 4
    assert outcome["properties"]["heading"]["description"].startswith("報告の見出し ○")
    assert outcome["properties"]["group"]["description"].startswith("報告の区分 【】")
    assert docs["events/MunicipalityApplied"]["properties"]["challenge_heading"]["description"].startswith("市の課題")
    assert outcome["properties"]["achieved_on"]["description"].startswith("成果の日付")
    assert outcome["properties"]["contributor_ids"]["description"].startswith("貢献した支援官")
    meeting = docs["events/OnlineMeetingHeld"]
    assert meeting["properties"]["schema_version"]["default"] == 2
    assert meeting["properties"]["participant_ids"]["description"].startswith("参加した支援官")
    assert meeting["properties"]["led_by"]["description"].startswith("主担当")
