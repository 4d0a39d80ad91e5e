"""Every command the documentation quotes runs, as written, from a fresh copy of the repository,
or, where it shows a form (a synopsis, a bare name), names commands and options the tool has; and
the files the docs say a command makes are the ones the repository holds (so the docs cannot
drift from the tool).

The commands of ``sh`` blocks run in order; then every command quoted elsewhere (in prose, a
table, a comment; :mod:`tests.integration.quoted_commands`) that has not run already.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.integration.quoted_commands import (
    Command,
    Kind,
    Quote,
    command_tree,
    every_quote,
    parse,
    problems,
    quotes,
)
from tests.integration.test_readme_recipes import fresh_copy, readme_commands, run_line

DOCUMENTS = [*sorted((REPO / "docs").glob("*.md")), REPO / "scenarios" / "ukraine" / "README.md"]
"""The documents whose ``sh`` blocks are run (the README's example block runs first, as set-up,
and is also tested on its own by test_readme_recipes)."""

MADE = re.compile(r"--out\s+(\S+\.(?:svg|yaml))")
"""A committed file a documented command writes."""


def shell_blocks(text: str) -> list[list[str]]:
    """The commands of every ```sh block: comments dropped, continued lines joined."""
    blocks = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.DOTALL):
        commands, pending = [], ""
        for line in block.splitlines():
            line = line.split("  #", 1)[0].rstrip()
            if line.endswith("\\"):
                pending += line[:-1].strip() + " "
                continue
            command = (pending + line.strip()).strip()
            pending = ""
            if command:
                commands.append(command)
        blocks.append(commands)
    return blocks


def as_module(command: str) -> str:
    """``sim ...`` (a command on the PATH of an activated environment) as this interpreter's
    ``python -m sim``; ``.venv/bin/sim`` is replaced by :func:`run_line`."""
    return re.sub(r"(^|&&\s*|;\s*)sim ", rf"\1{sys.executable} -m sim ", command)


def test_blocks_are_parsed() -> None:
    text = "```sh\nsim a \\\n    b  # note\nsim c && sim d\n```\n"
    assert shell_blocks(text) == [["sim a b", "sim c && sim d"]]
    assert as_module("sim c && sim d").count(f"{sys.executable} -m sim ") == 2
    quoted = [c for d in DOCUMENTS for b in shell_blocks(d.read_text("utf-8")) for c in b]
    assert len(quoted) >= 8


@pytest.fixture(scope="module")
def tree() -> dict[tuple[str, ...], Command]:
    from sim.cli import app

    return command_tree(app)


def simple_commands(command: str) -> list[str]:
    """The ``sim`` commands of a command line, each as one normalised string: what says that
    a quote has already run (as a shell-block line or an earlier quote)."""
    command = re.sub(r"(\.venv/bin/sim|python3? -m sim)\b", "sim", command.split("  #", 1)[0])
    return [" ".join(part.split()) for part in re.split(r"&&|;", command) if part.strip()]


@pytest.mark.slow
def test_every_documented_command_runs_and_remakes_what_the_repository_holds(
    tmp_path: Path, tree: dict[tuple[str, ...], Command]
) -> None:
    clone = fresh_copy(tmp_path / "clone")
    ran: set[str] = set()
    readme = (clone / "README.md").read_text(encoding="utf-8")
    for command in readme_commands(readme):
        done = run_line(command, clone)
        assert done.returncode == 0, f"README set-up: {command}\n{done.stderr[-2000:]}"
        ran.update(simple_commands(command))
    for line in (line for block in shell_blocks(readme) for line in block):
        # The installation line's own sim steps (its venv and pip steps are this environment).
        for command in simple_commands(line):
            if command.startswith("sim ") and command not in ran:
                done = run_line(as_module(command), clone)
                assert done.returncode == 0, f"README.md: {command}\n{done.stderr[-2000:]}"
                ran.add(command)
    made = []
    for document in DOCUMENTS:
        copy = clone / document.relative_to(REPO)
        for block in shell_blocks(copy.read_text(encoding="utf-8")):
            for command in block:
                done = run_line(as_module(command), clone)
                where = document.relative_to(REPO)
                assert done.returncode == 0, (
                    f"{where}: {command}\n{done.stdout[-1500:]}\n{done.stderr[-1500:]}"
                )
                made += [m for m in MADE.findall(command) if (REPO / m).is_file()]
                ran.update(simple_commands(command))
    assert "docs/figures/sanctions_threat-space.svg" in made
    for name in made:  # regenerated in the copy: byte for byte what the repository holds
        assert (clone / name).read_bytes() == (REPO / name).read_bytes(), name
    failures = []
    for quote in every_quote(clone):  # then each command quoted outside the shell blocks
        if parse(quote.text, tree).kind is not Kind.COMMAND:
            continue
        if set(simple_commands(quote.text)) <= ran:
            continue  # already run, as a shell-block line or an earlier quote
        done = run_line(as_module(quote.text), clone)
        if done.returncode != 0:
            failures.append(f"{quote}\n{done.stdout[-800:]}\n{done.stderr[-800:]}")
        ran.update(simple_commands(quote.text))
    assert not failures, "\n\n".join(failures)


def test_every_quoted_form_names_commands_and_options_the_tool_has(
    tree: dict[tuple[str, ...], Command],
) -> None:
    found = every_quote(REPO)
    kinds = [parse(quote.text, tree).kind for quote in found]
    assert min(kinds.count(kind) for kind in Kind) >= 10  # the reader finds every kind
    failures = [
        f"{quote}: {problem}"
        for quote in found
        for problem in problems(parse(quote.text, tree), tree)
    ]
    assert not failures, "\n".join(failures)


HANDMADE = """Run `sim run baseline`, then `sim report`. Not quotes: `sim/core/`, `sim`, `sim.run`.

| command | does |
| --- | --- |
| `sim compare RUN_A RUN_B [--format table\\|csv]` | a table cell |

A span across a line break: `sim sweep baseline --grid
levers.aid.value=0,1` ends here.

```sh
sim run not_a_quote
```

```
sim negotiate SCENARIO --agents A,B
      [--rounds N]
```

```yaml
document: a.txt   # for `sim validate
                  #  --documents DIR` to check
```
"""


def test_quotes_are_found_in_prose_tables_and_code_blocks() -> None:
    found = [(quote.line, quote.text) for quote in quotes(HANDMADE, "x.md")]
    assert found == [
        (1, "sim run baseline"),
        (1, "sim report"),  # the full stop after the span is prose
        (5, "sim compare RUN_A RUN_B [--format table|csv]"),  # \\| of a table cell is |
        (7, "sim sweep baseline --grid levers.aid.value=0,1"),
        (15, "sim negotiate SCENARIO --agents A,B [--rounds N]"),  # a synopsis block
        (20, "sim validate --documents DIR"),  # a comment's span, continued
    ]
    assert str(Quote("x.md", 7, "sim run")) == "x.md:7: `sim run`"


@pytest.mark.parametrize(
    ("text", "kind", "paths", "operands"),
    [
        ("sim run baseline --no-record", Kind.COMMAND, [("run",)], [("baseline",)]),
        ("sim run", Kind.NAME, [("run",)], [()]),
        ("sim sweep --only", Kind.NAME, [("sweep",)], [()]),
        ("sim compare --format json", Kind.NAME, [("compare",)], [()]),  # json: a value
        ("sim --version", Kind.NAME, [()], [()]),
        ("sim export genius", Kind.NAME, [("export", "genius")], [()]),
        ("sim run X --only space,frontier --json", Kind.SYNOPSIS, [("run",)], [("X",)]),
        (
            "sim plot RUN negotiation|tournament",
            Kind.SYNOPSIS,
            [("plot",)],
            [("RUN", "negotiation|tournament")],
        ),
        ("sim run --only a,b,...", Kind.SYNOPSIS, [("run",)], [()]),
        ("sim games SCENARIO [--export nfg DIR]", Kind.SYNOPSIS, [("games",)], [("SCENARIO",)]),
        (
            "sim explain SCENARIO (--bundle issue=option,... | --proposal ID | --index N)",
            Kind.SYNOPSIS,
            [("explain",)],
            [("SCENARIO",)],
        ),
        (
            "sim import genius FILES... --out SCENARIO.yaml",
            Kind.SYNOPSIS,
            [("import", "genius")],
            [("FILES...",)],
        ),
        (
            "sim run sanctions_threat --json > out.json",
            Kind.COMMAND,
            [("run",)],
            [("sanctions_threat",)],
        ),
        (
            ".venv/bin/sim run a --out b && .venv/bin/sim plot b space",
            Kind.COMMAND,
            [("run",), ("plot",)],
            [("a",), ("b", "space")],
        ),
        ("python -m sim reference", Kind.NAME, [("reference",)], [()]),
    ],
)
def test_a_quote_is_a_command_a_synopsis_or_a_name(
    tree: dict[tuple[str, ...], Command],
    text: str,
    kind: Kind,
    paths: list[tuple[str, ...]],
    operands: list[tuple[str, ...]],
) -> None:
    parsed = parse(text, tree)
    assert parsed.kind is kind
    assert [part.path for part in parsed.parts] == paths
    assert [part.operands for part in parsed.parts] == operands
    assert problems(parsed, tree) == []


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("sim frobnicate baseline", "`sim` has no command 'frobnicate'"),
        ("sim import nonsense", "`sim import` has no command 'nonsense'"),
        ("sim run --frob", "`sim run` has no option --frob"),
        ("sim run SCENARIO [--draws N]", "`sim run` has no option --draws"),
        ("sim compare a b c", "`sim compare` takes 2 operand(s), not 3: a b c"),
        ("sim run.", "`sim` has no command 'run.'"),  # a full stop inside the span
        ("sim run baseline && sim rnu x", "`sim` has no command 'rnu'"),
    ],
)
def test_what_the_tool_lacks_is_named(
    tree: dict[tuple[str, ...], Command], text: str, problem: str
) -> None:
    assert problems(parse(text, tree), tree) == [problem]
