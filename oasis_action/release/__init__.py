"""Releasing a model: changelog from Conventional Commits, the regression gate, the GitHub Release."""
