"""The sentence splitter's shortcuts give what the plain ways gave: the lower-case test told at once for texts
with many capitals, and the tokens after marks found as arrays."""

from __future__ import annotations

import random

import numpy
import spacy
from spacy.attrs import IDX, LENGTH

from extractor.components import sentences
from extractor.components.extensions import is_lowercase, keep_text

_MARKS_AND_WORDS = [*sentences._MARKS, "\n", "\n\n", " \n", "Inc.", "3.", "...", "?!", "word", "Word", "x", "é"]


def _plain_after_marks(text: str, starts: list[int], lengths: list[int]) -> list[int]:
    """Every token but the last that ends with a final mark, is a bracket or closer, or holds a line break:
    the one after it."""
    out = []
    for k in range(len(starts) - 1):
        w = text[starts[k] : starts[k] + lengths[k]]
        if w and (w[-1] in sentences._MARK_ENDS or w in sentences._MARKS or "\n" in w):
            out.append(k + 1)
    return out


def _texts(samples: list[str]) -> list[str]:
    rng = random.Random(5)
    made = [" ".join(rng.choice(_MARKS_AND_WORDS) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    made += ["".join(rng.choice(_MARKS_AND_WORDS) for _ in range(rng.randint(1, 30))) for _ in range(300)]
    return samples + made + ["", "\n", "(", "a"]


def test_tokens_after_marks_are_those_the_plain_loop_finds(cased_sample_texts: list[str]) -> None:
    nlp = spacy.blank("en")
    for text in _texts(cased_sample_texts):
        doc = nlp.make_doc(text)
        bounds = doc.to_array([IDX, LENGTH]).astype(numpy.int64).reshape(-1, 2)
        want = _plain_after_marks(text, bounds[:, 0].tolist(), bounds[:, 1].tolist())
        assert sentences._after_marks(text, bounds[:, 0], bounds[:, 1]) == want, text


def test_lowercase_shortcut_gives_what_is_lowercase_gives(cased_sample_texts: list[str]) -> None:
    nlp = spacy.blank("en")
    rng = random.Random(3)
    texts = list(cased_sample_texts)
    # around the 2% line: lower-cased texts with a share of their letters made capitals, some with ß and é
    for text in cased_sample_texts[:20]:
        for share in (0.005, 0.015, 0.02, 0.025, 0.05):
            low = text.lower()
            texts.append("".join(c.upper() if rng.random() < share else c for c in low))
            texts.append("ß é " + texts[-1])
    for text in texts:
        doc = nlp.make_doc(text)
        keep_text(doc, text)
        doc._.ignored = [(0, min(40, len(text)))] if len(text) % 2 else []
        assert sentences._is_lowercase(doc) == is_lowercase(doc)
