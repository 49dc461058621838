"""Third speed pass on the target search: what is read once per sentence must give what each trigger's own
scan gave."""

from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _by_pattern_scanning(recognizer, art, trig):
    """`TargetRecognizer._by_pattern` as it was: the patterns run on the trigger's sentence for each trigger."""
    sent = art.sentence_of_token(trig.start)
    sent_start, sent_end = art.char_bounds((sent[0], sent[1]))
    sent_text = art.text[sent_start:sent_end]
    best = None
    for pattern in recognizer.patterns:
        for m in pattern.finditer(sent_text):
            s0 = sent_start + m.start("target")
            s1 = sent_start + m.end("target")
            dist = abs(s0 - trig.start_char)
            if s1 > s0 and (best is None or dist < best[0]):
                best = (dist, s0, s1, m.group("target"))
    if best is None:
        return None, None
    return art.tokens_of(art.doc.char_span(best[1], best[2], alignment_mode="expand")), best[3]


def _languages_with_patterns() -> list[str]:
    from extractor import resources

    langs = sorted(p.name for p in SAMPLES.iterdir() if p.is_dir())
    return [lang for lang in langs if resources.lexicon(lang)["target"].get("patterns")]


@pytest.mark.parametrize("lang", _languages_with_patterns())
def test_pattern_targets_read_once_per_sentence_find_what_each_scan_found(lang):
    from extractor.components.targets import TargetRecognizer, _Article
    from extractor.pipeline import load

    nlp = load(lang)
    recognizer = next(proc for _, proc in nlp.pipeline if isinstance(proc, TargetRecognizer))
    assert recognizer.patterns
    for path in sorted((SAMPLES / lang).glob("*.txt")):
        doc = nlp(path.read_text(encoding="utf-8"))
        art = _Article(doc)
        for trig in art.triggers:
            # each trigger twice: from the sentence's stored matches and, on the second, the same again
            for _ in range(2):
                assert recognizer._by_pattern(art, trig) == _by_pattern_scanning(recognizer, art, trig), path.name
