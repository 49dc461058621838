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


SAMPLE_FILES = sorted((ROOT / "samples").glob("*/*.txt"))


@pytest.fixture(scope="session")
def cased_sample_texts() -> list[str]:
    """Every sample article as written, upper-cased and lower-cased: the texts the fast phrase searches are
    compared with the patterns they replace on."""
    texts = [p.read_text(encoding="utf-8") for p in SAMPLE_FILES]
    return texts + [t.upper() for t in texts] + [t.lower() for t in texts]
