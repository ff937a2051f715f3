"""`banso audit`: download a signed audit bundle through the running API, and verify one offline.

`verify` needs no server: the hash chain of every stream and the Ed25519 signature over the manifest
(schemas/audit_bundle_verify.py), with the public key the auditor trusts (a file, or the API's
public-key endpoint); it prints in one language at a time and exits 1 when anything does not hold.
"""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import httpx
import typer
from rich.console import Console
from rich.markup import escape

from banso.api_auth import OperatorAuth
from schemas.audit_bundle import Manifest
from schemas.audit_bundle_verify import BundleVerdict, Failure, Problem, verify_bundle
from services.i18n.catalogue import translate
from services.i18n.message import N_, Msg
from services.settings import get_settings

audit_app = typer.Typer(
    help="監査パッケージ / signed audit bundles: download and verify offline.", no_args_is_help=True
)
console = Console(soft_wrap=True)  # a message stays one line, for people and for grep

FAILURES: dict[Failure, str] = {
    Failure.UNREADABLE_BUNDLE: N_("The bundle cannot be read as a zip file (truncated, or not a bundle): %(detail)s"),
    Failure.MISSING_FILE: N_("%(file)s is missing from the bundle"),
    Failure.UNREADABLE_FILE: N_("%(file)s cannot be read from the zip file: %(detail)s"),
    Failure.UNLISTED_FILE: N_("%(file)s is not listed in the manifest: it was added after signing"),
    Failure.BAD_PUBLIC_KEY: N_("The public key is not an Ed25519 public key: %(detail)s"),
    Failure.BAD_SIGNATURE: N_(
        "The signature does not match the manifest with this public key: the manifest was changed, "
        "or another key signed it"
    ),
    Failure.BAD_MANIFEST: N_("The manifest is not a valid bundle manifest (%(file)s %(stream)s: %(detail)s)"),
    Failure.DIGEST_MISMATCH: N_("%(file)s does not match its SHA-256 in the manifest: it was changed after signing"),
    Failure.UNREADABLE_EVENT: N_("Stream %(stream)s, event #%(sequence)s cannot be read (%(detail)s)"),
    Failure.WRONG_STREAM: N_("Stream %(stream)s, event #%(sequence)s belongs to another stream (%(detail)s)"),
    Failure.SEQUENCE_GAP: N_("Stream %(stream)s, event #%(sequence)s is missing (#%(detail)s is in its place)"),
    Failure.BROKEN_LINK: N_("Stream %(stream)s, event #%(sequence)s does not link to the previous event's hash"),
    Failure.HASH_MISMATCH: N_("Stream %(stream)s, event #%(sequence)s does not match its hash: the event was altered"),
    Failure.HEAD_MISMATCH: N_("heads.json does not match the chain of stream %(stream)s (%(detail)s)"),
}
VERIFIED = N_("Verified: %(streams)s streams, %(events)s events, signed with key %(key_id)s")
NOT_VERIFIED = N_("NOT verified: %(count)s problems; the first:")
MORE = N_("Further problems:")
COVERS_ENGAGEMENT = N_("Bundle of engagement %(id)s, made %(created_at)s by %(created_by)s")
COVERS_PERIOD = N_("Bundle of period %(period)s, made %(created_at)s by %(created_by)s")
EMBEDDED_KEY = N_(
    "No trusted public key was given, so the key inside the bundle was used: this shows the bundle is intact, "
    "not who made it. Pass --public-key FILE or --key-url URL."
)
SERVER_FOUND_ALTERED = N_(
    "When the bundle was made, the server's keyed check (seals) already found stream %(stream)s altered"
)
CANNOT_READ_KEY = N_("Cannot read the public key: %(detail)s")
CANNOT_READ_BUNDLE = N_("Cannot read the bundle: %(detail)s")
SAVED = N_("Saved %(file)s (%(size)s bytes, signed with key %(key_id)s). Verify it with: %(command)s")
DOWNLOAD_FAILED = N_("Cannot download the bundle: %(detail)s")
ONE_OF = N_("Give exactly one of --engagement and --period")


class Lang(StrEnum):
    """The language of the output: one at a time."""

    ja = "ja"
    en = "en"


LangOption = Annotated[Lang, typer.Option("--lang", help="出力の言語 / output language")]


def say(msgid: str, lang: Lang, **params: object) -> str:
    """A catalogue message in `lang`, escaped for rich."""
    return escape(translate(Msg(msgid, params), lang.value))


def problem_text(problem: Problem, lang: Lang) -> str:
    """One problem in words, naming its file, stream and event."""
    params = problem.model_dump(include={"file", "stream", "sequence", "detail"})
    return say(FAILURES[problem.failure], lang, **{k: "-" if v is None else v for k, v in params.items()})


def _covers(manifest: Manifest, lang: Lang) -> str:
    who = {"created_at": manifest.created_at, "created_by": manifest.created_by}
    if manifest.covers.kind == "engagement":
        return say(COVERS_ENGAGEMENT, lang, id=manifest.covers.engagement_id, **who)
    return say(COVERS_PERIOD, lang, period=manifest.covers.period, **who)


def report(verdict: BundleVerdict, out: Console, lang: Lang) -> bool:
    """Print the verdict; True when the bundle verified."""
    if verdict.manifest is not None:
        out.print(_covers(verdict.manifest, lang))
        for subject, entry in verdict.manifest.streams.items():
            check = entry.server_check
            if check is not None and not (check.chain_valid and check.seals_valid):
                out.print(f"[yellow]! {say(SERVER_FOUND_ALTERED, lang, stream=subject)}[/]")
    if verdict.key_source == "embedded":
        out.print(f"[yellow]! {say(EMBEDDED_KEY, lang)}[/]")
    first = verdict.first
    if first is None:
        counts = {"streams": verdict.streams, "events": verdict.events, "key_id": verdict.key_id}
        out.print(f"[green]✓ {say(VERIFIED, lang, **counts)}[/]")
        return True
    out.print(f"[bold red]✗ {say(NOT_VERIFIED, lang, count=len(verdict.problems))}[/]")
    out.print(f"  {problem_text(first, lang)}")
    if len(verdict.problems) > 1:
        out.print(say(MORE, lang))
        for problem in verdict.problems[1:]:
            out.print(f"  - {problem_text(problem, lang)}")
    return False


def trusted_key(public_key: Path | None, key_url: str | None) -> bytes | None:
    """The PEM the user trusts: a file, or the API's public-key endpoint (JSON with the PEM, or PEM itself)."""
    if public_key is not None:
        return public_key.read_bytes()
    if key_url is None:
        return None
    response = httpx.get(key_url, timeout=30, follow_redirects=True)
    response.raise_for_status()
    if response.headers.get("content-type", "").startswith("application/json"):
        return str(response.json()["public_key_pem"]).encode("ascii")
    return response.content


@audit_app.command("verify")
def verify(
    bundle: Annotated[Path, typer.Argument(help="監査パッケージ (zip) / the bundle", dir_okay=False)],
    public_key: Annotated[
        Path | None, typer.Option("--public-key", help="信頼する公開鍵 (PEM) / the trusted public key", dir_okay=False)
    ] = None,
    key_url: Annotated[
        str | None, typer.Option("--key-url", help="公開鍵の URL / e.g. https://…/api/v1/audit/public-key")
    ] = None,
    lang: LangOption = Lang.ja,
) -> None:
    """Verify a bundle offline: every stream's hash chain and the signature (exit 1 when anything fails)."""
    if public_key is not None and key_url is not None:
        raise typer.BadParameter("give --public-key or --key-url, not both")
    try:
        trusted = trusted_key(public_key, key_url)
    except (OSError, httpx.HTTPError, ValueError, KeyError) as err:
        console.print(f"[bold red]✗ {say(CANNOT_READ_KEY, lang, detail=str(err))}[/]")
        raise typer.Exit(code=1) from err
    try:
        data = bundle.read_bytes()
    except OSError as err:
        console.print(f"[bold red]✗ {say(CANNOT_READ_BUNDLE, lang, detail=str(err))}[/]")
        raise typer.Exit(code=1) from err
    if not report(verify_bundle(data, trusted), console, lang):
        raise typer.Exit(code=1)


@audit_app.command("bundle")
def bundle(
    output: Annotated[Path, typer.Option("-o", "--output", help="保存先 / where to save the zip", dir_okay=False)],
    engagement: Annotated[str | None, typer.Option(help="案件 / engagement id")] = None,
    period: Annotated[int | None, typer.Option(help="第N期 / period", min=1, max=99)] = None,
    lang: LangOption = Lang.ja,
) -> None:
    """Download a signed bundle of one engagement or one period from the running API (as the operator)."""
    if (engagement is None) == (period is None):
        console.print(f"[bold red]✗ {say(ONE_OF, lang)}[/]")
        raise typer.Exit(code=2)
    settings = get_settings()
    path = f"engagements/{engagement}" if engagement is not None else f"periods/{period}"
    url = f"{settings.api_url}/api/v1/audit/{path}/bundle.zip"
    try:
        response = httpx.get(url, timeout=300, auth=OperatorAuth(settings))
    except httpx.HTTPError as err:
        console.print(f"[bold red]✗ {say(DOWNLOAD_FAILED, lang, detail=f'{err} ({settings.api_url})')}[/]")
        raise typer.Exit(code=1) from err
    if response.status_code != 200:
        try:
            detail = str(response.json().get("detail_ja" if lang is Lang.ja else "detail"))
        except ValueError:
            detail = response.text[:200]
        console.print(f"[bold red]✗ {say(DOWNLOAD_FAILED, lang, detail=f'{response.status_code} {detail}')}[/]")
        raise typer.Exit(code=1)
    output.write_bytes(response.content)
    key_id = response.headers.get("x-audit-key-id", "?")
    command = f"banso audit verify {output} --key-url {settings.api_url}/api/v1/audit/public-key"
    console.print(say(SAVED, lang, file=str(output), size=len(response.content), key_id=key_id, command=command))
