"""`banso up` explains what is wrong: Java, Maven, ports, servers that do not come up."""

from __future__ import annotations

import socket
import sys
from pathlib import Path

import pytest

from banso.stack.errors import StackError
from banso.stack.java import find_java, find_maven, java_major
from banso.stack.processes import ensure_port_free, start_child, wait_until


def fake_java(tmp_path: Path, version: str) -> Path:
    exe = tmp_path / f"java-{version}" / "bin" / "java"
    exe.parent.mkdir(parents=True)
    exe.write_text(f"#!/bin/sh\necho 'openjdk version \"{version}\" 2020-01-01' >&2\n", encoding="utf-8")
    exe.chmod(0o755)
    return exe


class TestJava:
    def test_reads_the_major_version(self, tmp_path: Path) -> None:
        assert java_major(fake_java(tmp_path, "17.0.15")) == 17
        assert java_major(fake_java(tmp_path, "1.8.0_292")) == 8

    def test_old_java_is_refused_with_advice(self, tmp_path: Path) -> None:
        with pytest.raises(StackError) as err:
            find_java([fake_java(tmp_path, "11.0.2")])
        assert "Java 11" in str(err.value)
        assert "JAVA_HOME" in str(err.value)

    def test_no_java_at_all(self, tmp_path: Path) -> None:
        with pytest.raises(StackError) as err:
            find_java([tmp_path / "missing" / "java"])
        assert "No Java found" in str(err.value)

    def test_first_new_enough_java_wins(self, tmp_path: Path) -> None:
        old, new = fake_java(tmp_path, "11.0.2"), fake_java(tmp_path, "21.0.1")
        found = find_java([old, new])
        assert (found.executable, found.major) == (new, 21)


def test_no_maven_says_how_to_get_it() -> None:
    with pytest.raises(StackError) as err:
        find_maven(which=lambda _name: None)
    assert "apt-get install maven" in str(err.value)
    assert "BANSO_NEO4J_URI" in str(err.value)


def test_port_in_use_names_the_setting() -> None:
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen()
        port = listener.getsockname()[1]
        with pytest.raises(StackError) as err:
            ensure_port_free(port, "Neo4j Bolt", "BANSO_NEO4J_PORT")
    assert str(port) in str(err.value)
    assert "BANSO_NEO4J_PORT" in str(err.value)


def test_a_server_that_never_comes_up_shows_its_log(tmp_path: Path) -> None:
    child = start_child(
        "slow",
        [
            sys.executable,
            "-c",
            "print('binding to port… still starting', flush=True); import time; time.sleep(60)",
        ],
        tmp_path,
    )
    with pytest.raises(StackError) as err:
        wait_until(child, lambda: False, timeout=1.5, what="Neo4j")
    assert "did not come up within 2 s" in str(err.value)
    assert "still starting" in str(err.value)
    assert not child.alive()


def test_a_server_that_exits_shows_its_log(tmp_path: Path) -> None:
    child = start_child(
        "dies", [sys.executable, "-c", "import sys; print('address already in use'); sys.exit(3)"], tmp_path
    )
    with pytest.raises(StackError) as err:
        wait_until(child, lambda: False, timeout=30, what="Temporal")
    assert "exit 3" in str(err.value)
    assert "address already in use" in str(err.value)
