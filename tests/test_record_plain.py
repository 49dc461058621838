"""`record.plain` gives what `dataclasses.asdict` gave, without its deep copies."""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from extractor import Extractor
from extractor.record import Record, Source, plain

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def test_plain_is_asdict_on_every_sample_record():
    ex = Extractor()
    paths = sorted(SAMPLES.glob("*/*.txt"))[::4]
    assert len(paths) >= 15
    sanctions = 0
    for path in paths:
        record = ex.extract_path(path)
        sanctions += len(record.sanctions)
        for part in [record.source, record.published, *record.sanctions, *record.errors]:
            if part is not None:
                assert plain(part) == asdict(part), path
    assert sanctions > 30


def test_plain_rebuilds_containers():
    record = Record(source=Source("a.txt", "0" * 64, "txt"), text="x")
    d = plain(record)
    assert d["source"] == {"path": "a.txt", "sha256": "0" * 64, "format": "txt", "line": None, "url": None}
    assert d["sanctions"] == [] and d["sanctions"] is not record.sanctions
    assert plain({"k": [1, (2, 3)]}) == {"k": [1, (2, 3)]}
