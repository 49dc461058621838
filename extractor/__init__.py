"""Structured records of the sanctions that enforcement news reports.

from extractor import extract
record = extract(text, published="2024-09-03")
record.to_dict()
"""

from extractor.api import Extractor, extract
from extractor.record import SCHEMA, Record, Sanction

__all__ = ["Extractor", "Record", "SCHEMA", "Sanction", "extract"]
__version__ = "0.1.0"
