"""Every command the documentation quotes in a shell block runs, as written, from a fresh copy of
the repository, and the files the docs say a command makes are the ones the repository holds
(so the docs cannot drift from the tool)."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
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


@pytest.mark.slow
def test_every_documented_command_runs_and_remakes_what_the_repository_holds(
    tmp_path: Path,
) -> None:
    clone = fresh_copy(tmp_path / "clone")
    for command in readme_commands((clone / "README.md").read_text(encoding="utf-8")):
        done = run_line(command, clone)
        assert done.returncode == 0, f"README set-up: {command}\n{done.stderr[-2000:]}"
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
    assert "docs/figures/sanctions_threat-space.svg" in made
    for name in made:  # regenerated in the copy: byte for byte what the repository holds
        assert (clone / name).read_bytes() == (REPO / name).read_bytes(), name
