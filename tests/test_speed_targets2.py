"""Second speed pass on targets and the assembler: the fast forms must give what the plain ones give."""

import unicodedata
from pathlib import Path

import pytest

SAMPLES = Path(__file__).resolve().parent.parent / "samples"


def _full_normalize(name: str, suffixes: set[str]) -> str:
    """`normalize_name` as it was, decomposing every name."""
    from extractor.components import targets

    s = unicodedata.normalize("NFKD", name.casefold())
    s = "".join(c for c in s if not unicodedata.combining(c))
    s = targets._POSSESSIVE.sub("", s)
    words = targets._NOT_NAME_CHARS.sub(" ", s).split()
    while len(words) > 1 and words[-1].replace(".", "") in suffixes:
        words.pop()
    return " ".join(words)


def test_normalize_name_matches_the_full_decomposition():
    from extractor.components.targets import _default_suffixes, normalize_name

    suffixes = _default_suffixes()
    names = [
        "Google LLC",
        "Meta Platforms Ireland Ltd.",
        "Clearview AI's",
        "1&1 Telecom GmbH",
        "Société Générale S.A.",
        "STRAßE AG",
        "\u212aakao Corp",  # the Kelvin sign case-folds to an ASCII k
        "ﬁnanz Inc",  # a ligature NFKD splits
        "Ｇｏｏｇｌｅ",  # full-width letters
        "구글코리아",
        "谷歌公司",
        "Crédit Agricole",
        "Ørsted A/S",
        "Tıktok",
        "İş Bankası",
        "e\u0301df",  # a combining accent written apart
        "",
        "  spaced   name  ",
    ]
    for path in sorted(SAMPLES.glob("*/*.txt"))[:40]:
        names.extend(line[:40] for line in path.read_text(encoding="utf-8").splitlines()[:5] if line.strip())
    for name in names:
        assert normalize_name(name, suffixes) == _full_normalize(name, suffixes), name


@pytest.mark.parametrize("lang", sorted(p.name for p in SAMPLES.iterdir() if p.is_dir()))
def test_token_lower_is_the_text_lower_cased(lang):
    """The target search makes a token's lower-case form from its text (`_Article.lowers`)."""
    from extractor.pipeline import load

    nlp = load(lang)
    for path in sorted((SAMPLES / lang).glob("*.txt")):
        doc = nlp.make_doc(path.read_text(encoding="utf-8"))
        assert [t.lower_ for t in doc] == [t.text.lower() for t in doc], path.name


def test_to_eur_gives_what_convert_gives_for_a_date():
    """`to_eur` hands the converter a datetime (no AttributeError raised and caught per call)."""
    import datetime as dt
    import random

    from extractor.conversion import _converter, to_eur

    conv = _converter()
    rng = random.Random(7)
    for currency in sorted(conv.currencies - {"EUR"}):
        first, last = conv.bounds[currency]
        span = (last - first).days
        for _ in range(25):
            day = first + dt.timedelta(days=rng.randint(0, span))
            value = rng.choice([1, 7.5, 1234.56, 10**9, 3 * 10**12])
            try:
                expected = (round(conv.convert(float(value), currency, "EUR", date=day), 2), day.isoformat(), None)
            except Exception as exc:
                expected = (None, None, f"no ECB rate for {currency} on {day.isoformat()}: {exc}")
            assert to_eur(value, currency, day) == expected, (currency, day)
