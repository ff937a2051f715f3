"""`banso audit verify` in one language at a time, with its exit codes; `banso audit bundle`'s arguments."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from banso.audit_cli import audit_app
from schemas.audit_bundle import SigningKey, stream_file
from tests.unit.test_audit_bundle import ENGAGEMENT, bundle, files_of, flip, key
from tests.unit.test_audit_bundle_verify import data_offset

__all__ = ["bundle", "key"]  # the fixtures, shared with test_audit_bundle.py


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(audit_app, list(args))
    return result.exit_code, result.output


@pytest.fixture
def files(tmp_path: Path, bundle: bytes, key: SigningKey) -> dict[str, str]:
    line = files_of(bundle)[stream_file(ENGAGEMENT)].splitlines()[2]
    paths = {"good": tmp_path / "good.zip", "bad": tmp_path / "bad.zip", "key": tmp_path / "key.pem"}
    paths["good"].write_bytes(bundle)
    paths["bad"].write_bytes(flip(bundle, bundle.index(line) + data_offset(line)))
    paths["key"].write_bytes(key.public_pem)
    return {name: str(path) for name, path in paths.items()}


def test_a_good_bundle_exits_0_in_japanese_by_default(files: dict[str, str], key: SigningKey) -> None:
    code, output = run("verify", files["good"], "--public-key", files["key"])

    assert code == 0, output
    assert f"検証済み: 2 ストリーム、8 イベント、鍵 {key.key_id} による署名" in output
    assert "第2期の監査パッケージ" in output
    assert "Verified" not in output


def test_a_changed_event_exits_1_naming_it_in_english(files: dict[str, str]) -> None:
    code, output = run("verify", files["bad"], "--public-key", files["key"], "--lang", "en")

    assert code == 1
    assert f"Stream {ENGAGEMENT}, event #3 does not match its hash: the event was altered" in output
    assert "ストリーム" not in output


def test_without_a_trusted_key_it_warns(files: dict[str, str]) -> None:
    code, output = run("verify", files["good"], "--lang", "en")

    assert code == 0
    assert "No trusted public key was given" in output


def test_an_unreadable_key_file_exits_1(files: dict[str, str], tmp_path: Path) -> None:
    code, output = run("verify", files["good"], "--public-key", str(tmp_path / "nowhere.pem"), "--lang", "en")

    assert code == 1
    assert "Cannot read the public key" in output


def test_both_key_options_are_refused(files: dict[str, str]) -> None:
    code, _ = run("verify", files["good"], "--public-key", files["key"], "--key-url", "http://127.0.0.1:9/k")

    assert code == 2


def test_a_bundle_needs_exactly_one_of_engagement_and_period(tmp_path: Path) -> None:
    code, output = run("bundle", "-o", str(tmp_path / "b.zip"), "--lang", "en")

    assert code == 2
    assert "Give exactly one of --engagement and --period" in output
