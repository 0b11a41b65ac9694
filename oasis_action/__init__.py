"""OASIS: self-healing, self-releasing ML + DevOps toolkit for GitHub repositories."""

__version__ = "0.1.0"
