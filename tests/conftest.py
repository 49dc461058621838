"""Shared fixtures: one Extractor per test session (pipelines load once)."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractor import Extractor

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT.parent / "shared" / "seeds" / "000_47a2ec997fc8057a.txt"


@pytest.fixture(scope="session")
def extractor() -> Extractor:
    return Extractor()


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
