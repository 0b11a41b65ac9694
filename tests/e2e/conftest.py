"""pytest-docker services for the e2e tests: the local GitHub as a container on a job network."""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest


@pytest.fixture(scope="session")
def docker_compose_command() -> str:
    """Debian ships Compose v1 (`docker-compose`); Compose v2 installs also provide it."""
    return os.environ.get("OASIS_COMPOSE_COMMAND", "docker-compose")


@pytest.fixture(scope="session")
def docker_setup() -> list[str]:
    """`up --build -d` works with Compose v1 and v2 (v2's `--wait` does not exist in v1);
    readiness is checked by polling the service instead."""
    return ["up --build -d"]


@pytest.fixture(scope="session")
def docker_compose_file() -> str:
    return str(Path(__file__).parent / "docker-compose.yml")


@pytest.fixture(scope="session")
def docker_compose_project_name() -> str:
    return f"oasise2e{os.getpid()}"


@dataclass(frozen=True)
class GitHubService:
    """The containerised local GitHub: `url` from the host, `network` for the action's container."""

    url: str
    network: str
    inside_url: str = "http://github:8080"
    token: str = "ghs_localtesttoken000000000000000000"

    def control(self, path: str, body: dict[str, Any] | None = None) -> Any:
        data = json.dumps(body).encode() if body is not None else None
        request = urllib.request.Request(
            f"{self.url}/_oasis/{path}", data=data, method="POST" if data else "GET"
        )
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 - loopback only
            return json.loads(response.read())


def _responsive(url: str) -> bool:
    try:
        with urllib.request.urlopen(f"{url}/_oasis/state", timeout=2):  # noqa: S310
            return True
    except (urllib.error.URLError, ConnectionError, OSError):
        return False


@pytest.fixture(scope="session")
def github_service(
    docker_engine: None, docker_ip: str, docker_services: Any, docker_compose_project_name: str
) -> GitHubService:
    port = docker_services.port_for("github", 8080)
    url = f"http://{docker_ip}:{port}"
    docker_services.wait_until_responsive(timeout=90, pause=0.5, check=lambda: _responsive(url))
    return GitHubService(url, network=f"{docker_compose_project_name}_default")
