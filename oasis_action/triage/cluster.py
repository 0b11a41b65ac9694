"""Group failures: the same masked signature, then logs whose TF-IDF vectors are close."""

from __future__ import annotations

from dataclasses import dataclass, field

from oasis_action.triage.model import TriageModel, prepare
from oasis_action.triage.rules import Classification


@dataclass
class Cluster:
    signature: str
    category: str
    members: list[str] = field(default_factory=list)
    vector: dict[int, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {
            "count": len(self.members),
            "category": self.category,
            "signature": self.signature,
            "example": self.members[0],
            "files": self.members,
        }


def _cosine(a: dict[int, float], b: dict[int, float]) -> float:
    return sum(v * b.get(k, 0.0) for k, v in a.items())


def cluster(
    named: list[tuple[str, str, Classification]], model: TriageModel, similarity: float
) -> list[Cluster]:
    """`named` is (name, text, verdict). Greedy: join the first cluster at >= similarity."""
    clusters: list[Cluster] = []
    for name, text, verdict in named:
        index, weights = model.features(prepare(text))
        vector = dict(zip(index.tolist(), weights.tolist(), strict=True))
        home = next(
            (
                c
                for c in clusters
                if c.signature == verdict.signature
                or (c.category == verdict.category and _cosine(c.vector, vector) >= similarity)
            ),
            None,
        )
        if home is None:
            clusters.append(Cluster(verdict.signature, verdict.category, [name], vector))
        else:
            home.members.append(name)
    return sorted(clusters, key=lambda c: -len(c.members))
