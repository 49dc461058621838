"""Tokenizers for scripts written without spaces between words (Japanese, and optionally Chinese and
Korean): every Han, kana or Hangul character is one token, runs of Latin letters and digits stay whole.
Phrase patterns tokenized the same way still match, and nothing needs a dictionary or a download."""

from __future__ import annotations

import re

from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

_TOKEN = re.compile(
    r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f]"  # one CJK char
    r"|\d+(?:[.,]\d+)*"  # a number with its separators
    r"|[^\W\d_\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7a3]+(?:['’.&-][^\W\d_]+)*"  # a word in a spaced script
    r"|\S"  # any other character
)


class CharacterTokenizer:
    """Splits text into CJK characters, numbers, words and single symbols; keeps offsets exact."""

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        words: list[str] = []
        spaces: list[bool] = []
        pos = 0
        for m in _TOKEN.finditer(text):
            if m.start() > pos:
                gap = text[pos : m.start()]
                if words and gap == " ":
                    spaces[-1] = True
                else:
                    if words and gap.startswith(" "):
                        spaces[-1] = True
                        gap = gap[1:]
                    words.append(gap)
                    spaces.append(False)
            words.append(m.group(0))
            spaces.append(False)
            pos = m.end()
        if pos < len(text):
            gap = text[pos:]
            if words and gap == " ":
                spaces[-1] = True
            else:
                if words and gap.startswith(" "):
                    spaces[-1] = True
                    gap = gap[1:]
                words.append(gap)
                spaces.append(False)
        return Doc(self.vocab, words=words, spaces=spaces)

    def pipe(self, texts, batch_size: int = 1000):
        for t in texts:
            yield self(t)

    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> CharacterTokenizer:
        return self

    def to_disk(self, path, **kwargs) -> None:
        return None

    def from_disk(self, path, **kwargs) -> CharacterTokenizer:
        return self


@registry.tokenizers("enforcement.CharacterTokenizer.v1")
def create_character_tokenizer():
    def make(nlp) -> CharacterTokenizer:
        return CharacterTokenizer(nlp.vocab)

    return make
