"""The `extractor` command: run, eval, regulators."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

from extractor import batch
from extractor import evaluate as evaluation
from extractor.reading import FORMAT_NAMES, MAX_BYTES, Fields

FAILURES = {"unreadable", "empty", "binary", "encoding", "too_large", "internal", "unsupported_language"}


def iter_inputs(inputs: list[str]) -> Iterator[Path]:
    """Files as given (`-` for standard input), and folders walked recursively in sorted order (article
    formats only: text, Markdown, HTML, JSON, JSON Lines)."""
    for path in batch.input_paths(inputs):
        yield Path(path)


def _fields(value: str | None, default: tuple[str, ...]) -> tuple[str, ...]:
    if not value:
        return default
    return tuple(f.strip() for f in value.split(",") if f.strip()) or default


def cmd_run(args: argparse.Namespace) -> int:
    defaults = Fields()
    settings = batch.Settings(
        language=args.lang,
        published=args.published,
        max_bytes=args.max_bytes,
        timeout=args.timeout or None,
        fields=Fields(
            text=_fields(args.text_field, defaults.text),
            title=_fields(args.title_field, defaults.title),
            date=_fields(args.date_field, defaults.date),
            url=_fields(args.url_field, defaults.url),
        ),
        format=args.format,
    )
    if args.resume and args.output == "-":
        print("extractor: --resume needs an output file (-o FILE)", file=sys.stderr)
        return 2
    try:
        if args.engine == "dask":
            try:
                import distributed  # noqa: F401
            except ImportError:
                print('extractor: the Dask engine needs pip install "enforcement-extractor[dask]"', file=sys.stderr)
                return 2
            from extractor.distributed import run_dask

            summary = run_dask(
                args.inputs,
                args.output,
                scheduler=args.scheduler,
                settings=settings,
                resume=args.resume,
                quiet=args.quiet,
                workers=args.workers,
            )
        else:
            summary = batch.run(
                args.inputs, args.output, settings, workers=args.workers, resume=args.resume, quiet=args.quiet
            )
    except KeyboardInterrupt:
        print("extractor: interrupted; rerun with --resume to go on", file=sys.stderr)
        return 130
    except OSError as exc:  # the output cannot be written
        print(f"extractor: {exc.filename or args.output}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    return 1 if summary.failed else 0


def cmd_eval(args: argparse.Namespace) -> int:
    tallies = evaluation.evaluate(Path(args.gold), Path(args.output), strict=args.strict)
    print(evaluation.report(tallies))
    if args.details:
        print()
        print(evaluation.details(Path(args.gold), Path(args.output)))
    if args.json:
        payload = {
            lang: {
                "articles": t.articles,
                "precision": t.precision,
                "recall": t.recall,
                "f1": t.f1,
                "fields": {f: t.accuracy(f) for f in evaluation.FIELDS},
            }
            for lang, t in tallies.items()
        }
        Path(args.json).write_text(json.dumps(payload, indent=2), encoding="utf-8")
    return 0


def cmd_regulators(args: argparse.Namespace) -> int:
    from extractor.regulators import knowledge_base

    kb = knowledge_base()
    rows = kb.search(args.query) if args.query else kb.entries
    if args.country:
        rows = [r for r in rows if r.country == args.country.upper()]
    if args.sector:
        rows = [r for r in rows if r.sector == args.sector]
    if args.json:
        for r in rows:
            print(json.dumps(r.to_dict(), ensure_ascii=False))
    else:
        for r in rows:
            abbr = f" ({', '.join(r.abbreviations)})" if r.abbreviations else ""
            print(f"{r.id:28} {r.country:3} {r.sector:16} {r.name_en}{abbr}")
        print(f"{len(rows)} of {len(kb.entries)} authorities", file=sys.stderr)
    return 0


def _read_records(path: str) -> list[dict] | None:
    from extractor.review import read_records

    try:
        return read_records(path)
    except (OSError, ValueError) as e:
        print(f"extractor: {e}", file=sys.stderr)
        return None


def _open_output(path: str, newline: str | None = None):
    if path == "-":
        return contextlib.nullcontext(sys.stdout)
    return open(path, "w", encoding="utf-8", newline=newline)  # noqa: SIM115


def cmd_show(args: argparse.Namespace) -> int:
    import os
    import shutil

    from extractor import show

    records = _read_records(args.records)
    if records is None:
        return 2
    try:
        with _open_output(args.output, newline="" if args.format == "csv" else None) as out:
            if args.format == "csv":
                show.write_csv(records, out, include_rejected=args.all)
            else:
                tty = args.output == "-" and sys.stdout.isatty()
                color = args.color == "always" or (args.color == "auto" and tty and not os.environ.get("NO_COLOR"))
                cols = args.width or (shutil.get_terminal_size((120, 24)).columns if tty else 120)
                text = show.table(
                    records,
                    cols=cols,
                    color=color,
                    evidence=not args.no_evidence,
                    full=args.full,
                    include_rejected=args.all,
                )
                out.write(text + "\n")
    except BrokenPipeError:  # `extractor show out.jsonl | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    from extractor.review import write_page

    records = _read_records(args.records)
    if records is None:
        return 2
    if args.output:
        out = Path(args.output)
    elif args.records == "-":
        out = Path("review.html")
    else:
        src = Path(args.records)
        out = src.with_name(src.name.removesuffix(".jsonl").removesuffix(".json") + ".review.html")
    size = write_page(records, out, source=None if args.records == "-" else args.records, title=args.title)
    n = sum(len(r.get("sanctions") or []) for r in records)
    print(
        f"extractor: {out}: {len(records)} articles, {n} sanctions, {size / 1e6:.1f} MB; open it in a browser",
        file=sys.stderr,
    )
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    import os

    from extractor import export

    records = _read_records(args.records)
    if records is None:
        return 2
    try:
        with _open_output(args.output, newline="" if args.to == "csv" else None) as out:
            n = export.export(records, args.to, out)
    except BrokenPipeError:  # `extractor export --to prodigy out.jsonl | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    if args.label_config:
        export.write_label_config(Path(args.label_config))
    what = "rows" if args.to == "csv" else "tasks"
    print(f"extractor: {n} {what} ({args.to}) from {len(records)} records", file=sys.stderr)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="extractor", description="Structured sanction records from enforcement news.")
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("run", help="extract records from files and folders into JSONL")
    run.add_argument("inputs", nargs="+", help="files or folders (walked recursively, sorted); - for stdin")
    run.add_argument("-o", "--output", default="-", help="output JSONL file (default: stdout)")
    run.add_argument("--lang", help="force the language of every article (ISO 639-1)")
    run.add_argument("--published", help="publication date (YYYY-MM-DD) for articles that do not state one")
    run.add_argument("--max-bytes", type=int, default=MAX_BYTES, help="larger articles become error records")
    run.add_argument("--format", choices=FORMAT_NAMES, help="read every input as this format (default: by suffix)")
    run.add_argument("--text-field", help="JSON field(s) holding the text, comma-separated (text,content,body)")
    run.add_argument("--title-field", help="JSON field(s) holding the title (title,headline)")
    run.add_argument("--date-field", help="JSON field(s) holding the date (date,published,published_at,...)")
    run.add_argument("--url-field", help="JSON field(s) holding the URL (url,link)")
    run.add_argument("-w", "--workers", type=int, help="worker processes (default: one per core; 0: none)")
    run.add_argument(
        "--timeout", type=float, default=batch.DEFAULT_TIMEOUT, help="seconds per article, then an error (0: none)"
    )
    run.add_argument("--resume", action="store_true", help="append to the output, skipping inputs already in it")
    run.add_argument("--engine", choices=("local", "dask"), default="local", help="where articles are processed")
    run.add_argument("--scheduler", help="Dask scheduler address (default: a local cluster); with --engine dask")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar and no summary line")
    run.set_defaults(func=cmd_run)
    ev = sub.add_parser("eval", help="score records against gold")
    ev.add_argument("gold", help="gold JSONL (samples/gold.jsonl or reviewed records)")
    ev.add_argument("output", help="records JSONL from `extractor run`")
    ev.add_argument("--strict", action="store_true", help="count gold articles missing from the output as missed")
    ev.add_argument("--json", help="also write the figures as JSON to this file")
    ev.add_argument("--details", action="store_true", help="list missed, extra and mismatched sanctions per article")
    ev.set_defaults(func=cmd_eval)
    reg = sub.add_parser("regulators", help="list or search the regulator knowledge base")
    reg.add_argument("query", nargs="?", help="text to look for in ids, names, aliases, abbreviations")
    reg.add_argument("--country", help="ISO 3166-1 alpha-2 code (EU for EU bodies)")
    reg.add_argument("--sector", help="data_protection, competition, financial ...")
    reg.add_argument("--json", action="store_true", help="one JSON object per entry")
    reg.set_defaults(func=cmd_regulators)
    shw = sub.add_parser("show", help="the sanctions of a records file as a table, or as CSV")
    shw.add_argument("records", help="records JSONL from `extractor run` or the review page (- for stdin)")
    shw.add_argument("--format", choices=("table", "csv"), default="table", help="csv: one row per sanction")
    shw.add_argument("-o", "--output", default="-", help="write to this file (default: stdout)")
    shw.add_argument("--all", action="store_true", help="also the sanctions a reviewer rejected")
    shw.add_argument("--no-evidence", action="store_true", help="table without the evidence sentences")
    shw.add_argument("--full", action="store_true", help="evidence sentences in full, wrapped")
    shw.add_argument("--width", type=int, help="table width in columns (default: the terminal's)")
    shw.add_argument("--color", choices=("auto", "always", "never"), default="auto", help="colour the fields")
    shw.set_defaults(func=cmd_show)
    rev = sub.add_parser("review", help="write a self-contained HTML page to review records in a browser")
    rev.add_argument("records", help="records JSONL (or a reviewed export, to go on reviewing)")
    rev.add_argument("-o", "--output", help="the HTML file (default: RECORDS.review.html)")
    rev.add_argument("--title", help="the page's title")
    rev.set_defaults(func=cmd_review)
    exp = sub.add_parser("export", help="records for Label Studio, Prodigy / spaCy, or as CSV")
    exp.add_argument("records", help="records JSONL (reviewed ones: rejected sanctions left out)")
    exp.add_argument("--to", required=True, choices=("labelstudio", "prodigy", "csv"), help="target format")
    exp.add_argument("-o", "--output", default="-", help="write to this file (default: stdout)")
    exp.add_argument("--label-config", help="labelstudio: also write the labelling interface XML here")
    exp.set_defaults(func=cmd_export)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
