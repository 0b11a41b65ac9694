"""HTTP under PyGithub: every attempt counted against the budget, retried or waited out by policy.

PyGithub's own urllib3 retries are switched off (retry=0) so that each attempt passes through
here: a budget that stops at exactly N requests, backoff with jitter on 5xx and connection
errors for reads only, `Retry-After` / `x-ratelimit-reset` waits for rate limits, ETag caching.
"""

from __future__ import annotations

import json
import random
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import requests
from github import Requester as requester_module

from oasis_action.errors import BudgetExhausted, OasisError
from oasis_action.github.failures import GitHubError

READ_METHODS = frozenset({"GET", "HEAD"})
RETRYABLE_STATUS = frozenset({500, 502, 503, 504})
MAX_WAIT_SECONDS = 900.0


class RateLimited(OasisError):
    """GitHub asked us to wait longer than we are willing to."""


@dataclass
class Budget:
    """Requests allowed for the run, and how many were made."""

    limit: int
    used: int = 0

    def spend(self, method: str, url: str) -> None:
        if self.used >= self.limit:
            raise BudgetExhausted(
                f"request budget of {self.limit} API calls spent before {method} {url.split('?')[0]}"
            )
        self.used += 1


@dataclass
class Policy:
    attempts: int = 5
    base_delay: float = 1.0
    max_delay: float = 30.0
    max_wait: float = MAX_WAIT_SECONDS
    sleep: Callable[[float], None] = field(default=lambda seconds: time.sleep(seconds))
    jitter: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with full jitter (AWS's recommendation)."""
        return min(self.max_delay, self.base_delay * 2**attempt) * (0.5 + self.jitter() / 2)


def rate_limit_wait(status: int, headers: Any, now: float) -> float | None:
    """Seconds GitHub asks us to wait, or None when the response is no rate limit."""
    if status not in (403, 429):
        return None
    retry_after = headers.get("retry-after")
    if retry_after is not None:
        return float(retry_after)
    if headers.get("x-ratelimit-remaining") == "0" and headers.get("x-ratelimit-reset"):
        return max(0.0, float(headers["x-ratelimit-reset"]) - now) + 1
    return None


@dataclass
class Transport:
    """Shared by every connection of one client."""

    budget: Budget
    policy: Policy = field(default_factory=Policy)
    log: Callable[[str], None] = lambda message: None
    read_only: bool = False
    writes_per_minute: int = 80
    recent_writes: deque[float] = field(default_factory=deque)
    clock: Callable[[], float] = field(default=lambda: time.monotonic())
    etags: dict[str, tuple[str, requests.Response]] = field(default_factory=dict)
    secrets: tuple[str, ...] = field(default=(), repr=False)
    """The token and every secret of the step: replaced by `***` in every body sent."""

    def send(
        self, session: requests.Session, method: str, url: str, **kwargs: Any
    ) -> requests.Response:
        """One logical request: every attempt counted, retried or waited out by the policy."""
        if self.read_only and method not in READ_METHODS:
            where = url.split("?")[0]
            raise OasisError(
                f"dry run: refusing to send {method} {where} (a write slipped past the dry-run port)"
            )
        headers = dict(kwargs.pop("headers", None) or {})
        if method not in READ_METHODS and not is_upload(url):
            kwargs = redact_body(kwargs, headers, self.secrets)
        for attempt in range(self.policy.attempts):
            last = attempt + 1 == self.policy.attempts
            cached = self.etags.get(url) if method == "GET" else None
            sent = {**headers, "If-None-Match": cached[0]} if cached else headers
            self.budget.spend(method, url)
            if method not in READ_METHODS:
                self._pace_write()
            try:
                response = session.request(method, url, headers=sent, **kwargs)
            except (requests.ConnectionError, requests.Timeout) as error:
                if method not in READ_METHODS or last:
                    where = url.split("?")[0]
                    raise GitHubError(
                        f"GitHub did not answer {method} {where}: {type(error).__name__}", None
                    ) from error
                self._pause(self.policy.backoff(attempt), f"{type(error).__name__} on {method}")
                continue
            wait = None if last else self._wait_before_retry(response, method, attempt)
            if wait is None:
                return self._finish(response, method, url, cached, not kwargs.get("stream"))
            self._pause(wait, f"HTTP {response.status_code} on {method}")
        raise AssertionError("unreachable")  # pragma: no cover

    def _wait_before_retry(
        self, response: requests.Response, method: str, attempt: int
    ) -> float | None:
        """Seconds to wait before trying again, or None when this response is the answer."""
        wait = rate_limit_wait(response.status_code, response.headers, time.time())
        if wait is not None:
            if wait > self.policy.max_wait:
                raise RateLimited(
                    f"GitHub rate limit: asked to wait {wait:.0f}s, more than {self.policy.max_wait:.0f}s"
                )
            return wait
        if response.status_code in RETRYABLE_STATUS and method in READ_METHODS:
            return self.policy.backoff(attempt)
        return None

    def _finish(
        self,
        response: requests.Response,
        method: str,
        url: str,
        cached: tuple[str, requests.Response] | None,
        cacheable: bool = True,
    ) -> requests.Response:
        """A 304 is answered from the cache; a fresh 200 with an ETag is cached (never a streamed
        body: caching would read it whole)."""
        if response.status_code == 304 and cached:
            return cached[1]
        ok = method == "GET" and response.status_code == 200 and cacheable
        if ok and response.headers.get("ETag"):
            response.content  # noqa: B018 - read now so the cached response can be served again
            self.etags[url] = (response.headers["ETag"], response)
        return response

    def _pace_write(self) -> None:
        """Stay under GitHub's content-creation limit (80 writes a minute) instead of hitting it."""
        now = self.clock()
        while self.recent_writes and now - self.recent_writes[0] >= 60:
            self.recent_writes.popleft()
        if len(self.recent_writes) >= self.writes_per_minute:
            self._pause(
                60 - (now - self.recent_writes[0]),
                f"{self.writes_per_minute} writes in the last minute",
            )
            self.recent_writes.popleft()
        self.recent_writes.append(self.clock())

    def _pause(self, seconds: float, why: str) -> None:
        self.log(f"{why}: waiting {seconds:.1f}s before trying again")
        self.policy.sleep(seconds)


MASK = "***"


def redact_text(text: str, secrets: tuple[str, ...]) -> str:
    """`text` without any secret, as written or as JSON escapes it."""
    for secret in sorted(secrets, key=len, reverse=True):
        if len(secret) < 4:
            continue
        text = text.replace(secret, MASK).replace(json.dumps(secret)[1:-1], MASK)
    return text


def _redact_value(value: Any, secrets: tuple[str, ...]) -> Any:
    if isinstance(value, str):
        return redact_text(value, secrets)
    if isinstance(value, dict):
        return {k: _redact_value(v, secrets) for k, v in value.items()}
    if isinstance(value, list):
        return [_redact_value(v, secrets) for v in value]
    return value


def is_upload(url: str) -> bool:
    """A release-asset upload (uploads.github.com, or GHES's /api/uploads): file bytes, sent
    as written (what goes there is chosen by `release`, never text OASIS composed)."""
    path = url.split("?")[0]
    return "://uploads." in path or "/api/uploads/" in path


MAX_BODY = 65536
"""GitHub keeps at most this many characters of a comment, issue, pull request or release body."""
CUT_NOTE = "\n\n*(OASIS cut this text to GitHub's 65,536-character limit.)*"


def _cap(value: Any) -> Any:
    if isinstance(value, dict) and isinstance(value.get("body"), str):
        body = value["body"]
        if len(body) > MAX_BODY:
            return {**value, "body": body[: MAX_BODY - len(CUT_NOTE)] + CUT_NOTE}
    return value


def redact_body(
    kwargs: dict[str, Any], headers: dict[str, str], secrets: tuple[str, ...]
) -> dict[str, Any]:
    """The one point every write passes: JSON and text bodies lose every secret and a `body`
    field is capped at GitHub's limit; binary uploads (a model file) are sent as they are."""
    out = dict(kwargs)
    if "json" in out:
        out["json"] = _cap(_redact_value(out["json"], secrets))
    data = out.get("data")
    content_type = next((v for k, v in headers.items() if k.lower() == "content-type"), "")
    if isinstance(data, bytes) and ("json" in content_type or "text" in content_type):
        data = data.decode("utf-8", "replace")
    if isinstance(data, str):
        try:
            parsed = json.loads(data)
        except ValueError:
            parsed = None
        if isinstance(parsed, dict):
            out["data"] = json.dumps(_cap(_redact_value(parsed, secrets)))
        else:
            out["data"] = redact_text(data, secrets)
    return out


def connection_classes(transport: Transport) -> tuple[type, type]:
    """PyGithub connection classes whose requests go through `transport`."""

    def getresponse(self: Any) -> Any:
        url = f"{self.protocol}://{self.host}:{self.port}{self.url}"
        response = transport.send(
            self.session,
            self.verb.upper(),
            url,
            headers=self.headers,
            data=self.input,
            allow_redirects=False,
            timeout=self.timeout,
            verify=self.verify,
            stream=self.stream,
        )
        return requester_module.RequestsResponse(response)

    http = type(
        "OasisHTTPConnection",
        (requester_module.HTTPRequestsConnectionClass,),
        {"getresponse": getresponse},
    )
    https = type(
        "OasisHTTPSConnection",
        (requester_module.HTTPSRequestsConnectionClass,),
        {"getresponse": getresponse},
    )
    return http, https
