"""The local GitHub's GraphQL endpoint: every query is parsed and validated against GitHub's public
schema (../shared/github/graphql), then executed against that schema, so every answer has the
schema's shape by construction. Only the mutations OASIS sends are implemented."""

from __future__ import annotations

import gzip
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from graphql import GraphQLSchema, build_schema, graphql_sync, parse, validate

from tests.support.paths import SHARED

if TYPE_CHECKING:
    from tests.support.github.server import State

SCHEMA = SHARED / "github" / "graphql" / "schema.graphql.gz"


@lru_cache(maxsize=1)
def schema() -> GraphQLSchema:
    with gzip.open(SCHEMA, "rt", encoding="utf-8") as handle:
        # GitHub's SDL has a few deprecations newer graphql-core releases refuse in a schema;
        # the schema is GitHub's as published, so it is taken as valid and queries are checked.
        return build_schema(handle.read(), assume_valid_sdl=True, assume_valid=True)


class GraphQLError(Exception):
    """A GitHub GraphQL error: answered as `{"errors": [...]}` with HTTP 200."""


def problems(query: str) -> list[str]:
    """Why the query is not valid against GitHub's schema ([] when it is)."""
    try:
        document = parse(query)
    except Exception as error:  # noqa: BLE001 - a syntax error is a problem to report
        return [str(error)]
    return [error.message for error in validate(schema(), document)]


def answer(state: State, body: Any) -> tuple[dict[str, Any], list[str]]:
    """(response body, schema problems of the query)."""
    query = body.get("query", "") if isinstance(body, dict) else ""
    found = problems(query)
    if found:
        return {"errors": [{"message": m} for m in found]}, found
    root = {
        "enablePullRequestAutoMerge": lambda info, input: _enable_auto_merge(state, input),
        "enqueuePullRequest": lambda info, input: _enqueue(state, input),
    }
    result = graphql_sync(
        schema(), query, root_value=root, variable_values=body.get("variables") or {}
    )
    out: dict[str, Any] = {"data": result.data}
    if result.errors:
        out["errors"] = [{"message": e.message} for e in result.errors]
    return out, []


def _pull_by_node(state: State, node_id: str) -> dict[str, Any]:
    for pull in state.pulls.values():
        if pull["node_id"] == node_id:
            return pull
    raise GraphQLError(f"Could not resolve to a node with the global id of '{node_id}'")


def _guard(pull: dict[str, Any], expected: str | None) -> None:
    if pull["state"] != "open" or pull["merged"]:
        raise GraphQLError("Pull request is not open")
    if expected and expected != pull["head"]["sha"]:
        raise GraphQLError("Head branch was modified. Review and try the merge again.")


def _enable_auto_merge(state: State, data: dict[str, Any]) -> dict[str, Any]:
    pull = _pull_by_node(state, data["pullRequestId"])
    _guard(pull, data.get("expectedHeadOid"))
    method = data.get("mergeMethod") or "MERGE"
    pull["auto_merge"] = {"merge_method": method.lower(), "enabled_by": None}
    return {
        "clientMutationId": data.get("clientMutationId"),
        "pullRequest": {
            "number": pull["number"],
            "autoMergeRequest": {"enabledAt": "2026-11-30T00:00:00Z", "mergeMethod": method},
        },
    }


def _enqueue(state: State, data: dict[str, Any]) -> dict[str, Any]:
    pull = _pull_by_node(state, data["pullRequestId"])
    _guard(pull, data.get("expectedHeadOid"))
    base = pull["base"]["ref"]
    if base not in state.merge_queue_branches:
        raise GraphQLError(f"{base} does not use a merge queue")
    queue = state.merge_queues.setdefault(base, [])
    if pull["number"] not in queue:
        queue.append(pull["number"])
    return {
        "clientMutationId": data.get("clientMutationId"),
        "mergeQueueEntry": {"position": queue.index(pull["number"]) + 1, "state": "QUEUED"},
    }
