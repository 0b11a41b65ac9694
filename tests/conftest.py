"""Fixtures every test shares: no real network, no real $HOME, Docker when there is one."""

from __future__ import annotations

import ipaddress
import os
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.runner import build_image, docker_available

_real_connect = socket.socket.connect


def _loopback_only(self: socket.socket, address: object) -> None:
    if self.family in (socket.AF_INET, socket.AF_INET6):
        host = address[0] if isinstance(address, tuple) else str(address)
        try:
            allowed = ipaddress.ip_address(host).is_loopback
        except ValueError:
            allowed = host == "localhost"
        if not allowed:
            raise ConnectionRefusedError(f"tests may not reach {host}: only 127.0.0.1 is allowed")
    _real_connect(self, address)


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Block every connection that leaves the machine and give each test a fresh $HOME."""
    monkeypatch.setattr(socket.socket, "connect", _loopback_only)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
    monkeypatch.setenv("GITHUB_API_URL", "http://127.0.0.1:9")
    for name in [n for n in os.environ if n.startswith(("INPUT_", "GITHUB_"))]:
        if name != "GITHUB_API_URL":
            monkeypatch.delenv(name, raising=False)
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    (home / ".gitconfig").write_text(
        "[user]\n\tname = OASIS Test\n\temail = test@oasis.invalid\n[init]\n\tdefaultBranch = main\n"
    )


def _require_docker() -> bool:
    return os.environ.get("OASIS_REQUIRE_DOCKER") == "1"


@pytest.fixture(scope="session")
def docker_engine() -> None:
    """Skip (or, under OASIS_REQUIRE_DOCKER=1, fail) when no Docker engine runs here."""
    ok, why = docker_available()
    if ok:
        return
    if _require_docker():
        pytest.fail(f"OASIS_REQUIRE_DOCKER=1 but {why}")
    pytest.skip(f"{why}; run ../shared/tools/docker-up or set up Docker to run these tests")


@pytest.fixture(scope="session")
def oasis_image(docker_engine: None) -> Iterator[str]:
    """The OASIS image, built like the runner builds it, on $OASIS_BASE_IMAGE."""
    base = os.environ.get("OASIS_BASE_IMAGE", "python:3.12-slim")
    tag = "oasis-test:latest"
    try:
        build_image(base, tag)
    except subprocess.CalledProcessError as error:
        tail = " | ".join((error.stderr or "").strip().splitlines()[-3:])
        pytest.fail(
            f"docker build on BASE_IMAGE={base} failed (set OASIS_BASE_IMAGE to a base this engine has): {tail}"
        )
    yield tag


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    path = tmp_path / "workspace"
    path.mkdir()
    return path


@pytest.fixture
def local_github() -> Iterator[object]:
    """A fresh local GitHub; any response that strays from GitHub's OpenAPI description fails the test."""
    from tests.support.github.server import LocalGitHub

    server = LocalGitHub().start()
    yield server
    server.stop()
    assert server.schema_errors == [], "responses differ from GitHub's OpenAPI description"
