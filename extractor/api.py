"""The library API: `extract()` for one text, `Extractor` for many texts or files with pipelines loaded once."""

from __future__ import annotations

import contextlib
import sys
import traceback
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from extractor import language as langid
from extractor import pipeline, reading, resources
from extractor.components.extensions import keep_text
from extractor.record import DateValue, Record, RecordError, Source

# Articles are run through the pipeline in batches: each component over the whole batch before the next
# one (as spaCy's `Language.pipe` does for its batched components). A component's code and data stay in
# the CPU caches while it works through the batch; one article at a time through every component took
# 13-24% more CPU per article in benchmarks/throughput.py. A batch also closes at BATCH_CHARS characters,
# so that very long articles are not held as Docs together.
BATCH_SIZE = 64
BATCH_CHARS = 1_000_000


class ArticleFailure(Exception):
    """Raised by a step guard (see `Extractor.extract_batch`) to end one article with an error of its own
    type, e.g. a time limit: the article gets that error record, the rest of the batch goes on."""

    def __init__(self, type: str, message: str) -> None:
        super().__init__(message)
        self.type = type
        self.message = message


@dataclass
class Job:
    """One article on its way through a batch: what it came from, its record, and its Doc while it is
    being processed. Make them with `Extractor.text_job` and `Extractor.item_job`."""

    record: Record
    text: str | None = None
    item: reading.Item | None = None
    fields: reading.Fields | None = None
    published: str | None = None
    language: str | None = None
    title: str | None = None  # the input's own title (HTML page, JSON field): it wins over the header's
    nlp: Language | None = None
    doc: Doc | None = None

    @property
    def size(self) -> int:
        """The article's size in characters (bytes for an item not read yet), to bound a batch."""
        if self.text is not None:
            return len(self.text)
        return len(self.item.data or b"") if self.item is not None else 0


# a step guard: the context every step of one article runs in (nullcontext: none)
Guard = Callable[[Job], contextlib.AbstractContextManager[None]]


class Extractor:
    """Turns articles into `Record`s. Pipelines are loaded on first use per language and then reused.

    language: force one language for every article (else each is identified).
    config: a pipeline config name or path (default: the shipped `default.cfg`).
    max_bytes: inputs larger than this become error records.
    batch_size: how many articles `pipe` and `extract_file` run through the pipeline together.
    """

    def __init__(
        self,
        language: str | None = None,
        config: str = pipeline.DEFAULT_CONFIG,
        max_bytes: int = reading.MAX_BYTES,
        batch_size: int = BATCH_SIZE,
    ) -> None:
        self.language = language
        self.config = config
        self.max_bytes = max_bytes
        self.batch_size = max(1, batch_size)
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
        job = self.text_job(text, published=published, language=language, source=source)
        self.extract_batch([job])
        return job.record

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
        job = self.item_job(item, fields=fields, published=published, language=language)
        self.extract_batch([job])
        return job.record

    # -- many articles ------------------------------------------------------------------------------
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
        jobs = (
            self.item_job(item, fields=fields, published=published, language=language)
            for item in reading.iter_items(path, self.max_bytes, format)
        )
        yield from self._batched(jobs)

    def extract_path(self, path: str | Path, *, published: str | None = None, language: str | None = None) -> Record:
        """The record of a file holding one article; unreadable, empty, binary or undecodable files give an
        error record. A JSON file with several articles raises ValueError: use `extract_file`."""
        records = list(self.extract_file(path, published=published, language=language))
        if len(records) != 1:
            raise ValueError(f"{path}: holds {len(records)} articles; use Extractor.extract_file")
        return records[0]

    def pipe(self, items: Iterable[str | Path], *, language: str | None = None) -> Iterator[Record]:
        """Records for many inputs, in order: `Path` objects are read as files (every article of a JSON or
        JSON Lines file), strings are article texts. Articles go through the pipeline in batches."""

        def jobs() -> Iterator[Job]:
            for item in items:
                if isinstance(item, Path):
                    for found in reading.iter_items(item, self.max_bytes):
                        yield self.item_job(found, language=language)
                else:
                    yield self.text_job(item, language=language)

        yield from self._batched(jobs())

    # -- batches ------------------------------------------------------------------------------------
    def text_job(
        self, text: str, *, published: str | None = None, language: str | None = None, source: Source | None = None
    ) -> Job:
        """The job of an article given as text."""
        source = source or reading.source_of(None, text.encode("utf-8", "surrogatepass"), "txt")
        return Job(Record(source=source, text=text), text=text, published=published, language=language)

    def item_job(
        self,
        item: reading.Item,
        *,
        fields: reading.Fields | None = None,
        published: str | None = None,
        language: str | None = None,
    ) -> Job:
        """The job of an input article, read when its batch runs."""
        return Job(
            Record(source=item.source(), text=""), item=item, fields=fields, published=published, language=language
        )

    def extract_batch(self, jobs: list[Job], guard: Guard | None = None) -> None:
        """Run the jobs' articles through their pipelines together, filling each job's record.

        Each step of an article (reading, identification and tokenization, each component, the record)
        runs inside `guard(job)` when given (e.g. a time limit per article). A step that raises ends that
        article with an error record, `ArticleFailure`'s type or "internal"; the others go on.
        """
        guard = guard or _no_guard
        for job in jobs:
            self._step(job, guard, self._start)
        # each language's articles together, in their order, through each component in turn
        groups: dict[Language, list[Job]] = {}
        for job in jobs:
            if job.doc is not None and job.nlp is not None:
                groups.setdefault(job.nlp, []).append(job)
        for nlp, group in groups.items():
            for _name, proc in nlp.pipeline:
                step = partial(_apply, proc=proc)
                for job in group:
                    if job.doc is not None:
                        self._step(job, guard, step)
        for job in jobs:
            if job.doc is not None:
                self._step(job, guard, _finish)
            if job.title:
                job.record.title = job.title
            job.doc = job.nlp = None

    def _batched(self, jobs: Iterable[Job]) -> Iterator[Record]:
        """The records of the jobs, in order, run in batches of `batch_size` articles (or BATCH_CHARS)."""
        for batch in batches(jobs, self.batch_size):
            self.extract_batch(batch)
            yield from (job.record for job in batch)

    # -- the steps of one article -------------------------------------------------------------------
    def _step(self, job: Job, guard: Guard, step: Callable[[Job], None]) -> None:
        """One step of one article; a failure becomes the article's error record and ends its work."""
        try:
            with guard(job):
                step(job)
        except (ArticleFailure, reading.ReadError) as failure:  # the article's own error: no traceback
            _failed(job, RecordError(failure.type, failure.message))
        except Exception as exc:  # one bad article must not stop a batch
            _failed(job, RecordError("internal", f"{type(exc).__name__}: {exc}"))
            traceback.print_exc(file=sys.stderr)

    def _start(self, job: Job) -> None:
        """Read the article (an item), identify its language, read its header and make its Doc."""
        if job.item is not None:
            article = reading.article_of(job.item, job.fields)  # a ReadError ends the article in _step
            job.text = article.text
            job.record = Record(source=job.item.source(article.url), text=article.text)
            job.published = article.published or job.published
            job.title = article.title
        text = job.text or ""
        record = job.record
        if not text.strip():
            record.errors.append(RecordError("empty", "the article has no text"))
            return
        language = job.language or self.language
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
        header = reading.parse_header(text, lang, job.published)
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
        job.nlp, job.doc = nlp, doc


def batches(jobs: Iterable[Job], size: int = BATCH_SIZE, chars: int = BATCH_CHARS) -> Iterator[list[Job]]:
    """The jobs in order, in batches of at most `size` articles that close once they hold `chars` characters
    (an article longer than that is a batch of its own), so that long articles are not held as Docs together."""
    batch: list[Job] = []
    held = 0
    for job in jobs:
        if batch and held + job.size > chars:
            yield batch
            batch, held = [], 0
        batch.append(job)
        held += job.size
        if len(batch) >= size:
            yield batch
            batch, held = [], 0
    if batch:
        yield batch


def _apply(job: Job, proc: Callable[[Doc], Doc]) -> None:
    """One pipeline component on one article's Doc."""
    job.doc = proc(job.doc)  # type: ignore[arg-type]


def _finish(job: Job) -> None:
    """The article's sanctions into its record."""
    job.record.sanctions = list(job.doc._.sanctions or [])  # type: ignore[union-attr]


def _failed(job: Job, error: RecordError) -> None:
    job.record.sanctions = []
    job.record.errors.append(error)
    job.doc = None


def _no_guard(job: Job) -> contextlib.AbstractContextManager[None]:
    return contextlib.nullcontext()


_DEFAULT: Extractor | None = None


def extract(text: str, *, published: str | None = None, language: str | None = None) -> Record:
    """Extract the sanctions reported in one article (a shared `Extractor` is created on first use)."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Extractor()
    return _DEFAULT.extract(text, published=published, language=language)
