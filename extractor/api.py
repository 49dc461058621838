"""The library API: `extract()` for one text, `Extractor` for many texts or files with pipelines loaded once."""

from __future__ import annotations

import sys
import traceback
from collections.abc import Iterable, Iterator
from pathlib import Path

from spacy.language import Language

from extractor import language as langid
from extractor import pipeline, reading, resources
from extractor.components.extensions import keep_text
from extractor.record import DateValue, Record, RecordError, Source


class Extractor:
    """Turns articles into `Record`s. Pipelines are loaded on first use per language and then reused.

    language: force one language for every article (else each is identified).
    config: a pipeline config name or path (default: the shipped `default.cfg`).
    max_bytes: inputs larger than this become error records.
    """

    def __init__(
        self, language: str | None = None, config: str = pipeline.DEFAULT_CONFIG, max_bytes: int = reading.MAX_BYTES
    ) -> None:
        self.language = language
        self.config = config
        self.max_bytes = max_bytes
        self._nlp: dict[str, Language] = {}

    def nlp(self, lang: str) -> Language:
        """The loaded pipeline of a language."""
        if lang not in self._nlp:
            self._nlp[lang] = pipeline.load(lang, self.config)
        return self._nlp[lang]

    # -- one article --------------------------------------------------------------------------------
    def extract(
        self, text: str, *, published: str | None = None, language: str | None = None, source: Source | None = None
    ) -> Record:
        """The record of one article given as text. `published` (YYYY-MM-DD) overrides what the text says."""
        source = source or reading.source_of(None, text.encode("utf-8", "surrogatepass"), "txt")
        record = Record(source=source, text=text)
        try:
            self._fill(record, text, published, language or self.language)
        except Exception as exc:  # one bad article must not stop a batch
            record.sanctions = []
            record.errors.append(RecordError("internal", f"{type(exc).__name__}: {exc}"))
            traceback.print_exc(file=sys.stderr)
        return record

    def extract_item(
        self,
        item: reading.Item,
        *,
        fields: reading.Fields | None = None,
        published: str | None = None,
        language: str | None = None,
    ) -> Record:
        """The record of one input article (`reading.iter_items`): read errors become error records.

        The date of an HTML page's or a JSON object's metadata is the article's publication date; `published`
        is used for inputs that have none.
        """
        try:
            article = reading.article_of(item, fields)
        except reading.ReadError as err:
            return Record(source=item.source(), text="", errors=[RecordError(err.type, err.message)])
        record = self.extract(
            article.text,
            published=article.published or published,
            language=language,
            source=item.source(article.url),
        )
        if article.title:
            record.title = article.title
        return record

    def extract_file(
        self,
        path: str | Path,
        *,
        published: str | None = None,
        language: str | None = None,
        fields: reading.Fields | None = None,
        format: str | None = None,
    ) -> Iterator[Record]:
        """The records of one file, in order: one for a text, Markdown or HTML file, one per article of a
        JSON or JSON Lines file; `-` reads standard input. `format` overrides the one the suffix gives."""
        for item in reading.iter_items(path, self.max_bytes, format):
            yield self.extract_item(item, fields=fields, published=published, language=language)

    def extract_path(self, path: str | Path, *, published: str | None = None, language: str | None = None) -> Record:
        """The record of a file holding one article; unreadable, empty, binary or undecodable files give an
        error record. A JSON file with several articles raises ValueError: use `extract_file`."""
        records = list(self.extract_file(path, published=published, language=language))
        if len(records) != 1:
            raise ValueError(f"{path}: holds {len(records)} articles; use Extractor.extract_file")
        return records[0]

    def pipe(self, items: Iterable[str | Path], *, language: str | None = None) -> Iterator[Record]:
        """Records for many inputs, in order: `Path` objects are read as files (every article of a JSON or
        JSON Lines file), strings are article texts."""
        for item in items:
            if isinstance(item, Path):
                yield from self.extract_file(item, language=language)
            else:
                yield self.extract(item, language=language)

    # -- internals ----------------------------------------------------------------------------------
    def _fill(self, record: Record, text: str, published: str | None, language: str | None) -> None:
        if not text.strip():
            record.errors.append(RecordError("empty", "the article has no text"))
            return
        if language:
            lang, conf = language, 1.0
        else:
            lang, conf = langid.detect(text)
        record.language, record.language_confidence = lang, conf
        if lang not in resources.available_languages():
            record.errors.append(
                RecordError(
                    "unsupported_language",
                    f"no lexicon for language {lang!r}; supported: {', '.join(resources.available_languages())}",
                )
            )
            return
        header = reading.parse_header(text, lang, published)
        record.title = header.title
        record.outlet = header.outlet
        if header.published is not None:
            p = header.published
            # a date given from outside the text (argument, page or object metadata) has no offsets: an
            # empty span at 0, so that offsets stay valid indexes into the text
            start, end = (p.start, p.end) if p.start >= 0 else (0, 0)
            record.published = DateValue(p.value, p.precision, p.text, start, end)
        nlp = self.nlp(lang)
        doc = nlp.make_doc(text)
        keep_text(doc, text)
        doc._.published = header.published.value if header.published else None
        doc._.published_mention = header.published if header.published and header.published.start >= 0 else None
        doc._.body_start = header.body_start
        doc._.ignored = header.ignored
        doc = nlp(doc)
        record.sanctions = list(doc._.sanctions or [])


_DEFAULT: Extractor | None = None


def extract(text: str, *, published: str | None = None, language: str | None = None) -> Record:
    """Extract the sanctions reported in one article (a shared `Extractor` is created on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT.extract(text, published=published, language=language)
