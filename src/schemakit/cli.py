"""The ``schemakit`` command: a thin shell over the library.

Exit codes: 0 success (all valid), 1 some document invalid, 2 usage or input error.
Every failure is one line on stderr; no tracebacks.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import signal
import sys
import warnings
from collections.abc import Callable
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer

from .core import atomic
from .core.drafts import LATEST
from .core.errors import SchemakitError
from .schemaset import SchemaSet, load
from .validate.batches import BATCH_BYTES
from .validate.checker import Summary
from .validate.parallel import JOBS_PER_CORE, check_outcomes
from .validate.progress import RunProgress
from .validate.report import RENDERERS

try:  # typer >= 0.22 vendors click; older releases use the real one
    from typer._click import exceptions as click_errors  # type: ignore[attr-defined,unused-ignore]
    from typer._click.globals import (  # type: ignore[import-not-found,unused-ignore]
        get_current_context as click_context,
    )
except ImportError:  # pragma: no cover
    from click import exceptions as click_errors  # type: ignore[no-redef,unused-ignore]
    from click import get_current_context as click_context  # type: ignore[no-redef,unused-ignore]

NO_ARGS_HELP: type[Exception] = getattr(click_errors, "NoArgsIsHelpError", click_errors.UsageError)

app = typer.Typer(
    name="schemakit",
    help="Load, validate, model and fuzz JSON Schema sets "
    "(default: the bundled Sentinel Hub Batch V2 set).",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


class _Argument(typer.core.TyperArgument):
    """An argument listed by its metavar alone (``PATHS``), not ``PATHS <list[str]>``."""

    def display_type_rich(self, ctx: Any) -> str | None:
        return None


class _Command(typer.core.TyperCommand):
    """Usage lines as other CLIs write them: ``NAME`` and ``PATHS...``, not ``{NAME}``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # typer builds its own argument class and has no hook for another one
        for param in self.params:
            if type(param) is typer.core.TyperArgument:
                param.__class__ = _Argument

    def collect_usage_pieces(self, ctx: Any) -> list[str]:
        pieces = [self.options_metavar] if self.options_metavar else []
        for param in self.get_params(ctx):
            for piece in param.get_usage_pieces(ctx):
                piece = re.sub(r"^\{(.*)\}", r"\1", piece)
                repeated = getattr(param, "nargs", 1) == -1 and not piece.endswith("...")
                pieces.append(piece + "..." if repeated else piece)
        return pieces


class OutputFormat(str, Enum):
    text = "text"
    json = "json"


class InputFormat(str, Enum):
    json = "json"
    yaml = "yaml"


NameArgument = Annotated[str, typer.Argument(metavar="NAME", help="Schema name.")]
SchemasOption = Annotated[
    str | None,
    typer.Option(
        "--schemas",
        metavar="SRC",
        help="Schema directory, schema file or OpenAPI document (default: bundled set).",
    ),
]
UpstreamOption = Annotated[
    bool,
    typer.Option("--upstream", help="Use the schemas exactly as published, without corrections."),
]
FormatOption = Annotated[
    OutputFormat, typer.Option("--format", metavar="text|json", help="Output format.")
]
AllowRemoteOption = Annotated[
    bool,
    typer.Option(
        "--allow-remote",
        help="Fetch remote (http/https) $refs, with a timeout, a size limit and a disk cache "
        "($SCHEMAKIT_CACHE_DIR, default ~/.cache/schemakit). Off by default.",
    ),
]
DefaultDraftOption = Annotated[
    str | None,
    typer.Option(
        "--default-draft",
        metavar="DRAFT",
        help="Draft of schemas that declare no $schema: draft-04, draft-06, draft-07, "
        "2019-09 or 2020-12 (the default).",
    ),
]
RefDirOption = Annotated[
    list[Path] | None,
    typer.Option(
        "--ref-dir",
        metavar="DIR",
        help="Folder of schema files that $refs may name by their $id (repeatable; offline).",
    ),
]
RefMapOption = Annotated[
    list[str] | None,
    typer.Option(
        "--ref-map",
        metavar="PREFIX=DIR",
        help="Read $refs starting with PREFIX from DIR, e.g. "
        "https://json.schemastore.org/=schemastore/ (repeatable; offline).",
    ),
]


def _usage_error(message: str) -> Exception:
    """A usage error of the running command (exit 2, with a pointer to its --help)."""
    return click_errors.UsageError(message, ctx=click_context())


def _one_of(choices: list[str]) -> str:
    return " or ".join([", ".join(choices[:-1]), choices[-1]] if len(choices) > 1 else choices)


def _in_range(kind: Any) -> str:
    low, high = getattr(kind, "min", None), getattr(kind, "max", None)
    above = "more than" if getattr(kind, "min_open", False) else "at least"
    below = "less than" if getattr(kind, "max_open", False) else "at most"
    if low is not None and high is not None:
        return f"between {low} and {high}"
    return f"{above} {low}" if low is not None else f"{below} {high}"


# How click's value errors read as a command line's: (its message, what was wanted).
_VALUE_ERRORS: list[tuple[re.Pattern[str], Callable[[Any], str]]] = [
    (re.compile(r"(?P<given>.+?) is not one of "), lambda kind: _one_of(list(kind.choices))),
    (re.compile(r"(?P<given>.+?) is not in the range "), _in_range),
    (re.compile(r"(?P<given>.+?) is not a valid (int|integer)\b"), lambda kind: "an integer"),
    (re.compile(r"(?P<given>.+?) is not a valid float\b"), lambda kind: "a number"),
]


def _option_error(exc: Exception) -> str | None:
    """``--format must be text or json, not 'x'`` for a bad option or argument value."""
    param = getattr(exc, "param", None)
    if param is None:
        return None
    said = str(getattr(exc, "message", ""))
    for pattern, wanted in _VALUE_ERRORS:
        if match := pattern.match(said):
            given = match["given"].strip("'")
            shown = given if re.fullmatch(r"-?\d+(\.\d*)?", given) else repr(given)
            names = sorted(getattr(param, "opts", None) or [str(param.name).upper()], key=len)
            return f"{names[-1]} must be {wanted(param.type)}, not {shown}"
    return None


def _show_version(value: bool) -> None:
    if value:
        from . import __version__

        sys.stdout.write(f"schemakit {__version__}\n")
        raise typer.Exit(0)


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            "-V",
            callback=_show_version,
            is_eager=True,
            help="Print the version and exit.",
        ),
    ] = False,
) -> None:
    """Load, validate, model and fuzz JSON Schema sets (default: the bundled Sentinel Hub set)."""


def open_set(
    schemas: str | None,
    upstream: bool,
    allow_remote: bool = False,
    default_draft: str | None = None,
    ref_dir: list[Path] | None = None,
    ref_map: list[str] | None = None,
) -> SchemaSet:
    return load(
        schemas,
        upstream=upstream,
        allow_remote=allow_remote,
        default_draft=default_draft or LATEST,
        ref_dirs=ref_dir or (),
        ref_maps=ref_map or (),
    )


def dump_json(value: Any) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False) + "\n"


@app.command(cls=_Command, short_help="Validate documents against a schema of the set.")
def validate(
    paths: Annotated[
        list[str],
        typer.Argument(metavar="PATHS", help="JSON, YAML or JSON Lines files; '-' reads stdin."),
    ],
    schema: Annotated[
        list[str],
        typer.Option(
            "--schema",
            "-s",
            metavar="NAME",
            help="Name of the schema to validate against (once).",
        ),
    ],
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    output_format: FormatOption = OutputFormat.text,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only problems.")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            metavar="N",
            help="Worker processes (0: one per core; at most "
            f"{JOBS_PER_CORE} per core and one per batch of about "
            f"{BATCH_BYTES // 2**20} MiB). Output and its order are the same for any N.",
        ),
    ] = 1,
    items: Annotated[
        str | None,
        typer.Option(
            "--items",
            metavar="POINTER",
            help="Each path is one JSON document whose array at this JSON pointer holds "
            "the documents ('' for a top-level array), read item by item in constant "
            "memory in one process; results name the item (file:/data/12).",
        ),
    ] = None,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
    input_format: Annotated[
        InputFormat,
        typer.Option(
            "--input-format",
            metavar="json|yaml",
            help="How to read stdin ('-'): JSON or JSON Lines, or one YAML document. "
            "Files go by their suffix.",
        ),
    ] = InputFormat.json,
) -> None:
    """Validate documents; exit 0 if all are valid, 1 if any is invalid, 2 on unreadable input.

    If the reader of the output goes away (| head), exit 141, or the code for the
    problems already found.
    """
    if len(schema) > 1:
        raise _usage_error(
            f"-s/--schema given {len(schema)} times ({', '.join(schema)}): "
            "give one, and run validate once per schema"
        )
    validator = open_set(
        schemas, upstream, allow_remote, default_draft, ref_dir, ref_map
    ).validator(schema[0])
    render = RENDERERS[output_format.value]
    summary = Summary()
    progress = RunProgress.for_run(paths, quiet=quiet)
    outcomes = check_outcomes(
        validator,
        paths,
        jobs=jobs,
        keep_valid=not quiet,
        on_progress=progress.advance,
        items=items,
        stdin_format=input_format.value,
    )
    try:
        with progress:
            for outcome in outcomes:
                summary.merge(outcome.summary)
                for result in outcome.results:
                    render(result, sys.stdout, sys.stderr, quiet)
        sys.stdout.flush()
    except BrokenPipeError:
        outcomes.close()  # stop the workers now
        _silence_stdout()
        # Documents went unchecked: never "all valid" (141 is 128 + SIGPIPE, as a shell says).
        raise typer.Exit(summary.exit_code or 141) from None
    if summary.documents == 0:  # empty JSON Lines, blank stdin: nothing was checked
        sys.stderr.write(f"schemakit: error: no documents in {', '.join(paths)}\n")
        raise typer.Exit(2)
    if not quiet and output_format is OutputFormat.text and summary.documents != 1:
        sys.stderr.write(f"{summary}\n")
    raise typer.Exit(summary.exit_code)


@app.command("list", cls=_Command, short_help="List the schema names in the set.")
def list_schemas(
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    output_format: FormatOption = OutputFormat.text,
    long: Annotated[
        bool, typer.Option("--long", "-l", help="Add each schema's title after a tab.")
    ] = False,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
) -> None:
    """List the schema names in the set, one per line (with titles: --long)."""
    schema_set = open_set(schemas, upstream, allow_remote, default_draft, ref_dir, ref_map)
    if output_format is OutputFormat.json:
        sys.stdout.write(dump_json(list(schema_set.names)))
        return
    for name in schema_set.names:
        contents = schema_set.resource(name).contents
        title = contents.get("title", "") if long and isinstance(contents, dict) else ""
        sys.stdout.write(f"{name}\t{title}\n" if title else f"{name}\n")


@app.command(cls=_Command, short_help="Print one schema as loaded.")
def show(
    name: NameArgument,
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
) -> None:
    """Print one schema as loaded (with corrections applied unless --upstream)."""
    sys.stdout.write(
        dump_json(
            open_set(schemas, upstream, allow_remote, default_draft, ref_dir, ref_map).schema(name)
        )
    )


@app.command(cls=_Command, short_help="Write one self-contained schema.")
def bundle(
    name: NameArgument,
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    output: Annotated[
        Path | None, typer.Option("--output", "-o", metavar="FILE", help="Write here (atomically).")
    ] = None,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
) -> None:
    """Print one self-contained schema with every referenced schema under $defs."""
    text = dump_json(
        open_set(schemas, upstream, allow_remote, default_draft, ref_dir, ref_map).bundle(name)
    )
    if output is None:
        sys.stdout.write(text)
    else:
        atomic.write_text(output, text)


@app.command("fixtures", cls=_Command, short_help="Generate valid (or invalid) documents.")
def fixtures_command(
    name: NameArgument,
    count: Annotated[
        int, typer.Option("-n", "--count", min=1, metavar="N", help="Number of documents.")
    ] = 10,
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="Same seed, same bytes.")] = 0,
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output",
            "-o",
            metavar="PATH",
            help="JSON Lines into a .jsonl/.ndjson path or an existing file (/dev/stdout, a "
            "FIFO); NAME-0001.json, ... into any other path, a directory "
            "(default: JSON Lines on stdout).",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="DIR", help="Same as -o DIR: always a directory."),
    ] = None,
    jsonl: Annotated[
        Path | None,
        typer.Option("--jsonl", metavar="FILE", help="Same as -o FILE: always JSON Lines."),
    ] = None,
    invalid: Annotated[
        bool,
        typer.Option(
            "--invalid",
            help='Write {"document", "pointer", "rule"} records, each breaking exactly one rule.',
        ),
    ] = False,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
) -> None:
    """Generate N valid documents, byte-identical for a seed (JSON Lines on stdout by default)."""
    import warnings

    from .testing import fixtures as fx

    given = [option for option in (output, out, jsonl) if option is not None]
    if len(given) > 1:
        raise _usage_error("give one of -o/--output, --out and --jsonl, not several")
    if output is not None:
        jsonl, out = (output, None) if _is_stream_target(output) else (None, output)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        make = fx.invalid_fixtures if invalid else fx.fixtures
        docs = make(
            open_set(schemas, upstream, allow_remote, default_draft, ref_dir, ref_map),
            name,
            count,
            seed,
        )
        docs = fx.with_progress(docs, count, fx.show_progress(count, out or jsonl))
        if out is not None:
            fx.write_directory(docs, out, name, count)
        elif jsonl is not None:
            fx.write_jsonl(docs, jsonl)
        else:
            fx.stream_jsonl(docs)
    for message in dict.fromkeys(str(w.message) for w in caught):
        sys.stderr.write(f"schemakit: warning: {message}\n")


def _is_stream_target(path: Path) -> bool:
    """JSON Lines go to ``.jsonl``/``.ndjson`` paths and to anything that exists and is not
    a folder (a file, a FIFO, ``/dev/stdout``); any other path is a folder of ``.json`` files."""
    if path.suffix.lower() in (".jsonl", ".ndjson"):
        return True
    return path.exists() and not path.is_dir()


class FailOn(str, Enum):
    error = "error"
    warning = "warning"
    info = "info"


@app.command("lint", cls=_Command, short_help="Find defects in a schema set.")
def lint_command(
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    output_format: FormatOption = OutputFormat.text,
    fail_on: Annotated[
        FailOn, typer.Option("--fail-on", help="Lowest severity that makes the exit code 1.")
    ] = FailOn.error,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
) -> None:
    """Find defects in a schema set; exit 0 clean, 1 on findings at --fail-on, 2 bad input."""
    from .lint import Severity, lint
    from .lint.render import RENDERERS as LINT_RENDERERS

    report = lint(
        schemas,
        upstream=upstream,
        allow_remote=allow_remote,
        default_draft=default_draft or LATEST,
        ref_dirs=ref_dir or (),
        ref_maps=ref_map or (),
    )
    LINT_RENDERERS[output_format.value](report, sys.stdout)
    sys.stdout.flush()
    if output_format is OutputFormat.text:
        sys.stderr.write(f"{report.summary()}\n")
    raise typer.Exit(report.exit_code(Severity(fail_on.value)))


class DiffFailOn(str, Enum):
    narrowed = "narrowed"
    widened = "widened"
    any = "any"


@app.command("diff", cls=_Command, short_help="Compare two versions of a schema set.")
def diff_command(
    old: Annotated[
        str, typer.Argument(metavar="OLD", help="The old version: directory, file or OpenAPI.")
    ],
    new: Annotated[
        str, typer.Argument(metavar="NEW", help="The new version: directory, file or OpenAPI.")
    ],
    output_format: FormatOption = OutputFormat.text,
    fail_on: Annotated[
        DiffFailOn,
        typer.Option(
            "--fail-on",
            metavar="narrowed|widened|any",
            help="Which proved changes make the exit code 1.",
        ),
    ] = DiffFailOn.any,
    seed: Annotated[
        int, typer.Option("--seed", metavar="S", help="Same seed, same witnesses.")
    ] = 0,
    budget: Annotated[
        float,
        typer.Option(
            "--budget",
            min=0.0,
            metavar="SECONDS",
            help="Witness search time per changed schema.",
        ),
    ] = 3.0,
    documents: Annotated[
        list[str] | None,
        typer.Option(
            "--documents",
            "-d",
            metavar="PATH",
            help="Recorded documents (file or directory; repeatable) that OLD accepts: "
            "those NEW rejects are reported as extra witnesses.",
        ),
    ] = None,
    schema: Annotated[
        list[str] | None,
        typer.Option(
            "--schema",
            "-s",
            metavar="NAME",
            help="Check --documents against these schemas only (repeatable).",
        ),
    ] = None,
    old_upstream: Annotated[
        bool,
        typer.Option("--old-upstream", help="Load OLD as published, without its corrections."),
    ] = False,
    new_upstream: Annotated[
        bool,
        typer.Option("--new-upstream", help="Load NEW as published, without its corrections."),
    ] = False,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
) -> None:
    """Compare the documents two versions accept; exit 0 no proved change, 1 proved changes
    (see --fail-on), 2 bad input."""
    from .diff import FailOn, diff
    from .diff.render import RENDERERS as DIFF_RENDERERS
    from .diff.render import terminal_progress

    old_set = open_set(old, old_upstream, allow_remote, default_draft, ref_dir, ref_map)
    new_set = open_set(new, new_upstream, allow_remote, default_draft, ref_dir, ref_map)
    for name in schema or ():
        new_set.resource(name)  # an unknown name is a usage error, with suggestions
    with terminal_progress(enabled=True) as progress:
        report = diff(
            old_set,
            new_set,
            seed=seed,
            budget=budget,
            documents=documents or (),
            document_schemas=schema or None,
            progress=progress,
        )
    DIFF_RENDERERS[output_format.value](report, sys.stdout)
    sys.stdout.flush()
    for line in report.unreadable:
        sys.stderr.write(f"schemakit: error: {line}\n")
    if output_format is OutputFormat.text:
        sys.stderr.write(f"{report.summary()}\n")
    raise typer.Exit(report.exit_code(FailOn(fail_on.value)))


@app.command("traffic", cls=_Command, short_help="Check recorded HTTP traffic.")
def traffic_command(
    recordings: Annotated[
        list[str],
        typer.Argument(
            metavar="RECORDING...",
            help="HAR files (or .har.zip archives), VCR.py/Betamax cassettes (YAML/JSON), "
            "Postman v2.1 collections, or directories of them.",
        ),
    ],
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    server: Annotated[
        list[str] | None,
        typer.Option(
            "--server",
            metavar="URL=PATH",
            help="Requests under URL stand for the document's PATH "
            "(e.g. https://host/api/v2/batch=/batch/v2); repeatable.",
        ),
    ] = None,
    output_format: FormatOption = OutputFormat.text,
    allow_remote: AllowRemoteOption = False,
) -> None:
    """Check recorded HTTP traffic against the set's OpenAPI operations; exit 0 all valid,
    1 any invalid or unmatched, 2 an unreadable recording (the others are still checked)."""
    from .traffic import parse_server
    from .traffic.run import run

    try:
        servers = [parse_server(text) for text in server or ()]
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--server") from None
    schema_set = open_set(schemas, upstream, allow_remote)
    code = run(schema_set, recordings, servers, output_format.value, sys.stdout, sys.stderr)
    sys.stdout.flush()
    raise typer.Exit(code)


@app.command("models", cls=_Command, short_help="Generate dataclass models.")
def models_command(
    schemas: SchemasOption = None,
    upstream: UpstreamOption = False,
    out: Annotated[
        Path,
        typer.Option(
            "--output",
            "-o",
            "--out",
            metavar="DIR",
            help="Directory that holds the generated package.",
        ),
    ] = Path("generated"),
    package: Annotated[
        str | None,
        typer.Option(
            "--package",
            metavar="NAME",
            help="Name of the generated Python package (default: sentinel_hub_models for the "
            "bundled set, <source name>_models for --schemas).",
        ),
    ] = None,
    check: Annotated[
        bool, typer.Option("--check", help="Only compare; exit 1 if the package is stale.")
    ] = False,
    allow_remote: AllowRemoteOption = False,
    default_draft: DefaultDraftOption = None,
    ref_dir: RefDirOption = None,
    ref_map: RefMapOption = None,
) -> None:
    """Generate dataclass models (from_dict/to_dict round-trip exactly) into OUT/PACKAGE."""
    from .codegen import check_models, generate_models

    schema_set = open_set(schemas, upstream, allow_remote, default_draft, ref_dir, ref_map)
    # Never let another set's models overwrite the bundled package by default.
    package = package or (default_package_name(schemas) if schemas else "sentinel_hub_models")
    if not check:
        sys.stdout.write(f"wrote {generate_models(schema_set, out, package)}\n")
        return
    drift = check_models(schema_set, out, package)
    shown = 60
    for line in drift.diff[:shown]:
        sys.stdout.write(line + "\n")
    if len(drift.diff) > shown:
        sys.stdout.write(f"... ({len(drift.diff) - shown} more diff lines)\n")
    sys.stderr.write(drift.summary() + "\n")
    raise typer.Exit(0 if drift.current else 1)


def default_package_name(source: str) -> str:
    """``my-api.yaml`` -> ``my_api_models``: a valid module name derived from the source."""
    stem = re.sub(r"\W+", "_", Path(source).stem).strip("_").lower() or "schemas"
    return f"{'_' + stem if stem[0].isdigit() else stem}_models"


def _show_warning(message: Warning | str, *_args: Any, **_kwargs: Any) -> None:
    sys.stderr.write(f"schemakit: warning: {message}\n")


def _keep_hypothesis_out_of_the_working_directory() -> None:
    """Hypothesis (fixtures, lint's witnesses, diff) caches into ./.hypothesis by default; a
    command-line run keeps it under the schemakit cache dir instead. Inside someone else's
    process (a test calling main()) Hypothesis' settings are theirs to keep."""
    from .load.remote import default_cache_dir

    os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", str(default_cache_dir() / "hypothesis"))


# Errors of a write with no file name: files are written through core.atomic, which names
# them, so these come from writing to stdout.
_WRITE_ERRNOS = {errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EIO}


def _failing_stdout(exc: OSError) -> bool:
    """Whether ``exc`` is a failed write to stdout; its buffer is dropped so exit cannot fail."""
    if exc.errno not in _WRITE_ERRNOS:
        return False
    _silence_stdout()
    return True


def _silence_stdout() -> None:
    """Point stdout at /dev/null so the interpreter's final flush cannot fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):
        pass


def _reader_went_away() -> int:
    """The reader of stdout left (e.g. ``| head -1``): stop quietly with success."""
    _silence_stdout()
    return 0


def _exit_at_once(code: int) -> NoReturn:
    """Ctrl-C ends the command now. Nothing is left to finish: outputs are written
    atomically (complete or untouched) and workers die with this process. Leaving through
    the interpreter would join the process pool's manager thread, which can wait for good
    on a worker interrupted mid-task."""
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):
            stream.flush()
    os._exit(code)


_interrupted: list[bool] = []  # set by Ctrl-C on the command line


def _on_interrupt(signum: int, frame: Any) -> None:
    _interrupted.append(True)
    raise KeyboardInterrupt  # as Python's own handler does; typer turns it into exit 130


def main(argv: list[str] | None = None) -> int:
    """Entry point: run the command, turning every expected failure into one line and exit 2."""
    if argv is None:  # the command line, not a caller in this process
        _keep_hypothesis_out_of_the_working_directory()
        if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
            signal.signal(signal.SIGINT, _on_interrupt)
    code = _run(argv)
    if argv is None and _interrupted:
        _exit_at_once(130)
    return code


def _run(argv: list[str] | None) -> int:
    command = typer.main.get_command(app)
    try:
        with warnings.catch_warnings():
            warnings.showwarning = _show_warning
            result = command.main(args=argv, prog_name="schemakit", standalone_mode=False)
        sys.stdout.flush()  # a full disk or a closed pipe, here rather than at exit
    except typer.Exit as exc:
        return int(exc.exit_code)
    except NO_ARGS_HELP as exc:
        sys.stdout.write(str(getattr(exc, "format_message", exc.__str__)()) + "\n")
        return 0
    except click_errors.UsageError as exc:
        hint = (
            f" (see 'schemakit {exc.ctx.info_name} --help')"
            if exc.ctx and exc.ctx.info_name != "schemakit"
            else ""
        )
        message = _option_error(exc) or exc.format_message()
        sys.stderr.write(f"schemakit: error: {message}{hint}\n")
        return 2
    except click_errors.ClickException as exc:
        sys.stderr.write(f"schemakit: error: {exc.format_message()}\n")
        return 2
    except typer.Abort:
        sys.stderr.write("schemakit: aborted\n")
        return 130
    except SchemakitError as exc:
        sys.stderr.write(f"schemakit: error: {exc}\n")
        return 2
    except BrokenPipeError:
        return _reader_went_away()
    except SystemExit as exc:
        # typer turns a closed stdout (EPIPE) into sys.exit(1); 1 means "invalid" here.
        if isinstance(exc.__context__, BrokenPipeError):
            return _reader_went_away()
        return exc.code if isinstance(exc.code, int) else 2
    except OSError as exc:  # anything the commands did not already name precisely
        if not exc.filename and _failing_stdout(exc):
            sys.stderr.write(f"schemakit: error: <stdout>: cannot write: {exc.strerror}\n")
            return 2
        where = f"{exc.filename}: " if exc.filename else ""
        sys.stderr.write(f"schemakit: error: {where}{exc.strerror or exc}\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except RecursionError:  # a safety net: loading refuses schemas deeper than it can walk
        sys.stderr.write("schemakit: error: input nested too deeply to process\n")
        return 2
    return int(result or 0)


if __name__ == "__main__":
    sys.exit(main())
