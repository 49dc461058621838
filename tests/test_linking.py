"""Every authority a sample's gold record names is linked to its knowledge-base id somewhere in that
article's authority mentions (issue: regulators linked and normalised)."""

from __future__ import annotations

import json

from extractor import reading
from extractor.components.extensions import keep_text
from extractor.regulators import knowledge_base


def test_every_gold_authority_is_linked_in_its_article(extractor, root):
    kb = knowledge_base()
    unlinked = []
    for line in (root / "samples" / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        gold = json.loads(line)
        path = root / "samples" / gold["path"]
        text = path.read_text(encoding="utf-8")
        lang = gold["language"]
        header = reading.parse_header(text, lang, None)
        nlp = extractor.nlp(lang)
        doc = nlp.make_doc(text)
        keep_text(doc, text)
        doc._.published = header.published.value if header.published else None
        doc._.body_start = header.body_start
        doc._.ignored = header.ignored
        doc = nlp(doc)
        linked = {s._.authority.id for s in doc.spans["authority"] if s._.authority.id}
        for sanction in gold["sanctions"]:
            wanted = (sanction.get("authority") or {}).get("id")
            if wanted in kb.by_id and wanted not in linked:
                unlinked.append((gold["path"], wanted))
    assert unlinked == []
