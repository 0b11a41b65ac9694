"""Build the labelled failure-log corpus the triage model is trained on.

    python tools/build_triage_corpus.py [--out oasis_action/triage/data/corpus.jsonl.gz]

Every sample is the real output of a real tool, run on purpose on a small failing project in a
temp folder (pytest, python, node, cargo/rustc, gcc/g++, javac/java, black, isort, ruff, flake8,
mypy, yamllint, rustfmt, pip, npm, curl, git, docker, actionlint, ...), then wrapped the way five
CI systems print a job log (GitHub Actions, GitLab, Jenkins, Travis, plain). Network failures are
provoked against 127.0.0.1 (closed ports, a server that answers 503 or never answers) and a name
that does not resolve; nothing leaves the machine except pip's and npm's normal index lookups.

Tools that are not installed are skipped (the corpus records which tool made each sample).
Needs: pip install mypy flake8 yamllint; gcc, g++, javac, node/npm, cargo, git, docker, curl.
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import http.server
import json
import os
import random
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

WORDS = [
    "parser",
    "billing",
    "cache",
    "upload",
    "session",
    "invoice",
    "router",
    "schema",
    "queue",
    "token",
]


@dataclass(frozen=True)
class Scenario:
    category: str
    tool: str
    name: str
    files: Callable[[str, int], dict[str, str]]
    command: Callable[[str, int], str]
    platform: str = ""
    """A line the CI platform itself adds (runner lost, job timeout, missing input)."""


def run(command: str, cwd: Path, timeout: float = 120) -> str:
    env = {**os.environ, "NO_COLOR": "1", "TERM": "dumb", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    try:
        done = subprocess.run(
            ["bash", "-c", command],
            cwd=cwd,
            capture_output=True,
            text=True,
            timeout=timeout,
            env=env,
        )
        return (done.stdout + done.stderr)[-12000:]
    except subprocess.TimeoutExpired as stop:
        out = (stop.stdout or b"") + (stop.stderr or b"")
        return (out.decode(errors="replace") if isinstance(out, bytes) else out)[-12000:]


# --- local servers that fail the way the network does -------------------------------------


class Answer503(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:  # noqa: N802
        self.send_response(503)
        self.send_header("Content-Length", "19")
        self.end_headers()
        self.wfile.write(b"Service Unavailable")

    def log_message(self, *args: object) -> None:
        return


@contextlib.contextmanager
def servers() -> Iterator[dict[str, int]]:
    http503 = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Answer503)
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(50)
    threading.Thread(target=http503.serve_forever, daemon=True).start()
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    closed_port = closed.getsockname()[1]
    closed.close()
    try:
        yield {
            "503": http503.server_address[1],
            "silent": silent.getsockname()[1],
            "closed": closed_port,
        }
    finally:
        http503.shutdown()
        silent.close()


PORTS: dict[str, int] = {}


def w(seed: int) -> str:
    return WORDS[seed % len(WORDS)]


def scenarios() -> list[Scenario]:
    S = Scenario
    return [
        # test-failure
        S(
            "test-failure",
            "pytest",
            "assert",
            lambda n, s: {
                "test_app.py": f"def add(a, b):\n    return a - b\n\ndef test_{n}_adds():\n    assert add({s}, 2) == {s + 2}\n\ndef test_{n}_ok():\n    assert True\n"
            },
            lambda n, s: "python -m pytest -q -p no:cacheprovider",
        ),
        S(
            "test-failure",
            "pytest",
            "raises",
            lambda n, s: {
                "test_svc.py": f"import json\n\ndef load():\n    return json.loads('{{bad')\n\ndef test_{n}_loads():\n    assert load()['{n}'] == {s}\n"
            },
            lambda n, s: "python -m pytest -q -p no:cacheprovider --tb=short",
        ),
        S(
            "test-failure",
            "unittest",
            "unittest",
            lambda n, s: {
                "test_u.py": f"import unittest\n\nclass T(unittest.TestCase):\n    def test_{n}(self):\n        self.assertEqual({s}, {s + 1})\n\nif __name__ == '__main__':\n    unittest.main()\n"
            },
            lambda n, s: "python -m unittest -v test_u",
        ),
        S(
            "test-failure",
            "node-test",
            "node",
            lambda n, s: {
                "t.test.js": f"const test = require('node:test');\nconst assert = require('node:assert');\ntest('{n} totals', () => {{ assert.strictEqual({s} + 1, {s + 2}); }});\n"
            },
            lambda n, s: "node --test",
        ),
        S(
            "test-failure",
            "cargo-test",
            "cargo",
            lambda n, s: {
                "Cargo.toml": f'[package]\nname = "{n}"\nversion = "0.1.0"\nedition = "2021"\n',
                "src/lib.rs": f"pub fn f() -> i32 {{ {s} }}\n#[cfg(test)]\nmod tests {{\n    #[test]\n    fn {n}_works() {{ assert_eq!(super::f(), {s + 1}); }}\n}}\n",
            },
            lambda n, s: "cargo test --offline -q 2>&1",
        ),
        S(
            "test-failure",
            "java",
            "java-assert",
            lambda n, s: {
                "T.java": f'public class T {{ public static void main(String[] a) {{ int v = {s}; assert v == {s + 1} : "{n} expected {s + 1} but was " + v; }} }}\n'
            },
            lambda n, s: "javac T.java && java -ea T",
        ),
        # compile-error
        S(
            "compile-error",
            "python",
            "syntax",
            lambda n, s: {f"{n}.py": f"def {n}(x:\n    return x * {s}\n"},
            lambda n, s: f"python {n}.py",
        ),
        S(
            "compile-error",
            "python",
            "indent",
            lambda n, s: {f"{n}.py": f"def {n}():\n    x = {s}\n      return x\n"},
            lambda n, s: f"python -m py_compile {n}.py",
        ),
        S(
            "compile-error",
            "python",
            "import",
            lambda n, s: {
                "app/__init__.py": "",
                "app/main.py": f"from app.{n}_utils import helper\n",
            },
            lambda n, s: "python -c 'import app.main'",
        ),
        S(
            "compile-error",
            "gcc",
            "gcc",
            lambda n, s: {
                "main.c": f'#include <stdio.h>\nint main(void) {{\n    int {n} = {s}\n    printf("%d\\n", {n});\n    return undefined_{n};\n}}\n'
            },
            lambda n, s: "gcc -Wall -c main.c -o main.o",
        ),
        S(
            "compile-error",
            "g++",
            "gxx",
            lambda n, s: {
                "m.cpp": f"#include <vector>\nint main() {{ std::vector<int> {n}; {n}.push_bak({s}); return 0; }}\n"
            },
            lambda n, s: "g++ -c m.cpp",
        ),
        S(
            "compile-error",
            "javac",
            "javac",
            lambda n, s: {
                "App.java": f"public class App {{ public static void main(String[] a) {{ String {n} = {s}; System.out.println({n}); }} }}\n"
            },
            lambda n, s: "javac App.java",
        ),
        S(
            "compile-error",
            "rustc",
            "rustc",
            lambda n, s: {
                "m.rs": f'fn main() {{ let {n}: String = {s}; println!("{{}}", {n}); }}\n'
            },
            lambda n, s: "rustc --edition 2021 m.rs",
        ),
        S(
            "compile-error",
            "node",
            "node-syntax",
            lambda n, s: {"a.js": f"function {n}( {{ return {s}; }}\n"},
            lambda n, s: "node --check a.js",
        ),
        # lint-format
        S(
            "lint-format",
            "black",
            "black",
            lambda n, s: {f"{n}.py": f"def {n}( a,b ):\n  return a+b*{s}\n"},
            lambda n, s: "black --check --diff .",
        ),
        S(
            "lint-format",
            "isort",
            "isort",
            lambda n, s: {
                f"{n}.py": f"import sys\nimport os\nimport json\nprint(os, sys, json, {s})\n"
            },
            lambda n, s: "isort --check-only --diff .",
        ),
        S(
            "lint-format",
            "ruff",
            "ruff",
            lambda n, s: {
                f"{n}.py": f"import os\nimport sys\n\ndef {n}():\n    x = {s}\n    return 1\n"
            },
            lambda n, s: "ruff check --no-cache .",
        ),
        S(
            "lint-format",
            "flake8",
            "flake8",
            lambda n, s: {f"{n}.py": f"import os\ndef {n}( ):\n    return {s} ;\n"},
            lambda n, s: "flake8 .",
        ),
        S(
            "lint-format",
            "mypy",
            "mypy",
            lambda n, s: {f"{n}.py": f"def {n}(x: int) -> str:\n    return x + {s}\n"},
            lambda n, s: "mypy --no-incremental --cache-dir=/dev/null .",
        ),
        S(
            "lint-format",
            "yamllint",
            "yamllint",
            lambda n, s: {f"{n}.yml": f"key: {s}   \nlist:\n- a\n-  b\n"},
            lambda n, s: f"yamllint -d '{{extends: default}}' {n}.yml",
        ),
        S(
            "lint-format",
            "rustfmt",
            "rustfmt",
            lambda n, s: {
                "m.rs": f'fn {n}( )->i32{{ {s} }}\nfn main(){{println!("{{}}",{n}());}}\n'
            },
            lambda n, s: "rustfmt --check m.rs",
        ),
        # dependency
        S(
            "dependency",
            "pip",
            "pip-missing-version",
            lambda n, s: {},
            lambda n, s: f"python -m pip install --no-cache-dir --dry-run 'packaging==0.0.{s}'",
        ),
        S(
            "dependency",
            "pip",
            "pip-conflict",
            lambda n, s: {"requirements.txt": f"packaging==23.{s % 2}\npackaging==22.0\n"},
            lambda n, s: "python -m pip install --no-cache-dir --dry-run -r requirements.txt",
        ),
        S(
            "dependency",
            "npm",
            "npm-missing",
            lambda n, s: {
                "package.json": json.dumps(
                    {
                        "name": n,
                        "version": "1.0.0",
                        "dependencies": {f"oasis-missing-{n}-{s}": "^1.0.0"},
                    }
                )
            },
            lambda n, s: "npm install --no-audit --no-fund 2>&1",
        ),
        S(
            "dependency",
            "npm",
            "npm-version",
            lambda n, s: {
                "package.json": json.dumps(
                    {"name": n, "version": "1.0.0", "dependencies": {"left-pad": f"^9{s}.0.0"}}
                )
            },
            lambda n, s: "npm install --no-audit --no-fund 2>&1",
        ),
        S(
            "dependency",
            "python",
            "third-party-import",
            lambda n, s: {"run.py": f"import requests_{n}_client\n"},
            lambda n, s: "python run.py",
        ),
        # network
        S(
            "network",
            "curl",
            "refused",
            lambda n, s: {},
            lambda n, s: f"curl -sS --fail http://127.0.0.1:{PORTS['closed']}/{n}/v{s}",
        ),
        S(
            "network",
            "curl",
            "dns",
            lambda n, s: {},
            lambda n, s: f"curl -sS --fail https://{n}-{s}.registry.invalid/simple/",
        ),
        S(
            "network",
            "curl",
            "http-503",
            lambda n, s: {},
            lambda n, s: f"curl -sS --fail http://127.0.0.1:{PORTS['503']}/{n}/{s}.tar.gz",
        ),
        S(
            "network",
            "pip",
            "pip-index-down",
            lambda n, s: {},
            lambda n, s: f"python -m pip install --no-cache-dir --retries 1 --timeout 2 --index-url http://127.0.0.1:{PORTS['closed']}/simple {n}=={s}.0",
        ),
        S(
            "network",
            "git",
            "git-clone",
            lambda n, s: {},
            lambda n, s: f"git clone http://127.0.0.1:{PORTS['closed']}/{n}.git",
        ),
        S(
            "network",
            "npm",
            "npm-registry-down",
            lambda n, s: {
                "package.json": json.dumps(
                    {"name": n, "version": "1.0.0", "dependencies": {"left-pad": "^1.3.0"}}
                )
            },
            lambda n, s: f"npm install --no-audit --no-fund --fetch-retries=0 --registry http://127.0.0.1:{PORTS['closed']}/ 2>&1",
        ),
        S(
            "network",
            "python",
            "urllib",
            lambda n, s: {
                "fetch.py": f"import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{PORTS['closed']}/api/{n}/{s}')\n"
            },
            lambda n, s: "python fetch.py",
        ),
        # infrastructure
        S(
            "infrastructure",
            "docker",
            "daemon",
            lambda n, s: {"Dockerfile": f"FROM python:3.{s}-slim\nRUN echo {n}\n"},
            lambda n, s: f"DOCKER_HOST=unix:///tmp/{n}-{s}.sock docker build -t {n}:{s} .",
        ),
        S(
            "infrastructure",
            "docker",
            "daemon-run",
            lambda n, s: {},
            lambda n, s: f"DOCKER_HOST=unix:///var/run/{n}.sock docker run --rm python:3.{s}-slim true",
        ),
        S(
            "infrastructure",
            "pytest",
            "runner-lost",
            lambda n, s: {"test_slow.py": f"def test_{n}():\n    assert True\n"},
            lambda n, s: "python -m pytest -q -p no:cacheprovider",
            platform="runner-lost",
        ),
        S(
            "infrastructure",
            "make",
            "cancelled",
            lambda n, s: {"Makefile": f"all:\n\t@echo building {n} {s}\n"},
            lambda n, s: "make",
            platform="cancelled",
        ),
        # timeout
        S(
            "timeout",
            "python",
            "subprocess-timeout",
            lambda n, s: {
                "t.py": f"import subprocess\nsubprocess.run(['sleep', '5'], timeout=0.{s + 1})\n"
            },
            lambda n, s: "python t.py",
        ),
        S(
            "timeout",
            "curl",
            "curl-max-time",
            lambda n, s: {},
            lambda n, s: f"curl -sS --max-time 1 http://127.0.0.1:{PORTS['silent']}/{n}/{s}",
        ),
        S(
            "timeout",
            "python",
            "socket-timeout",
            lambda n, s: {
                "s.py": f"import urllib.request\nurllib.request.urlopen('http://127.0.0.1:{PORTS['silent']}/{n}', timeout=0.{s + 2})\n"
            },
            lambda n, s: "python s.py",
        ),
        S(
            "timeout",
            "make",
            "job-timeout",
            lambda n, s: {"Makefile": f"all:\n\t@echo running {n} suite {s}\n"},
            lambda n, s: "make",
            platform="job-timeout",
        ),
        # resource
        S(
            "resource",
            "python",
            "memoryerror",
            lambda n, s: {"m.py": f"{n} = bytearray(10**{13 + s % 3})\n"},
            lambda n, s: "python m.py",
        ),
        S("resource", "bash", "enospc", lambda n, s: {}, lambda n, s: f"echo {n}-{s} > /dev/full"),
        S(
            "resource",
            "python",
            "enospc-python",
            lambda n, s: {
                "w.py": f"with open('/dev/full', 'w') as f:\n    f.write('{n}' * {1000 + s})\n"
            },
            lambda n, s: "python w.py",
        ),
        S(
            "resource",
            "bash",
            "sigkill",
            lambda n, s: {},
            lambda n, s: f"bash -c 'echo training {n} {s}; kill -9 $$'; echo \"exit code $?\"",
        ),
        S(
            "resource",
            "node",
            "heap",
            lambda n, s: {},
            lambda n, s: "node --max-old-space-size=16 -e 'const a=[]; for(;;) a.push(new Array(1e6).fill(1))' 2>&1 | tail -20",
        ),
        # config
        S(
            "config",
            "actionlint",
            "actionlint",
            lambda n, s: {
                ".github/workflows/ci.yml": f"on: push\njobs:\n  {n}:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{{{ secrets.{n.upper()}_{s} }}\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{{{ undefined.ctx }}}}\n"
            },
            lambda n, s: "actionlint -no-color .github/workflows/ci.yml",
        ),
        S(
            "config",
            "check-jsonschema",
            "schema",
            lambda n, s: {"wf.yml": f"on: push\njobs:\n  {n}:\n    steps: {s}\n"},
            lambda n, s: "check-jsonschema --builtin-schema vendor.github-workflows wf.yml",
        ),
        S(
            "config",
            "python",
            "missing-secret",
            lambda n, s: {"deploy.py": f"import os\ntoken = os.environ['{n.upper()}_API_TOKEN']\n"},
            lambda n, s: "python deploy.py",
        ),
        S(
            "config",
            "python",
            "bad-yaml-config",
            lambda n, s: {
                "c.py": "import yaml\nyaml.safe_load(open('settings.yml'))\n",
                "settings.yml": f"{n}:\n  level: {s}\n   bad: [\n",
            },
            lambda n, s: "python c.py",
        ),
        S(
            "config",
            "git",
            "push-denied",
            lambda n, s: {},
            lambda n, s: f"git init -q r && cd r && git -c user.email=a@b -c user.name=a commit -q --allow-empty -m x && chmod -R a-w ../remote.git 2>/dev/null; git push /nonexistent/{n}.git HEAD 2>&1",
            platform="permission",
        ),
        S(
            "config",
            "runner",
            "input-missing",
            lambda n, s: {},
            lambda n, s: f"echo 'Preparing {n} deployment {s}'",
            platform="input-missing",
        ),
        # unknown: a step that fails and says nothing useful
        S(
            "unknown",
            "bash",
            "silent-exit",
            lambda n, s: {},
            lambda n, s: f"echo 'step {n} {s}'; exit {s % 3 + 1}",
        ),
        S(
            "unknown",
            "make",
            "make-generic",
            lambda n, s: {"Makefile": f"all:\n\t@echo {n}\n\t@false\n"},
            lambda n, s: "make",
        ),
    ]


PLATFORM_LINES = {
    "runner-lost": "The runner has received a shutdown signal. This can happen when the runner service is stopped, or a manually started runner is canceled.",
    "cancelled": "The operation was canceled.",
    "job-timeout": "The job running on runner GitHub Actions 12 has exceeded the maximum execution time of 360 minutes.",
    "permission": "Permission to octo-org/app.git denied to github-actions[bot].",
    "input-missing": "Input required and not supplied: token",
}
GITLAB_PLATFORM = {
    "runner-lost": "ERROR: Job failed (system failure): aborted: terminated",
    "cancelled": "ERROR: Job failed: canceled",
    "job-timeout": "ERROR: Job failed: execution took longer than 1h0m0s seconds",
    "permission": "remote: You are not allowed to push code to this project.",
    "input-missing": "ERROR: Job failed: variable TOKEN is not set",
}


def stamp(base: float, i: int) -> str:
    return time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(base + i)) + f".{(i * 7919) % 10**7:07d}Z"


def wrap(fmt: str, scenario: Scenario, command: str, output: str, rng: random.Random) -> str:
    lines = output.rstrip("\n").splitlines()
    platform = scenario.platform
    if fmt == "actions":
        base = 1_790_000_000 + rng.randrange(10**6)
        out = [
            "##[group]Run actions/checkout@v4",
            "Syncing repository: octo-org/app",
            "##[endgroup]",
            f"##[group]Run {command.splitlines()[0][:120]}",
            f"{command[:200]}",
            "shell: /usr/bin/bash -e {0}",
            "##[endgroup]",
            *lines,
        ]
        if platform:
            out.append(f"##[error]{PLATFORM_LINES[platform]}")
        else:
            out.append(
                f"##[error]Process completed with exit code {rng.choice([1, 1, 2, 101, 127])}."
            )
        return "\n".join(f"{stamp(base, i)} {line}" for i, line in enumerate(out)) + "\n"
    if fmt == "gitlab":
        out = [
            "Running with gitlab-runner 17.4.0 (b92ee590)",
            "  on docker-auto-scale 12a3b4c5",
            'Preparing the "docker" executor',
            "Getting source from Git repository",
            "Fetching changes with git depth set to 20...",
            "Checking out 1a2b3c4d as detached HEAD (ref is main)...",
            'Executing "step_script" stage of the job script',
            f"$ {command.splitlines()[0][:160]}",
            *lines,
        ]
        out.append(
            GITLAB_PLATFORM[platform]
            if platform
            else f"ERROR: Job failed: exit code {rng.choice([1, 2])}"
        )
        return "\n".join(out) + "\n"
    if fmt == "jenkins":
        out = [
            "Started by user admin",
            "[Pipeline] Start of Pipeline",
            "[Pipeline] node",
            "Running on agent-3 in /var/jenkins/workspace/app",
            "[Pipeline] stage",
            "[Pipeline] { (Build)",
            "[Pipeline] sh",
            f"+ {command.splitlines()[0][:160]}",
            *lines,
        ]
        if platform:
            out.append(PLATFORM_LINES[platform])
        out += [
            "[Pipeline] }",
            "[Pipeline] // stage",
            "[Pipeline] End of Pipeline",
            f"ERROR: script returned exit code {rng.choice([1, 2])}",
            "Finished: FAILURE",
        ]
        return "\n".join(out) + "\n"
    if fmt == "travis":
        out = [
            "travis_fold:start:git.checkout",
            "$ git clone --depth=50 https://github.com/octo-org/app.git octo-org/app",
            "travis_fold:end:git.checkout",
            f"$ {command.splitlines()[0][:160]}",
            *lines,
        ]
        if platform:
            out.append(PLATFORM_LINES[platform])
        out += [
            f'The command "{command.splitlines()[0][:80]}" exited with {rng.choice([1, 2])}.',
            "",
            "Done. Your build exited with 1.",
        ]
        return "\n".join(out) + "\n"
    out = [f"$ {command.splitlines()[0][:160]}", *lines]
    if platform:
        out.append(PLATFORM_LINES[platform])
    return "\n".join(out) + "\n"


FORMATS = ("actions", "gitlab", "jenkins", "travis", "plain")


def build(variants: int, seed: int) -> list[dict[str, str]]:
    rng = random.Random(seed)  # noqa: S311 - sample variety, not security
    samples = []
    available = {
        name: shutil.which(name) is not None
        for name in (
            "node",
            "npm",
            "cargo",
            "rustc",
            "rustfmt",
            "gcc",
            "g++",
            "javac",
            "java",
            "docker",
            "mypy",
            "flake8",
            "yamllint",
            "actionlint",
            "check-jsonschema",
            "ruff",
            "black",
            "isort",
            "make",
            "curl",
            "git",
        )
    }
    for scenario in scenarios():
        first = scenario.command("x", 0).split()[0]
        binary = {"python": "python"}.get(first, first)
        if binary in available and not available[binary]:
            print(f"skip {scenario.tool}/{scenario.name}: {binary} not installed", file=sys.stderr)
            continue
        for variant in range(variants):
            name, number = f"{w(variant + rng.randrange(10))}", variant * 3 + 1
            with tempfile.TemporaryDirectory() as scratch:
                folder = Path(scratch)
                for rel, text in scenario.files(name, number).items():
                    (folder / rel).parent.mkdir(parents=True, exist_ok=True)
                    (folder / rel).write_text(text)
                command = scenario.command(name, number)
                output = run(command, folder)
            output = output.replace(scratch, "/home/runner/work/app/app")
            for fmt in FORMATS:
                samples.append(
                    {
                        "category": scenario.category,
                        "tool": scenario.tool,
                        "scenario": scenario.name,
                        "format": fmt,
                        "text": wrap(fmt, scenario, command, output, rng),
                    }
                )
            print(
                f"{scenario.category:<15} {scenario.tool:<17} {scenario.name:<22} {len(output):>6} chars",
                file=sys.stderr,
            )
    return samples


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default="oasis_action/triage/data/corpus.jsonl.gz")
    parser.add_argument("--variants", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with servers() as ports:
        PORTS.update(ports)
        samples = build(args.variants, args.seed)
    target = Path(args.out)
    target.parent.mkdir(parents=True, exist_ok=True)
    payload = "".join(json.dumps(s, sort_keys=True) + "\n" for s in samples).encode()
    with gzip.GzipFile(target, "wb", mtime=0) as handle:
        handle.write(payload)
    print(f"{len(samples)} samples -> {target}", file=sys.stderr)


if __name__ == "__main__":
    main()
