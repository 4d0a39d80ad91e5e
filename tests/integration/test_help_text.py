"""`sim --help` lists each command with its summary as prose: the first paragraph of its
docstring, its source line breaks joined (rich keeps them otherwise, and the list then breaks
lines mid-sentence)."""

from __future__ import annotations

import re

from typer.testing import CliRunner

import sim.cli


def summaries() -> dict[str, str]:
    """Each command's summary, from its docstring: the first paragraph, whitespace joined."""
    out = {}
    for info in sim.cli.app.registered_commands:
        if info.callback is None or not info.callback.__doc__:
            continue
        name = info.name or info.callback.__name__.replace("_", "-")
        first = info.callback.__doc__.strip().split("\n\n", 1)[0]
        out[name] = " ".join(first.split())
    return out


def test_each_summary_is_one_line_when_the_terminal_is_wide_enough() -> None:
    result = CliRunner().invoke(sim.cli.app, ["--help"], env={"COLUMNS": "240"})
    assert result.exit_code == 0, result.output
    rows = {}
    for line in result.output.splitlines():
        match = re.match(r"│ ([a-z-]+) +(.*?) *│$", line)
        if match:
            rows[match.group(1)] = match.group(2)
    found = summaries()
    assert len(found) >= 15
    wrapped = [name for name, text in found.items() if len(text) < 200 and rows.get(name) != text]
    assert not wrapped, {name: (rows.get(name), found[name]) for name in wrapped}


def test_square_brackets_in_help_texts_are_shown_not_read_as_markup() -> None:
    """Rich reads ``[name]`` as a style and drops it (``pip install -e '.[dask]'`` became
    ``'.'``): every bracketed text of a command's help or an option's is in its --help."""
    from typer.main import get_command

    def walk(command: object, path: list[str]):  # type: ignore[no-untyped-def]
        yield path, command
        for name, sub in getattr(command, "commands", {}).items():
            yield from walk(sub, [*path, name])

    checked = 0
    for path, command in walk(get_command(sim.cli.app), []):
        texts = [getattr(command, "help", None) or ""]
        texts += [getattr(p, "help", None) or "" for p in getattr(command, "params", [])]
        wanted = [m.replace("\\[", "[") for t in texts for m in re.findall(r"\\?\[[^\]]*\]", t)]
        if not wanted:
            continue
        result = CliRunner().invoke(sim.cli.app, [*path, "--help"], env={"COLUMNS": "400"})
        shown = " ".join(result.output.replace("│", " ").split())
        for text in wanted:
            assert text in shown, (path, text)
            checked += 1
    assert checked >= 2
