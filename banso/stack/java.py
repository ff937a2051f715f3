"""Finding a Java 17+ runtime and building the Neo4j launcher with Maven (once, cached)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from banso.stack.errors import StackError

MIN_JAVA = 17
PROJECT_ROOT = Path(__file__).resolve().parents[2]
LAUNCHER_DIR = PROJECT_ROOT / "deploy" / "neo4j"
LAUNCHER_CLASS = "jp.banso.neo4j.Launcher"
_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


@dataclass(frozen=True)
class Java:
    """A usable `java` executable and its major version."""

    executable: Path
    major: int


def java_major(executable: Path) -> int | None:
    """The major version `executable -version` reports, or None if it does not run."""
    try:
        out = subprocess.run([str(executable), "-version"], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = _VERSION.search(out.stderr + out.stdout)
    if not match:
        return None
    major = int(match.group(1))
    # Java 8 and older report "1.8"; their major is the second number.
    return int(match.group(2) or 0) if major == 1 else major


def java_candidates() -> list[Path]:
    """JAVA_HOME first, then the machine's JDKs (17 and 21 preferred), then `java` on PATH."""
    found: list[Path] = []
    if home := os.environ.get("JAVA_HOME"):
        found.append(Path(home) / "bin" / "java")
    jvm = Path("/usr/lib/jvm")
    if jvm.is_dir():
        dirs = sorted(jvm.iterdir(), key=lambda p: (not re.search(r"-(17|21)", p.name), p.name))
        found += [d / "bin" / "java" for d in dirs if (d / "bin" / "java").exists()]
    if on_path := shutil.which("java"):
        found.append(Path(on_path))
    return found


def find_java(candidates: Iterable[Path] | None = None, probe: Callable[[Path], int | None] = java_major) -> Java:
    """The first candidate that is Java 17 or newer, or a StackError saying what was found."""
    seen: list[str] = []
    for path in candidates if candidates is not None else java_candidates():
        major = probe(path)
        if major is None:
            continue
        if major >= MIN_JAVA:
            return Java(path, major)
        seen.append(f"{path} (Java {major})")
    if seen:
        raise StackError(
            f"Java {MIN_JAVA} 以上が必要ですが、古い Java しか見つかりません: {', '.join(seen)}。"
            f"JAVA_HOME を Java 17 または 21 に設定してください。\n"
            f"Neo4j 5.26 needs Java {MIN_JAVA} or newer; found only {', '.join(seen)}. "
            f"Install a JDK 17 or 21 (e.g. `apt-get install openjdk-17-jdk-headless`) and set JAVA_HOME."
        )
    raise StackError(
        "Java が見つかりません。Java 17 または 21 をインストールし JAVA_HOME を設定してください。\n"
        "No Java found. Install a JDK 17 or 21 (e.g. `apt-get install openjdk-17-jdk-headless`) "
        "and set JAVA_HOME."
    )


def find_maven(which: Callable[[str], str | None] = shutil.which) -> Path:
    """The `mvn` executable, or a StackError with install advice."""
    mvn = which("mvn")
    if mvn is None:
        raise StackError(
            "Maven (mvn) が見つかりません。Neo4j ランチャーのビルドに必要です（apt-get install maven）。\n"
            "Maven (mvn) was not found; it builds the Neo4j launcher once. Install it "
            "(`apt-get install maven`) or point BANSO_NEO4J_URI at an existing Neo4j."
        )
    return Path(mvn)


def launcher_classpath(launcher_dir: Path = LAUNCHER_DIR) -> str | None:
    """The launcher's classpath if it is built and newer than its sources, else None."""
    jar = launcher_dir / "target" / "banso-neo4j-launcher-1.0.0.jar"
    lib = launcher_dir / "target" / "lib"
    if not jar.exists() or not lib.is_dir():
        return None
    sources = [launcher_dir / "pom.xml", *(launcher_dir / "src").rglob("*.java")]
    if any(s.stat().st_mtime > jar.stat().st_mtime for s in sources):
        return None
    return f"{jar}{os.pathsep}{lib}/*"


def build_launcher(java: Java, mvn: Path, log_path: Path, launcher_dir: Path = LAUNCHER_DIR) -> str:
    """Build the Neo4j launcher with Maven if needed; returns its classpath."""
    if cp := launcher_classpath(launcher_dir):
        return cp
    env = {**os.environ, "JAVA_HOME": str(java.executable.parent.parent)}
    log_path.parent.mkdir(parents=True, exist_ok=True)
    with log_path.open("wb") as log:
        result = subprocess.run(
            [str(mvn), "-B", "-q", "-f", str(launcher_dir / "pom.xml"), "package", "-DskipTests"],
            stdout=log,
            stderr=subprocess.STDOUT,
            env=env,
            check=False,
        )
    if result.returncode != 0 or not (cp := launcher_classpath(launcher_dir)):
        tail = "\n".join(log_path.read_text(errors="replace").splitlines()[-30:])
        raise StackError(
            f"Neo4j ランチャーのビルドに失敗しました / building the Neo4j launcher failed "
            f"(mvn exit {result.returncode}).\n--- {log_path} (tail) ---\n{tail}"
        )
    return cp
