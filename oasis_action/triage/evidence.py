"""Evidence: what the tools in a failing step say, in their own words.

Each rule names a category, a weight (how sure a match makes us), a trigger (a literal that
every match contains, found for all rules in one Aho-Corasick pass) and a pattern run only on
the lines holding its trigger. Patterns are bounded (`{0,N}` instead of `.*` between
literals) and see lines already capped by the splitter, so no line costs more than linear time.

Hard evidence (failed tests, compiler errors, lint findings, unresolvable packages, CI
configuration) is what a retry cannot fix. Transient evidence (network, runner, time, memory)
decides only where no hard evidence is found in the failing step, except the few rules marked
`overrides`: a test that failed *because* it timed out is a timeout, whatever the summary says.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from itertools import accumulate
from re._constants import AT, BRANCH, LITERAL  # type: ignore[import-not-found]
from re._parser import parse as parse_pattern  # type: ignore[import-not-found]
from typing import Any

import ahocorasick


@dataclass(frozen=True)
class Rule:
    category: str
    weight: float
    triggers: tuple[str, ...]
    pattern: re.Pattern[str]
    overrides: bool = False


@dataclass(frozen=True)
class Hit:
    """One line of a failing step that a rule recognised."""

    category: str
    weight: float
    line: int
    text: str
    overrides: bool


Spec = tuple[float, "str | tuple[str, ...]", str] | tuple[float, "str | tuple[str, ...]", str, bool]


def _longest_literal(items: list[tuple[Any, Any]]) -> str:
    """The longest run of plain characters in a parsed pattern (zero-width asserts keep a run)."""
    best = run = ""
    for op, value in items:
        if op is LITERAL:
            run += chr(value)
            best = max(best, run, key=len)
        elif op is not AT:
            run = ""
    return best


def literals_of(pattern: str) -> tuple[str, ...] | None:
    """One literal that every match of each top-level alternative contains, or None when an
    alternative has no literal of at least three characters (then the author's trigger counts)."""
    parsed = list(parse_pattern(pattern))
    tops = [index for index, (op, _) in enumerate(parsed) if op is BRANCH]
    if len(tops) == 1:
        # the parser factors a prefix common to every alternative (`\bE` in
        # `\bECONNRESET\b|\bEAI_AGAIN\b`) out of the branch: put it back in front of each
        at = tops[0]
        before, after = parsed[:at], parsed[at + 1 :]
        branches = [before + list(branch) + after for branch in parsed[at][1][1]]
    else:
        branches = [parsed]
    found = tuple(_longest_literal(branch) for branch in branches)
    return found if all(len(literal) >= 3 for literal in found) else None


def _rules(category: str, *specs: Spec) -> list[Rule]:
    built = []
    for spec in specs:
        weight, trigger, pattern = spec[0], spec[1], spec[2]
        overrides = bool(spec[3]) if len(spec) > 3 else False  # type: ignore[misc]
        given = (trigger,) if isinstance(trigger, str) else trigger
        derived = literals_of(pattern) or ()
        triggers = tuple(dict.fromkeys(derived or given))
        built.append(Rule(category, weight, triggers, re.compile(pattern), overrides))
    return built


SOURCE = r"[\w./\\-]{1,300}"
FLAKE8_CODES = tuple(f": {letter}{digit}" for letter in "EWFCN" for digit in "0123456789")
STYLE_RULES = tuple(
    f"({family}-"
    for family in (
        "no",
        "selector",
        "declaration",
        "block",
        "color",
        "comment",
        "rule",
        "at-rule",
        "property",
        "value",
        "function",
        "font",
        "length",
        "string",
        "number",
        "media",
        "unit",
        "shorthand",
        "max",
        "indentation",
    )
)
RULES: tuple[Rule, ...] = (
    *_rules(
        "test-failure",
        # pytest, unittest
        (0.95, (" failed, ", " failed in "), r"^=+ .{0,200}\b\d+ failed\b"),
        (
            0.9,
            (" errors in ", " error in ", " errors, ", " error, "),
            r"^=+ .{0,200}\b\d+ errors?\b.{0,80}(?:in [\d.]+ ?s|=)",
        ),
        (0.9, "FAILED ", r"^FAILED [\w./-]{1,300}::"),
        (0.9, "FAILED (", r"^FAILED \((?:failures|errors)=\d+"),
        (0.7, "FAIL: ", r"^(?:FAIL|ERROR): test"),
        # go
        (0.9, "--- FAIL: ", r"^\s{0,8}--- FAIL: "),
        (0.85, "FAIL\t", r"^FAIL\t\S+\t[\d.]+s$"),
        # rust
        (0.95, "test result: FAILED", r"test result: FAILED"),
        (0.8, "error: test failed", r"^error: test failed"),
        # JS: jest, mocha, jasmine/karma, ava, tap, node:test
        (0.9, "Tests:", r"^Tests:\s+(?:\d+ \w+, ){0,3}\d+ failed"),
        (0.9, " failing", r"^\s{0,8}\d+ failing\s*$"),
        (0.9, "FAILED)", r"Executed \d+ of \d+.{0,60}\(\d+ FAILED\)"),
        (0.8, " tests? failed", r"^\s{0,8}\d+ tests? failed"),
        (0.8, "# fail ", r"^# fail +[1-9]"),
        # JVM: surefire, gradle, sbt, scalatest
        (
            0.9,
            "Tests run:",
            r"Tests run: \d+, Failures: (?:[1-9]\d*, Errors: \d+|\d+, Errors: [1-9])",
        ),
        (0.85, "There are test failures", r"There are test failures"),
        (0.85, "tests completed", r"\d+ tests completed, \d+ failed"),
        (0.9, "TEST", r"\*\*\* \d+ TESTS? FAILED \*\*\*"),
        (0.9, "Failed: Total", r"Failed: Total \d+, Failed [1-9]"),
        (0.85, "TestsFailedException", r"TestsFailedException"),
        (0.85, "Tests: succeeded", r"Tests: succeeded \d+, failed [1-9]"),
        # PHPUnit, phpt
        (0.9, "FAILURES!", r"^FAILURES!$"),
        (0.9, "ERRORS!", r"^ERRORS!$"),
        (0.9, "Tests: ", r"^Tests: \d+, Assertions: \d+, (?:Errors|Failures): [1-9]"),
        (0.85, "FAILED TEST SUMMARY", r"^FAILED TEST SUMMARY$"),
        # Ruby: minitest, rspec; Elixir ExUnit; Haskell hspec
        (0.9, " failures", r"\d+ (?:runs|tests), \d+ assertions, [1-9]\d* failures"),
        (0.9, " errors", r"\d+ (?:runs|tests), \d+ assertions, \d+ failures, [1-9]\d* errors"),
        (0.9, " failure", r"\d+ (?:examples?|tests?|properties|specs?), [1-9]\d* failures?\b"),
        (0.8, "Failed examples:", r"^Failed examples:"),
        (0.85, " tests failed", r"\d+ out of \d+ tests failed"),
        (0.8, "Test suite failure", r"Test suite failure for package"),
        # .NET, XCTest, Swift, Erlang common_test, R testthat, neovim's busted
        (0.9, "Failed!", r"^Failed!\s+- Failed:\s+[1-9]"),
        (0.85, "Test Run Failed", r"^Test Run Failed\."),
        (0.9, " failure", r"Executed \d+ tests?, with [1-9]\d* failures?"),
        (0.85, "TEST FAILED", r"\*\* TEST FAILED \*\*"),
        (0.8, "Test Case", r"Test Case '.{1,300}' failed"),
        (0.8, "Failing tests:", r"^\s{0,4}Failing tests:"),
        (
            0.8,
            "Test crashed",
            r"Test crashed with signal|Restarting after unexpected exit or crash",
        ),
        (0.9, "TEST COMPLETE", r"TEST COMPLETE, \d+ ok, [1-9]\d* failed"),
        (0.7, "FAILED test case", r"\*\*\* FAILED test case"),
        (0.75, "One or more tests failed", r"One or more tests failed"),
        (
            0.8,
            ("Failed ═", "Failed tests ═", "Failed --", "[ FAIL "),
            r"^\s{0,4}(?:══ )?Failed (?:tests )?[═=─-]{2,}|^\[ FAIL \d+ \|",
        ),
        (
            0.8,
            "testthat",
            r"Error: Test failures|testthat\.R.{0,40}failed|testthat unit tests failed",
        ),
        (0.8, "FAILED: ", r"\[ OK: \d+ \| .{0,80}FAILED: [1-9]"),
        (0.7, ":: Test ", r"^(?:F |\s{0,4})\S{1,200} :: Test \w+ failed$"),
        (0.75, "KO ", r"^KO \S"),
        # sanitizers and crashes inside test runs
        (
            0.8,
            "AssertionError",
            r"java\.lang\.AssertionError|AssertionFailedError|ComparisonFailure",
        ),
        (0.75, "Sanitizer", r"ERROR: (?:Address|Memory|Thread|UndefinedBehavior|Leak)Sanitizer"),
        (0.6, "Segmentation fault", r"Segmentation fault"),
        # generic summaries
        (0.6, "Tests failed", r"\bTests? failed\b"),
        (0.55, "tests failed", r"\b[1-9]\d* tests? failed\b|\bSome tests failed\b"),
        (0.5, "npm ERR! Test failed", r"^npm ERR! Test failed\."),
        (0.5, "build FAILED", r"build FAILED$"),
    ),
    *_rules(
        "compile-error",
        (0.95, "error[E", r"error\[E\d{4}\]"),
        (0.9, "Could not compile", r"error: [Cc]ould not compile `"),
        (0.85, "aborting due to", r"error: aborting due to"),
        (
            0.9,
            (": error", ": fatal error", "): error"),
            rf"^{SOURCE}\.(?:c|cc|cpp|cxx|h|hh|hpp|m|mm|swift|go|java|kt|kts|scala|cs|fs|ts|tsx|hs|rs|d|zig|f90|cu)[:(]\d+(?:[:,]\d+)?\)?:? (?:fatal )?error\b",
        ),
        (0.85, "[error] ", rf"^\[error\] {SOURCE}\.(?:scala|java|kt):\d+(?::\d+)?: "),
        (0.85, "Compilation failed", r"Compilation failed|COMPILATION ERROR|compilation failed"),
        (0.9, "error TS", r"\berror TS\d+:"),
        (0.9, "TSError", r"TSError: "),
        (
            0.9,
            "SyntaxError",
            r"^\s{0,8}(?:File .{1,300}, line \d+.{0,100})?SyntaxError: |^\S{1,300}:\d+(?::\d+)? - SyntaxError",
        ),
        (0.9, "IndentationError", r"\bIndentationError: "),
        (0.9, "CompileError", r"\(CompileError\)|== Compilation error"),
        (0.85, "[build failed]", r"\[build failed\]|\[setup failed\]"),
        (0.85, "warnings being treated as errors", r"warnings being treated as errors"),
        (0.85, "cannot create executables", r"C\+{0,2} compiler cannot create executables"),
        (0.85, "failed to run custom build command", r"failed to run custom build command for"),
        (0.9, "collect2", r"collect2: (?:fatal )?error: ld returned"),
        (0.85, "undefined reference to", r"undefined reference to `"),
        (0.85, "linker", r"error: linker `\S+` failed|linking with `\S+` failed"),
        (0.9, "CssSyntaxError", r"CssSyntaxError"),
        (
            0.85,
            (
                "Error: Invalid CSS",
                "Error: Inconsistent",
                "Error: Undefined",
                "Error: File to import",
            ),
            r"^Error: (?:Invalid CSS|Inconsistent indentation|Undefined (?:variable|mixin)|File to import not found)",
        ),
        (0.8, "Not in scope", r"^\s{0,8}(?:Not in scope|Could not find module|Couldn't match)"),
        (0.85, ".erl:", rf"^{SOURCE}\.[eh]rl:\d+: (?!Warning)"),
        (0.85, "validity error", r"validity error :"),
        (0.85, "cannot find symbol", r"error: cannot find symbol"),
        (0.8, "does not conform", r"error: .{0,200}does not conform to"),
        (0.8, "Fatal error: ", r"^(?:PHP )?Fatal error: (?!.{0,120}Allowed memory size)"),
        (
            0.7,
            "YAML",
            r"(?:YAML|Front Matter).{0,40}(?:syntax error|were unable to be parsed|Exception)",
        ),
        (0.75, "module '", r"module '[\w.]{1,200}' not found"),
        (0.85, "on line ", r"^\s{0,8}on line \d+ of \S{1,300}\.s[ac]ss"),
        (0.85, "\u274c", rf"^(?:nl)?\u274c\s+{SOURCE}\.(?:swift|m|mm|h|c|cc|cpp):\d+:\d+: "),
        (0.8, "were unable to be parsed", r"were unable to be parsed|check the YAML headers"),
        (0.6, "No rule to make target", r"No rule to make target"),
        (0.35, "*** [", r"^make(?:\[\d+\])?: \*\*\* \[[^\]]{1,300}\] Error \d+"),
        (0.4, "*** Failed ***", r"^\*\*\* Failed \*\*\*$"),
        (0.6, "bad_lib", r"bad_lib|Crash dump is being written"),
    ),
    *_rules(
        "lint-format",
        (0.95, "would reformat", r"^would reformat "),
        (0.95, "Oh no!", r"^Oh no! "),
        (0.9, "would be reformatted", r"\d+ files? would be reformatted"),
        (0.9, "Imports are incorrectly sorted", r"Imports are incorrectly sorted"),
        (0.9, FLAKE8_CODES, rf"^{SOURCE}:\d+:\d+: [EWFCN]\d{{3}} "),
        (0.85, "Found ", r"^Found \d+ errors?(?:\.| in \d+ files? \(checked)"),
        (0.8, "Your code has been rated", r"Your code has been rated at"),
        (0.9, "problem", r"\u2716 \d+ problems? \(\d+ errors?"),
        (0.9, "Code style issues", r"Code style issues (?:found|were found)"),
        (0.85, "offense", r"\d+ files? inspected, [1-9]\d* offenses? detected"),
        (0.8, (": C: ", ": W: ", ": E: ", ": F: "), rf"^{SOURCE}\.rb:\d+:\d+: [CWEF]: "),
        (0.9, "(Severity: ", r"\(Severity: \d\)"),
        (0.85, " MD0", rf"^{SOURCE}\.md:\d+(?::\d+)? MD\d{{3}}"),
        (0.75, STYLE_RULES, r"^\s{0,8}\d+:\d+\s+(?:\u2716\s+)?.{1,300}\((?:[a-z]+-){1,6}[a-z]+\)$"),
        (0.8, "\u2716", r"^\s{0,8}\d+:\d+\s+\u2716\s+.{1,300}\s[a-z]+(?:-[a-z]+){1,8}\s*$"),
        (0.9, "Diff in ", r"^Diff in \S+(?: at line \d+|:\d+):"),
        (
            0.9,
            "--check-formatted",
            r"mix format failed due to --check-formatted|The following files were not formatted",
        ),
        (0.85, "Issues :-(", r"^Issues :-\($"),
        (0.8, "Please rebuild", r"Please (?:re)?build .{1,80} and commit"),
        (0.75, "to create", r"^Run '?make \w+'? to (?:create|update) "),
        (0.8, "Line longer than", r"[Ll]ine (?:longer|too long) than \d+"),
        (0.75, "not in order", r"[Nn]ot in (?:alphabetical )?order"),
        (0.75, "does not match format", r"[Ll]ine does not match (?:required )?format"),
        (0.75, "Duplicate link", r"Duplicate links? (?:found|:)"),
        (
            0.8,
            "mimaReportBinaryIssues",
            r"mimaReportBinaryIssues|Failed binary compatibility check",
        ),
        (0.7, 'ERROR: "', r"^ERROR: \"(?:lint|format|prettier|style)[^\"]{0,100}\" exited with"),
        (0.6, "Failed at the ", r"Failed at the \S{1,200} lint(?::\S{1,100})? script"),
        (
            0.8,
            (
                " (golint)",
                " (govet)",
                " (errcheck)",
                " (staticcheck)",
                " (gosimple)",
                " (ineffassign)",
                " (unused)",
                " (deadcode)",
            ),
            r"^\S{1,300}\.go:\d+:\d+: .{1,300} \((?:golint|govet|errcheck|staticcheck|gosimple|ineffassign|unused|deadcode)\)$",
        ),
        (0.75, "size limit", r"[Ss]ize limit (?:has )?exceeded"),
        (0.7, "invalid upper case", r"invalid (?:upper|lower) ?case character"),
        (0.7, "clippy", r"#\[deny\(clippy::"),
        (0.75, "  error  ", r"^\s{0,8}\d+:\d+\s+error\s+.{1,300}\([a-z-]{2,40}\)$"),
    ),
    *_rules(
        "dependency",
        (0.9, "No matching distribution", r"No matching distribution found for"),
        (
            0.9,
            "Could not find a version",
            r"Could not find a version that satisfies the requirement",
        ),
        (0.9, "ResolutionImpossible", r"ResolutionImpossible"),
        (0.85, "conflicting dependencies", r"conflicting dependencies"),
        (0.9, "ERESOLVE", r"npm (?:ERR!|error) code (?:ERESOLVE|ETARGET|E404)"),
        (0.8, " 404 ", r"npm (?:ERR!|error) 404 "),
        (0.85, "No matching version found", r"No matching version found for"),
        (0.85, "is not in", r"is not in (?:the npm|this) registry"),
        (0.85, "Couldn't find any versions", r"Couldn't find any versions for"),
        (0.9, "Could not resolve dependencies", r"Could not resolve dependencies for project"),
        (0.85, "Could not find artifact", r"Could not find artifact \S+"),
        (
            0.85,
            "Could not resolve all",
            r"Could not resolve all (?:files|dependencies|artifacts) for",
        ),
        (
            0.9,
            "unresolved dependency",
            r"unresolved dependency|UNRESOLVED DEPENDENCIES|sbt\.ResolveException",
        ),
        (0.9, "could not be resolved", r"Your requirements could not be resolved"),
        (
            0.85,
            "failed to select a version",
            r"failed to select a version for|no matching package named",
        ),
        (
            0.8,
            "cannot find package",
            r"cannot find package \"|unknown revision|found, but does not contain package",
        ),
        (
            0.85,
            "Could not find gem",
            r"Could not find gem|Bundler could not find compatible versions|in any of the sources",
        ),
        (
            0.85,
            ("E: Unable", "E: Package", "E: Failed to fetch", "E: Version"),
            r"^E: (?:Unable to locate package|Package '.{1,100}' has no installation candidate|Failed to fetch .{1,400}\b404\s+Not Found|Version '.{1,60}' for '.{1,60}' was not found)",
        ),
        (0.85, "Could NOT find", r"Could NOT find \w+|Could not find a package configuration file"),
        (
            0.75,
            "Boost",
            r"Unable to find the requested Boost libraries|Boost version .{0,60}(?:too old|required)|Detected version of Boost is too old",
        ),
        (
            0.9,
            "error while loading shared libraries",
            r"error while loading shared libraries: \S+: cannot open shared object",
        ),
        (
            0.8,
            "is unavailable",
            r"requires .{1,100} which is unavailable|Package .{1,100} is unavailable|No version of \S+ .{0,20}is available",
        ),
        (0.8, "PackagesNotFoundError", r"PackagesNotFoundError|UnsatisfiableError"),
        (0.8, "pkg-config", r"was not found in the pkg-config search path|No package '\S+' found"),
        (0.96, "No module named", r"(?:ImportError|ModuleNotFoundError): No module named"),
        (
            0.75,
            "md5sum did not match",
            r"(?:md5|sha\d*)(?:sum)? (?:did not match|mismatch)|checksum (?:did not match|mismatch)",
        ),
        (0.6, "Cannot find module", r"Cannot find module '(?!\.)"),
        (0.55, "Configuring incomplete", r"Configuring incomplete, errors occurred"),
        (0.7, "Failed to install", r"Failed to install (?:package|gem)"),
    ),
    *_rules(
        "network",
        (0.9, "Could not resolve host", r"Could not resolve host"),
        (0.9, "Temporary failure in name resolution", r"Temporary failure in name resolution"),
        (0.9, "getaddrinfo", r"getaddrinfo (?:ENOTFOUND|EAI_AGAIN)"),
        (
            0.85,
            "ECONNRESET",
            r"\bECONNRESET\b|\bEAI_AGAIN\b|\bETIMEDOUT\b|\bECONNREFUSED\b|\bENOTFOUND\b",
        ),
        (0.85, "curl: (", r"curl: \((?:5|6|7|35|52|55|56)\) "),
        (0.85, "Connection reset by peer", r"Connection reset by peer"),
        (0.8, ("Connection refused", "connection refused"), r"[Cc]onnection refused"),
        (0.8, "Connection timed out", r"Connection timed out|connect(?:ion)? timed out"),
        (0.85, "Failed to establish a new connection", r"Failed to establish a new connection"),
        (
            0.8,
            "RemoteDisconnected",
            r"RemoteDisconnected|IncompleteRead|ProtocolError\('Connection aborted",
        ),
        (0.8, "Read timed out", r"Read timed out"),
        (0.9, "TLS handshake timeout", r"TLS handshake timeout"),
        (
            0.85,
            "SSL",
            r"SSL connect error|sslv3 alert handshake failure|SSL_ERROR_SYSCALL|SSL routines",
        ),
        (
            0.8,
            "certificate",
            r"^ERROR: (?:no certificate subject alternative name matches|certificate .{0,40}doesn't match)",
        ),
        (0.9, "Gateway", r"\b50[234] (?:Bad Gateway|Service Unavailable|Gateway Time-?out)\b"),
        (0.9, "Too Many Requests", r"\b429 Too Many Requests\b"),
        (0.8, "The requested URL returned error: 5", r"The requested URL returned error: 5\d\d"),
        (0.85, "Could not create connection", r"Could not create connection to"),
        (0.8, "Failed to open TCP connection", r"Failed to open TCP connection"),
        (0.75, "failed to download", r"failed to download from `"),
        (
            0.85,
            "unable to access",
            r"unable to access '.{1,300}': (?:Failed to connect|Could not resolve|Operation timed out|Recv failure|gnutls_handshake|OpenSSL SSL)",
        ),
        (0.85, "Network is unreachable", r"Network is unreachable|No route to host"),
        (0.8, "socket hang up", r"socket hang up"),
        (0.8, "Net::", r"Net::(?:ReadTimeout|OpenTimeout)"),
        (0.8, "hung up unexpectedly", r"The remote end hung up unexpectedly|early EOF"),
        (
            0.8,
            ("HTTP/", "HTTP status", "HTTP error", "HTTP code", "HTTP 5"),
            r"HTTP(?:/\d(?:\.\d)?)? (?:status code |error |code )?5\d\d\b|Received HTTP code 5\d\d",
        ),
        (0.75, "toomanyrequests", r"toomanyrequests|TLS handshake timeout|i/o timeout"),
    ),
    *_rules(
        "timeout",
        (
            0.95,
            "No output has been received",
            r"No output has been received in the last \d+m",
            True,
        ),
        (0.95, "maximum execution time", r"has exceeded the maximum execution time", True),
        (0.95, "execution took longer than", r"execution took longer than", True),
        (0.9, "Build timed out", r"Build timed out", True),
        (0.9, "timetrap_timeout", r"timetrap_timeout", True),
        (
            0.9,
            "TimeoutException",
            r"TimeoutException(?:: (?:[\d.]+ ?\.?(?:seconds|milliseconds|minutes|ms|s)\b|[Tt]imed out|Futures timed out)|$)",
            True,
        ),
        (
            0.9,
            ("Exceeded timeout of", "Asynchronous wait failed"),
            r"Exceeded timeout of [\d.]+ ?s|Asynchronous wait failed",
            True,
        ),
        (0.9, "Timeout of", r"Timeout of \d+ms exceeded", True),
        (0.9, "process timed out", r"process timed out"),
        (0.85, "test timed out after", r"panic: test timed out after", True),
        (0.85, "curl: (28)", r"curl: \(28\) "),
        (0.85, "context deadline exceeded", r"context deadline exceeded"),
        (0.85, "Timed out waiting", r"Timed out waiting for"),
        (0.8, "timed out after", r"timed out after \d+"),
        (0.9, "exited with 124", r"exited with 124\.?$", True),
        (0.75, "TimeoutError", r"\bTimeoutError\b"),
        (0.8, "Terminated", r"^(?:Terminated|Timeout, server \S+ not responding)"),
    ),
    *_rules(
        "infrastructure",
        (0.9, "system failure", r"ERROR: Job failed \(system failure\)", True),
        (0.9, "Job failed: canceled", r"ERROR: Job failed: canceled"),
        (0.95, "shutdown signal", r"The runner has received a shutdown signal", True),
        (0.95, "lost communication", r"lost communication with the server", True),
        (0.9, "Cannot connect to the Docker daemon", r"Cannot connect to the Docker daemon"),
        (0.85, "error during connect", r"error during connect: "),
        (0.85, "The operation was canceled", r"The operation was canceled\.$"),
        (0.9, "did not respond", r"Runner .{1,100} did not respond"),
        (0.9, "The job was not acquired", r"The job was not acquired by Runner"),
        (0.85, "Input/output error", r"Input/output error"),
        (
            0.8,
            "worker lost",
            r"[Ww]orker (?:lost|was lost)|Agent went offline|The agent was shut down",
        ),
    ),
    *_rules(
        "resource",
        (0.95, "No space left on device", r"No space left on device|\bENOSPC\b", True),
        (
            0.9,
            "MemoryError",
            r"^MemoryError|\bOutOfMemoryError\b|out of memory|Out of memory|OOMKilled|Cannot allocate memory|std::bad_alloc",
            True,
        ),
        (0.9, "exit code 137", r"(?:exit code|exited with|status) 137\b", True),
        (0.85, "Killed signal", r"Killed signal terminated program"),
        (0.85, "Too many open files", r"Too many open files|\bEMFILE\b"),
        (0.85, "Allowed memory size", r"Allowed memory size of \d+ bytes exhausted", True),
    ),
    *_rules(
        "config",
        (0.95, "No Rakefile found", r"No Rakefile found"),
        (0.95, "Invalid workflow file", r"Invalid workflow file|The workflow is not valid"),
        (0.95, "Input required and not supplied", r"Input required and not supplied"),
        (
            0.9,
            "secret",
            r"[Ss]ecret \S{1,100} (?:not found|is not set)|secrets? .{0,40}not (?:set|provided)",
        ),
        (0.9, "Resource not accessible by integration", r"Resource not accessible by integration"),
        (0.85, "Permission denied (publickey)", r"Permission denied \(publickey\)"),
        (0.9, "Unable to resolve action", r"Unable to resolve action"),
        (
            0.9,
            "not found in upstream origin",
            r"Remote branch .{1,200} not found in upstream origin|[Cc]ouldn't find remote ref",
        ),
        (
            0.85,
            "No such file or directory",
            r"^\S{1,300}: line \d+: (?:cd: )?\S{1,300}: No such file or directory$",
        ),
        (0.7, "command not found", r"^\S{1,300}: line \d+: \S{1,100}: command not found$"),
        (
            0.75,
            "Illegal switch",
            r"Illegal switch specified|[Uu]nrecognized (?:command[- ]line )?option|[Uu]nknown (?:command[- ]line )?option",
        ),
        (0.75, "No such file or directory", r"^No such file or directory: '[^']{1,300}'$"),
        (0.75, "yaml.", r"yaml\.(?:scanner|parser|constructor)\.\w{1,40}Error"),
        (
            0.8,
            "not allowed to push",
            r"You are not allowed to push code|Permission to \S{1,200} denied",
        ),
        (0.75, "KeyError", r"^KeyError: '[A-Z][A-Z0-9_]{2,100}'$"),
        (0.85, ".yml:", r"^\S{1,300}\.ya?ml:\d+:\d+: .{1,400} \[[a-z-]{2,40}\]$"),
        (0.75, "is not of type", r"Schema validation errors were encountered|is not of type '"),
        (0.85, "Permission to", r"Permission to \S{1,200} denied to"),
        (
            0.85,
            "is not set",
            r"ERROR: Job failed: variable \S{1,100} is not set|[Vv]ariable \S{1,100} is not set",
        ),
        (
            0.8,
            "Bad credentials",
            r"Bad credentials|[Ii]nvalid (?:API )?(?:token|credentials)|[Aa]uthentication failed for",
        ),
    ),
)


def rules_by_trigger() -> dict[str, tuple[Rule, ...]]:
    grouped: dict[str, list[Rule]] = {}
    for rule in RULES:
        for trigger in rule.triggers:
            grouped.setdefault(trigger, []).append(rule)
    return {trigger: tuple(rules) for trigger, rules in grouped.items()}


OVERRIDE_TRIGGERS: tuple[tuple[str, tuple[Rule, ...]], ...] = tuple(
    (trigger, tuple(rule for rule in rules if rule.overrides))
    for trigger, rules in rules_by_trigger().items()
    if any(rule.overrides for rule in rules)
)


@lru_cache(maxsize=1)
def automaton() -> ahocorasick.Automaton:
    """Every rule's trigger in one automaton: a step's text is scanned once, in C."""
    built = ahocorasick.Automaton()
    for trigger, rules in rules_by_trigger().items():
        built.add_word(trigger, rules)
    built.make_automaton()
    return built


FULL_SCAN_LINES = 1500
"""Every rule reads a step's last lines; earlier lines are searched only for the few rules that
override (a test's timeout far above the summary), with plain substring tests."""


def scan(lines: tuple[str, ...] | list[str]) -> list[Hit]:
    """The hits in a step's lines: each line holding a trigger is matched against the rules of
    the triggers it holds; a rule counts once per line."""
    split = max(0, len(lines) - FULL_SCAN_LINES)
    hits = _scan_overrides(lines, split) if split else []
    return hits + _scan(lines, split)


def _scan_overrides(lines: tuple[str, ...] | list[str], end: int) -> list[Hit]:
    head = "\n".join(lines[:end])
    hits = []
    for trigger, rules in OVERRIDE_TRIGGERS:
        if trigger not in head:
            continue
        for index in range(end):
            line = lines[index]
            if trigger in line:
                hits += [
                    Hit(r.category, r.weight, index, line, True)
                    for r in rules
                    if r.pattern.search(line)
                ]
    return hits


def _scan(lines: tuple[str, ...] | list[str], first: int) -> list[Hit]:
    text = "\n".join(lines[first:])
    starts = _line_starts(lines[first:])
    tried: set[tuple[int, int]] = set()
    hits: list[Hit] = []
    for end, rules in automaton().iter(text):
        line_index = first + _line_of(starts, end)
        for rule in rules:
            key = (line_index, id(rule))
            if key in tried:
                continue
            tried.add(key)
            line = lines[line_index]
            if rule.pattern.search(line):
                hits.append(Hit(rule.category, rule.weight, line_index, line, rule.overrides))
    return hits


def _line_starts(lines: tuple[str, ...] | list[str]) -> list[int]:
    return list(accumulate((len(line) + 1 for line in lines), initial=0))


def _line_of(starts: list[int], offset: int) -> int:
    return bisect_right(starts, offset) - 1
