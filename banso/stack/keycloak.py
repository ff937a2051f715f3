"""The embedded identity provider: Keycloak from Maven Central, fetched and built once, run per data dir.

- `ensure_keycloak`: `org.keycloak:keycloak-quarkus-dist` (tar.gz) through Maven (`dependency:copy`, so it
  is also cached in `~/.m2`), unpacked into the cache dir (`BANSO_CACHE_DIR`, not the repo) and built
  once for its build options (`kc.sh build --db=dev-file`). The build is the only step that writes into
  the unpacked distribution; every server then starts with `start --optimized`, so the local stack and
  the tests can share one distribution without racing on Quarkus' re-augmentation.
- `keycloak_home`: a Keycloak home per data dir, `<data dir>/keycloak/`: `lib`, `conf`, `themes` and
  `providers` link to the shared distribution, `data/` (the H2 store, the realm to import) is its own.
- `start_keycloak`: `java … QuarkusEntryPoint start --optimized` as one process (what `kc.sh` runs,
  without the shell in between, so the supervisor's signals reach the JVM), HTTP on 127.0.0.1 only, the
  issuer fixed by `--hostname`, local caches (no cluster ports), the management interface off (health
  and metrics are not enabled), and the realm in `deploy/keycloak/banso-realm.json` imported at the first
  start. Keycloak fills the realm's `${BANSO_KC_*}` placeholders from the environment: the demo users'
  passwords and the client secrets, generated once into `<data dir>/keys/keycloak.json` (mode 0600).
- `password_grant` / `client_credentials`: tokens for `banso token` and the tests.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import tarfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from rich.console import Console

from banso.stack.errors import StackError
from banso.stack.java import PROJECT_ROOT, Java, find_maven
from banso.stack.processes import Child, port_open, start_child
from services.secret_file import create_secret_file
from services.settings import KEYCLOAK_CREDENTIALS_FILE, Settings

KEYCLOAK_VERSION = "26.5.6"
ARTIFACT = f"org.keycloak:keycloak-quarkus-dist:{KEYCLOAK_VERSION}:tar.gz"
DIST_BYTES = 164_351_651  # the tar.gz's size on Maven Central, for the download's progress bar
BUILD_OPTIONS = ("--db=dev-file",)
REALM_FILE = PROJECT_ROOT / "deploy" / "keycloak" / "banso-realm.json"
SHARED = ("lib", "conf", "themes", "providers")

# One demo user per role (the realm file holds their names); the integration role is a client's.
DEMO_USERS: dict[str, str] = {
    "jimukyoku": "staff",
    "shienkan": "official",
    "bunseki": "analyst",
    "kansa": "auditor",
    "kanri": "admin",
}
ROLES: dict[str, str] = {
    "staff": "事務局",
    "official": "支援官",
    "analyst": "分析担当",
    "auditor": "監査",
    "integration": "連携システム",
    "admin": "管理者",
}
WEB_CLIENT = "banso-web"
CLI_CLIENT = "banso-cli"
INTEGRATION_CLIENT = "banso-integration"


def dist_dir(cache_dir: Path) -> Path:
    """Where the distribution is unpacked."""
    return cache_dir.resolve() / f"keycloak-{KEYCLOAK_VERSION}"


def _built_marker(dist: Path) -> Path:
    return dist / ".banso-built"


def keycloak_built(cache_dir: Path) -> bool:
    """Whether the distribution is unpacked and built with Banso's build options."""
    try:
        return _built_marker(dist_dir(cache_dir)).read_text(encoding="utf-8").strip() == " ".join(BUILD_OPTIONS)
    except OSError:
        return False


def _m2_file() -> Path:
    group, artifact, version, ext = ARTIFACT.split(":")
    folder = Path.home() / ".m2" / "repository" / group.replace(".", "/") / artifact / version
    return folder / f"{artifact}-{version}.{ext}"


def _downloaded_bytes(m2_file: Path) -> int:
    for candidate in (m2_file, m2_file.with_name(m2_file.name + ".part")):
        try:
            return candidate.stat().st_size
        except OSError:
            continue
    return 0


def fetch_dist(java: Java, target: Path, log_path: Path, progress: Callable[[int], None]) -> Path:
    """The tar.gz copied into `target` by Maven (from ~/.m2, downloading it first when missing)."""
    mvn = find_maven()
    target.mkdir(parents=True, exist_ok=True)
    args = [
        str(mvn),
        "-B",
        "org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy",
        f"-Dartifact={ARTIFACT}",
        f"-DoutputDirectory={target}",
    ]
    env = {**os.environ, "JAVA_HOME": str(java.executable.parent.parent)}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    done = threading.Event()

    def watch() -> None:
        while not done.wait(0.5):
            progress(_downloaded_bytes(_m2_file()))

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    try:
        with log_path.open("wb") as log:
            result = subprocess.run(args, stdout=log, stderr=subprocess.STDOUT, env=env, check=False, cwd=target)
    finally:
        done.set()
        watcher.join()
    tarball = target / Path(_m2_file()).name
    if result.returncode != 0 or not tarball.exists():
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise StackError(
            f"Keycloak の取得に失敗しました / fetching Keycloak {KEYCLOAK_VERSION} through Maven failed "
            f"(mvn exit {result.returncode}).\n--- {log_path} (tail) ---\n{tail}"
        )
    progress(tarball.stat().st_size)
    return tarball


def _unpack(tarball: Path, dist: Path) -> None:
    staging = dist.with_name(f".{dist.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    with tarfile.open(tarball) as archive:
        archive.extractall(staging, filter="tar")
    top = staging / f"keycloak-{KEYCLOAK_VERSION}"
    shutil.rmtree(dist, ignore_errors=True)
    top.rename(dist)
    shutil.rmtree(staging, ignore_errors=True)


def _build(java: Java, dist: Path, log_path: Path) -> None:
    env = {**os.environ, "JAVA_HOME": str(java.executable.parent.parent)}
    with log_path.open("ab") as log:
        result = subprocess.run(
            [str(dist / "bin" / "kc.sh"), "build", *BUILD_OPTIONS],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if result.returncode != 0:
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-20:])
        raise StackError(
            f"Keycloak のビルドに失敗しました / `kc.sh build` failed (exit {result.returncode}).\n"
            f"--- {log_path} (tail) ---\n{tail}"
        )
    _built_marker(dist).write_text(" ".join(BUILD_OPTIONS) + "\n", encoding="utf-8")


def ensure_keycloak(java: Java, cache_dir: Path, console: Console, run_dir: Path) -> Path:
    """The built distribution: fetched, unpacked and built the first time, with progress shown."""
    dist = dist_dir(cache_dir)
    if keycloak_built(cache_dir):
        return dist
    from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeElapsedColumn

    started = time.monotonic()
    log_path = run_dir / "keycloak-fetch.log"
    downloads = cache_dir.resolve() / "downloads"
    tarball = downloads / _m2_file().name
    if not tarball.exists() or tarball.stat().st_size != DIST_BYTES:
        columns = (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TimeElapsedColumn())
        with Progress(*columns, console=console) as bar:
            task = bar.add_task(f"Keycloak {KEYCLOAK_VERSION}: Maven Central → ~/.m2", total=DIST_BYTES)
            tarball = fetch_dist(java, downloads, log_path, lambda n: bar.update(task, completed=n))
    label = f"Keycloak {KEYCLOAK_VERSION}: unpack into {dist.parent} and `kc.sh build` (once)"
    console.print(f"… {label}")
    _unpack(tarball, dist)
    _build(java, dist, log_path)
    console.print(f"✓ {label} ({time.monotonic() - started:.0f} s)")
    return dist


@dataclass(frozen=True)
class Credentials:
    """What the realm's placeholders are filled with: demo users' passwords, client secrets, the admin's."""

    users: dict[str, str]
    clients: dict[str, str]
    admin_password: str

    def environment(self) -> dict[str, str]:
        """The `${BANSO_KC_*}` values the realm file names, and Keycloak's first admin."""
        env = {f"BANSO_KC_PASSWORD_{user.upper()}": password for user, password in self.users.items()}
        env["BANSO_KC_WEB_SECRET"] = self.clients[WEB_CLIENT]
        env["BANSO_KC_INTEGRATION_SECRET"] = self.clients[INTEGRATION_CLIENT]
        env["KC_BOOTSTRAP_ADMIN_USERNAME"] = "admin"
        env["KC_BOOTSTRAP_ADMIN_PASSWORD"] = self.admin_password
        return env


def credentials_path(settings: Settings) -> Path:
    """`<data dir>/keys/keycloak.json`."""
    return settings.data_dir.resolve() / "keys" / KEYCLOAK_CREDENTIALS_FILE


def _secret() -> str:
    return secrets.token_urlsafe(18)


def load_or_create_credentials(settings: Settings) -> Credentials:
    """The local stack's Keycloak credentials, generated (mode 0600) the first time."""
    path = credentials_path(settings)
    if not path.exists():
        data = {
            "note": "Local demo stack only: passwords of the demo users and secrets of the banso realm's clients.",
            "users": {user: _secret() for user in DEMO_USERS},
            "clients": {WEB_CLIENT: _secret(), INTEGRATION_CLIENT: _secret()},
            "admin": {"username": "admin", "password": _secret()},
        }
        create_secret_file(path, json.dumps(data, indent=2))
    data = json.loads(path.read_text(encoding="utf-8"))
    return Credentials(users=data["users"], clients=data["clients"], admin_password=data["admin"]["password"])


def keycloak_home(settings: Settings, dist: Path) -> Path:
    """`<data dir>/keycloak`: links to the shared distribution, its own `data/` with the realm to import."""
    home = settings.data_dir.resolve() / "keycloak"
    (home / "data" / "import").mkdir(parents=True, exist_ok=True)
    for name in SHARED:
        link = home / name
        if link.is_symlink() and link.resolve() != (dist / name).resolve():
            link.unlink()
        if not link.is_symlink():
            link.symlink_to(dist / name)
    shutil.copyfile(REALM_FILE, home / "data" / "import" / REALM_FILE.name)
    return home


def keycloak_args(settings: Settings, java: Java, dist: Path, home: Path) -> list[str]:
    """The JVM command `kc.sh start --optimized` would run, on 127.0.0.1 with the realm imported."""
    port = settings.keycloak_port
    return [
        str(java.executable),
        "-Djava.util.concurrent.ForkJoinPool.common.threadFactory="
        "io.quarkus.bootstrap.forkjoin.QuarkusForkJoinWorkerThreadFactory",
        "-XX:MetaspaceSize=96M",
        "-XX:MaxMetaspaceSize=256m",
        "-Dfile.encoding=UTF-8",
        "-Dstdout.encoding=UTF-8",
        "-Dstderr.encoding=UTF-8",
        "-XX:+ExitOnOutOfMemoryError",
        "-Djava.security.egd=file:/dev/urandom",
        "-XX:+UseG1GC",
        # C1 only: measured on 2 busy cores, a restart took 12 s and 6 s of CPU instead of 34 s and 12 s
        # (the first start, with the schema and the realm import, 15 s instead of 67 s), and 360 MB instead
        # of 375 MB; C2's peak throughput does not matter for a handful of sign-ins.
        "-XX:TieredStopAtLevel=1",
        "-Xms64m",
        f"-Xmx{settings.keycloak_heap_mb}m",
        "--add-opens=java.base/java.util=ALL-UNNAMED",
        "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
        "--add-opens=java.base/java.security=ALL-UNNAMED",
        "-Duser.language=en",
        "-Duser.country=US",
        f"-Dkc.home.dir={home}",
        f"-Djboss.server.config.dir={dist / 'conf'}",
        "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
        "-Dpicocli.disable.closures=true",
        "-Dquarkus-log-max-startup-records=10000",
        "-cp",
        str(dist / "lib" / "quarkus-run.jar"),
        "io.quarkus.bootstrap.runner.QuarkusEntryPoint",
        "start",
        "--optimized",
        "--http-enabled=true",
        "--http-host=127.0.0.1",
        f"--http-port={port}",
        f"--hostname=http://127.0.0.1:{port}",
        "--cache=local",
        "--import-realm",
        "--log-console-color=false",
    ]


def start_keycloak(settings: Settings, run_dir: Path, java: Java, dist: Path) -> Child:
    """Start Keycloak for the local stack (or a test) under its data dir."""
    home = keycloak_home(settings, dist)
    env = load_or_create_credentials(settings).environment()
    return start_child("keycloak", keycloak_args(settings, java, dist, home), run_dir, env)


def well_known_url(settings: Settings) -> str:
    """The realm's OpenID configuration."""
    return f"{settings.oidc_issuer}/.well-known/openid-configuration"


def keycloak_ready(settings: Settings) -> bool:
    """Whether the realm's OpenID configuration answers (the realm is imported and served)."""
    if settings.keycloak_start and not port_open(settings.keycloak_port):
        return False
    try:
        return httpx.get(well_known_url(settings), timeout=5).status_code == 200
    except httpx.HTTPError:
        return False


def token_endpoint(settings: Settings) -> str:
    """The realm's token endpoint, from its OpenID configuration."""
    response = httpx.get(well_known_url(settings), timeout=10)
    response.raise_for_status()
    endpoint: str = response.json()["token_endpoint"]
    return endpoint


class TokenError(StackError):
    """The identity provider refused to issue a token."""


def _token(settings: Settings, form: dict[str, str]) -> dict[str, Any]:
    try:
        response = httpx.post(token_endpoint(settings), data=form, timeout=30)
    except httpx.HTTPError as err:
        raise TokenError(
            f"ID プロバイダに接続できません / cannot reach the identity provider at {settings.oidc_issuer}: "
            f"{type(err).__name__}. Is the stack running (`banso status`)?"
        ) from err
    if response.status_code != 200:
        raise TokenError(f"トークンを取得できません / no token: {response.status_code} {response.text[:200]}")
    body: dict[str, Any] = response.json()
    return body


def password_grant(settings: Settings, username: str, password: str, client_id: str = CLI_CLIENT) -> dict[str, Any]:
    """A token response for a demo user by direct grant (the local demo stack's `banso-cli` client)."""
    form = {"grant_type": "password", "client_id": client_id, "username": username, "password": password}
    return _token(settings, {**form, "scope": "openid"})


def client_credentials(settings: Settings, client_id: str, secret: str) -> dict[str, Any]:
    """A token response for a service account (client credentials)."""
    return _token(settings, {"grant_type": "client_credentials", "client_id": client_id, "client_secret": secret})


def demo_token(settings: Settings, username: str | None) -> str:
    """An access token of the local stack: a demo user's, or the integration client's when `username` is None."""
    path = credentials_path(settings)
    if not path.exists():
        raise TokenError(
            f"{path} がありません。`banso up` で組み込み Keycloak を起動してください。\n"
            f"No {path}: `banso token` works against the local stack's own Keycloak (start it with `banso up`)."
        )
    creds = load_or_create_credentials(settings)
    if username is None:
        answer = client_credentials(settings, INTEGRATION_CLIENT, creds.clients[INTEGRATION_CLIENT])
    elif username not in creds.users:
        raise TokenError(f"demo user {username!r} is not one of {', '.join(creds.users)}")
    else:
        answer = password_grant(settings, username, creds.users[username])
    token: str = answer["access_token"]
    return token
