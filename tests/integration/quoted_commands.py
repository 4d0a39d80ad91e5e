"""The ``sim`` commands the documentation quotes outside its ``sh`` blocks, found and sorted.

A quote is a backtick span whose text starts with ``sim ``, ``.venv/bin/sim `` or
``python -m sim `` (in prose, in a table cell, in a comment of a code block; a span may cross
a line break), or a line starting so in a code block with no language (a synopsis block). Each
is one of three kinds (:func:`parse`):

- a **command**: no placeholder and at least one operand (``sim run scenarios/ukraine/``); it
  is run as written, from the repository's root;
- a **synopsis**: a placeholder (an UPPERCASE metavariable, ``[...]``, ``...``, an ``|``
  between alternatives): ``sim run SCENARIO... [--out DIR]``;
- a **name**: no placeholder and no operand (``sim run``, ``sim sweep --only``).

Every kind is checked against the typer application itself (:func:`problems`): the command
(and subcommand) exists, every option named is one of its options, and no more operands are
given than it takes.
"""

from __future__ import annotations

import re
import shlex
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from typing import Any

PROGRAM = re.compile(r"^(?:\.venv/bin/sim|python3? -m sim|sim)(?= |$)")
"""How a quote names the program: the command on the PATH, the README's venv, the module."""

SPAN = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)", flags=re.DOTALL)
"""A backtick span (CommonMark: closed by a run of as many backticks)."""

FENCE = re.compile(r"^ {0,3}(```|~~~)\s*([\w+-]*)")

METAVARIABLE = re.compile(r"(?<![\w./-])[A-Z][A-Z0-9_]*(?![\w/-])")
"""An UPPERCASE word standing for a value: ``SCENARIO``, ``RUN_B``, ``N``, ``FILE.nfg``."""

PLACEHOLDER = re.compile(r"\[|\]|\.\.\.|…|\||<[^>]*>")
"""Brackets, an ellipsis, alternatives, ``<angle>`` words."""

OPTION = re.compile(r"^--?[A-Za-z][\w-]*")


class Kind(Enum):
    COMMAND = "command"
    SYNOPSIS = "synopsis"
    NAME = "name"


@dataclass(frozen=True)
class Quote:
    """One quoted command: where it is and its text as written (backticks dropped)."""

    document: str
    line: int
    text: str

    def __str__(self) -> str:
        return f"{self.document}:{self.line}: `{self.text}`"


@dataclass(frozen=True)
class Command:
    """A command of the application as the test needs it: its options and operands."""

    options: dict[str, int]
    """Every spelling of each option -> how many values it takes (0 for a flag)."""
    arguments: int | None
    """How many operands it takes (None: any number)."""
    subcommands: frozenset[str]


@dataclass(frozen=True)
class Part:
    """One command of a quote: ``sim run a --json`` in ``sim run a --json && sim ...``."""

    path: tuple[str, ...]
    """The command and subcommand named (``("import", "genius")``); () for the program."""
    options: tuple[str, ...]
    operands: tuple[str, ...]
    unknown: str | None = None
    """A word standing where a command was expected that the application does not have."""


@dataclass(frozen=True)
class Parsed:
    """A quote read against the application: one entry per ``&&``-joined part."""

    kind: Kind
    parts: tuple[Part, ...]


def command_tree(app: Any) -> dict[tuple[str, ...], Command]:
    """Every command path of a typer application -> its :class:`Command` (typer's own
    introspection, not its help text)."""
    import typer

    tree: dict[tuple[str, ...], Command] = {}

    def walk(command: Any, path: tuple[str, ...]) -> None:
        options: dict[str, int] = {}
        arguments: int | None = 0
        for parameter in command.params:
            if parameter.param_type_name == "option":
                takes = 0 if parameter.is_flag else parameter.nargs
                for spelling in (*parameter.opts, *parameter.secondary_opts):
                    options[spelling] = takes
            elif arguments is not None:
                arguments = None if parameter.nargs < 0 else arguments + parameter.nargs
        subcommands = getattr(command, "commands", {})
        options.setdefault("--help", 0)
        tree[path] = Command(options, arguments, frozenset(subcommands))
        for name, subcommand in subcommands.items():
            walk(subcommand, (*path, name))

    walk(typer.main.get_command(app), ())
    return tree


def normalise(text: str) -> str:
    """A span's text as one line, as a reader would type it: line breaks (and a comment's
    ``#`` continuing a code block's span) are spaces, ``\\|`` (a pipe escaped in a table
    cell) is ``|``."""
    text = re.sub(r"\s*\n\s*(?:#\s*)?", " ", text)
    return text.replace("\\|", "|").strip()


def quotes(text: str, document: str) -> list[Quote]:
    """The quoted commands of a Markdown document, in order (``sh`` blocks left out: the
    shell-block test runs them)."""
    found: list[Quote] = []
    lines = text.split("\n")
    chunk: list[str] = []
    start = 1
    fence: tuple[str, str] | None = None

    def spans(first: int, body: list[str]) -> None:
        joined = "\n".join(body)
        for match in SPAN.finditer(joined):
            span = normalise(match.group(2))
            if PROGRAM.match(span) and PROGRAM.sub("", span, count=1):
                line = first + joined.count("\n", 0, match.start())
                found.append(Quote(document, line, span))

    def synopses(first: int, body: list[str]) -> None:
        pending: tuple[int, str] | None = None
        for number, line in enumerate(body, first):
            if pending and line[:1].isspace() and line.strip():
                pending = (pending[0], pending[1].rstrip("\\").rstrip() + " " + line.strip())
                continue
            if pending:
                found.append(Quote(document, *pending))
                pending = None
            if PROGRAM.match(line) and PROGRAM.sub("", line.split("  #")[0], count=1).strip():
                pending = (number, line.split("  #")[0].rstrip())
        if pending:
            found.append(Quote(document, *pending))

    for number, line in enumerate(lines, 1):
        opening = FENCE.match(line)
        if fence is None and opening:
            spans(start, chunk)
            fence, chunk, start = (opening.group(1), opening.group(2)), [], number + 1
        elif fence is not None and line.strip() == fence[0]:
            if fence[1] != "sh":
                spans(start, chunk)
                if fence[1] in ("", "text", "console"):
                    synopses(start, chunk)
            fence, chunk, start = None, [], number + 1
        elif fence is None and not line.strip():
            spans(start, chunk)
            chunk, start = [], number + 1
        else:
            chunk.append(line)
    spans(start, chunk)
    return sorted(found, key=lambda quote: quote.line)


def words(text: str) -> list[str]:
    """A command's words as the shell splits them (plain splitting if the quoting is open)."""
    try:
        return shlex.split(text)
    except ValueError:
        return text.split()


def parse(text: str, tree: dict[tuple[str, ...], Command]) -> Parsed:
    """Read a quote (its text as written) against the application's commands."""
    parts = []
    synopsis = False
    for piece in re.split(r"\s*&&\s*", normalise(text)):
        piece = re.split(r"\s+>\s*", piece)[0]  # a redirection is the shell's, not sim's
        body = PROGRAM.sub("", piece, count=1).strip()
        synopsis = synopsis or bool(PLACEHOLDER.search(body) or METAVARIABLE.search(body))
        tokens = [t for t in (w.strip("[]()") for w in words(body)) if t and t != "|"]
        path: tuple[str, ...] = ()
        options: list[str] = []
        operands: list[str] = []
        unknown = None
        values = 0
        for token in tokens:
            if values:
                values -= 1
                continue
            command = tree.get(path)
            option = OPTION.match(token)
            if option:
                name = option.group(0)
                options.append(name)
                takes = command.options.get(name, 0) if command else 0
                values = takes if "=" not in token else 0
            elif command and command.subcommands and not operands and unknown is None:
                if token in command.subcommands:
                    path = (*path, token)
                else:
                    unknown = token
            else:
                operands.append(token)
        parts.append(Part(path, tuple(options), tuple(operands), unknown))
    if synopsis:
        kind = Kind.SYNOPSIS
    elif any(part.operands for part in parts):
        kind = Kind.COMMAND
    else:
        kind = Kind.NAME
    return Parsed(kind, tuple(parts))


def problems(parsed: Parsed, tree: dict[tuple[str, ...], Command]) -> list[str]:
    """What a quote says that the application does not have."""
    found = []
    for part in parsed.parts:
        name = " ".join(("sim", *part.path))
        if part.unknown is not None:
            found.append(f"`{name}` has no command {part.unknown!r}")
            continue
        command = tree[part.path]
        if not part.path and not part.options:
            found.append("names no command")
        found += [f"`{name}` has no option {o}" for o in part.options if o not in command.options]
        if command.arguments is not None and len(part.operands) > command.arguments:
            found.append(
                f"`{name}` takes {command.arguments} operand(s), not {len(part.operands)}: "
                + " ".join(part.operands)
            )
    return found


def documents(repo: Path) -> list[Path]:
    """The documents whose quotes are checked: the README, docs/ and the case's README."""
    return [
        repo / "README.md",
        *sorted((repo / "docs").glob("*.md")),
        repo / "scenarios" / "ukraine" / "README.md",
    ]


def every_quote(repo: Path) -> list[Quote]:
    return [
        quote
        for path in documents(repo)
        for quote in quotes(path.read_text(encoding="utf-8"), str(path.relative_to(repo)))
    ]
