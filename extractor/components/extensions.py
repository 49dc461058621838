"""Document-level extension attributes the components share, registered once.

- `doc._.published`: ISO publication date (str) that relative dates resolve against
- `doc._.published_mention`: the DateMention of the publication date in the text, if stated there
- `doc._.body_start`: character offset where the article body starts (after title, date, menu lines)
- `doc._.ignored`: [(start, end)] character ranges of page furniture (language menus, section labels)
- `doc._.lowercase`: the article is written in lower case (set by the authority recognizer)
- `doc._.sector`: the article's sector (data_protection, competition ...), set by the authority recognizer
- `doc._.sanctions`: the assembled `extractor.record.Sanction` list
"""

from __future__ import annotations

from spacy.tokens import Doc

for _name, _default in (
    ("published", None),
    ("published_mention", None),
    ("body_start", 0),
    ("ignored", None),
    ("lowercase", None),
    ("sector", None),
    ("sanctions", None),
):
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def is_lowercase(doc: Doc) -> bool:
    """Whether the article is written in lower case (machine-translated aggregators): fewer than 2% of its
    cased letters are capitals, page furniture (`doc._.ignored`, e.g. a language menu) left out."""
    text = doc.text
    for a, b in sorted(doc._.ignored or [], reverse=True):
        text = text[:a] + text[b:]
    upper = sum(1 for c in text if c.isupper())
    cased = sum(1 for c in text if c.isupper() or c.islower())
    return cased > 0 and upper <= 0.02 * cased
