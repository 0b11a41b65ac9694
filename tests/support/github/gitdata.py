"""The local GitHub's git database: blobs, trees, commits and refs with git's real object ids.

Object ids are computed exactly as git computes them, so a test can compare a tree the action
built through the API with `git write-tree` of the same files in a real repository.
"""

from __future__ import annotations

import hashlib
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


def object_id(kind: str, payload: bytes) -> str:
    return hashlib.sha1(f"{kind} {len(payload)}\0".encode() + payload).hexdigest()  # noqa: S324


@dataclass(frozen=True)
class Entry:
    mode: str
    kind: str
    sha: str


@dataclass(frozen=True)
class Commit:
    sha: str
    tree: str
    parents: tuple[str, ...]
    message: str
    author: dict[str, str]
    committer: dict[str, str]


class GitConflict(Exception):
    """A request the real API refuses (422): a missing object, a non-fast-forward update."""


@dataclass
class GitStore:
    blobs: dict[str, bytes] = field(default_factory=dict)
    trees: dict[str, dict[str, Entry]] = field(default_factory=dict)
    commits: dict[str, Commit] = field(default_factory=dict)
    refs: dict[str, str] = field(default_factory=dict)
    tags: dict[str, dict[str, str]] = field(default_factory=dict)

    def add_blob(self, content: bytes) -> str:
        sha = object_id("blob", content)
        self.blobs[sha] = content
        return sha

    def add_tree(self, entries: dict[str, Entry]) -> str:
        def order(name: str) -> bytes:
            return (name + "/" if entries[name].kind == "tree" else name).encode()

        payload = b"".join(
            f"{entries[name].mode} {name}\0".encode() + bytes.fromhex(entries[name].sha)
            for name in sorted(entries, key=order)
        )
        sha = object_id("tree", payload)
        self.trees[sha] = dict(entries)
        return sha

    def add_commit(
        self,
        tree: str,
        parents: tuple[str, ...],
        message: str,
        author: dict[str, str],
        committer: dict[str, str] | None = None,
    ) -> Commit:
        if tree not in self.trees:
            raise GitConflict("Tree SHA does not exist")
        for parent in parents:
            if parent not in self.commits:
                raise GitConflict("Parent SHA does not exist or is not a commit object")
        committer = committer or author
        lines = [f"tree {tree}", *(f"parent {p}" for p in parents)]
        lines += [f"author {_signature(author)}", f"committer {_signature(committer)}", ""]
        sha = object_id("commit", ("\n".join(lines) + "\n" + message).encode())
        commit = Commit(sha, tree, parents, message, dict(author), dict(committer))
        self.commits[sha] = commit
        return commit

    def files(self, tree: str, prefix: str = "") -> dict[str, bytes]:
        """Every file of a tree, by path."""
        out: dict[str, bytes] = {}
        for name, entry in self.trees[tree].items():
            path = f"{prefix}{name}"
            if entry.kind == "tree":
                out.update(self.files(entry.sha, path + "/"))
            else:
                out[path] = self.blobs[entry.sha]
        return out

    def lookup(self, tree: str, path: str) -> Entry | None:
        parts = path.strip("/").split("/")
        entries = self.trees.get(tree, {})
        for depth, part in enumerate(parts):
            entry = entries.get(part)
            if entry is None or depth == len(parts) - 1:
                return entry
            if entry.kind != "tree":
                return None
            entries = self.trees[entry.sha]
        return None

    def apply(self, base_tree: str | None, changes: dict[str, Entry | None]) -> str:
        """A new tree: `base_tree` with each path set to an entry, or removed (None)."""
        entries = dict(self.trees[base_tree]) if base_tree else {}
        nested: dict[str, dict[str, Entry | None]] = {}
        for path, entry in changes.items():
            head, _, rest = path.partition("/")
            if rest:
                nested.setdefault(head, {})[rest] = entry
            elif entry is None:
                entries.pop(head, None)
            else:
                entries[head] = entry
        for name, sub in nested.items():
            current = entries.get(name)
            base = current.sha if current is not None and current.kind == "tree" else None
            sha = self.apply(base, sub)
            if self.trees[sha]:
                entries[name] = Entry("40000", "tree", sha)
            else:
                entries.pop(name, None)
        return self.add_tree(entries)

    def import_repository(self, path: Path, branch: str = "main") -> str:
        """Load a real local repository's history (all commits of HEAD) under refs/heads/<branch>."""

        for sha in _git(path, "rev-list", "--reverse", "HEAD").decode().split():
            self._import_commit(path, sha)
        head = _git(path, "rev-parse", "HEAD").decode().strip()
        self.refs[f"heads/{branch}"] = head
        return head

    def _import_commit(self, path: Path, sha: str) -> None:
        raw = _git(path, "cat-file", "commit", sha).decode()
        header, _, message = raw.partition("\n\n")
        fields: dict[str, list[str]] = {}
        for line in header.splitlines():
            key, _, value = line.partition(" ")
            fields.setdefault(key, []).append(value)
        self._import_tree(path, fields["tree"][0])
        commit = Commit(
            sha,
            fields["tree"][0],
            tuple(fields.get("parent", [])),
            message,
            _parse_signature(fields["author"][0]),
            _parse_signature(fields["committer"][0]),
        )
        self.commits[sha] = commit

    def _import_tree(self, path: Path, sha: str) -> None:
        if sha in self.trees:
            return
        listing = _git(path, "ls-tree", "-z", sha).decode()
        entries: dict[str, Entry] = {}
        for item in filter(None, listing.split("\0")):
            meta, name = item.split("\t", 1)
            mode, kind, entry_sha = meta.split()
            entries[name] = Entry(mode.lstrip("0") if kind == "tree" else mode, kind, entry_sha)
            if kind == "tree":
                self._import_tree(path, entry_sha)
            elif kind == "blob":
                self.blobs[entry_sha] = _git(path, "cat-file", "blob", entry_sha)
        self.trees[sha] = entries


def _git(path: Path, *args: str) -> bytes:
    return subprocess.run(["git", "-C", str(path), *args], check=True, capture_output=True).stdout


def _signature(person: dict[str, str]) -> str:
    return f"{person['name']} <{person['email']}> {person.get('epoch', '0')} +0000"


def _parse_signature(text: str) -> dict[str, str]:
    name, _, rest = text.partition(" <")
    email, _, when = rest.partition("> ")
    epoch = when.split()[0] if when else "0"
    return {
        "name": name,
        "email": email,
        "epoch": epoch,
        "date": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(int(epoch))),
    }
