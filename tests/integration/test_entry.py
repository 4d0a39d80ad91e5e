"""The console entry point imports only the module of the command it runs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import sim.cli
import sim.commands
from sim.commands import MODULES

REPO = Path(__file__).resolve().parents[2]
TOY = REPO / "tests" / "fixtures" / "toy" / "base.yaml"


def registered() -> dict[str, str]:
    """Command name -> the module that registers it, from the whole application."""
    app = sim.cli.app
    found = {
        (info.name or info.callback.__name__.replace("_", "-")): info.callback.__module__
        for info in app.registered_commands
        if info.callback is not None
    }
    for group in app.registered_groups:
        modules = [
            name
            for name, module in sys.modules.items()
            if name.startswith("sim.commands.")
            and any(value is group.typer_instance for value in vars(module).values())
        ]
        assert group.name is not None
        found[group.name] = modules[0]
    return found


def test_every_listed_command_is_registered_by_the_module_listed() -> None:
    commands = registered()
    for name, module in MODULES.items():
        assert commands.get(name) == f"sim.commands.{module}", name


def test_every_registered_command_is_listed() -> None:
    """A command missing from MODULES still works, but imports the whole application."""
    assert sorted(registered()) == sorted(MODULES)


def fresh(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``code`` in a fresh interpreter with the repository on its path (and ``env``)."""
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=REPO,
        env={"PYTHONPATH": str(REPO), "PATH": "/usr/bin:/bin", **env},
        check=True,
    )


def probe(args: list[str]) -> list[str]:
    """Run the entry point on ``args`` in a fresh process; the command modules it imported."""
    code = (
        "import sys\n"
        "from sim.entry import main\n"
        f"sys.argv = ['sim', *{args!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(' '.join(sorted(m for m in sys.modules if m.startswith('sim.commands.'))),"
        " file=sys.stderr)\n"
    )
    done = fresh(code)
    return done.stderr.strip().splitlines()[-1].split()


def test_run_imports_only_its_own_command_module() -> None:
    modules = probe(["run", str(TOY), "--no-record"])
    assert "sim.commands.analysis" in modules
    assert "sim.commands.report" not in modules and "sim.commands.formats" not in modules


def test_version_imports_no_command_module() -> None:
    assert probe(["--version"]) == ["sim.commands.base"]


@pytest.mark.parametrize("args", [["--help"], ["no-such-command"]])
def test_anything_else_gets_the_whole_application(args: list[str]) -> None:
    modules = probe(args)
    assert {"sim.commands.report", "sim.commands.formats", "sim.commands.analysis"} <= set(modules)


def test_the_entry_point_stops_openblas_spinning_unless_told_otherwise() -> None:
    code = (
        "import os, sys\n"
        "from sim.entry import main\n"
        "assert 'numpy' not in sys.modules  # else the setting would come too late\n"
        "sys.argv = ['sim', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(os.environ.get('OPENBLAS_THREAD_TIMEOUT'))\n"
    )

    def timeout(**env: str) -> str:
        return fresh(code, **env).stdout.strip().splitlines()[-1]

    assert timeout() == "4"
    assert timeout(OPENBLAS_THREAD_TIMEOUT="20") == "20"  # the user's setting wins


def test_version_does_not_import_numpy() -> None:
    code = (
        "import sys\n"
        "from sim.entry import main\n"
        "sys.argv = ['sim', '--version']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('numpy' in sys.modules)\n"
    )
    done = fresh(code)
    version, imported = done.stdout.splitlines()
    assert version.startswith("sim ") and imported == "False"


def test_the_collector_waits_for_start_up_and_runs_the_command() -> None:
    """`sim` pauses the cyclic garbage collector while it imports (sim.startup) and starts it
    again, with start-up's objects frozen, before the command's work: the analysis runs with
    it enabled. Mutation: a guard that does not resume it leaves the analysis without one."""
    code = (
        "import gc, sys\n"
        "import sim.runs.run as run\n"
        "seen = []\n"
        "original = run.run_scenarios\n"
        "def spy(*args, **kwargs):\n"
        "    seen.append((gc.isenabled(), gc.get_freeze_count() > 0))\n"
        "    return original(*args, **kwargs)\n"
        "run.run_scenarios = spy\n"
        "from sim.entry import main\n"
        f"sys.argv = ['sim', 'run', {str(TOY)!r}, '--no-record']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print(seen, file=sys.stderr)\n"
    )
    assert fresh(code).stderr.strip().splitlines()[-1] == "[(True, True)]"
    without = code.replace(
        "from sim.entry import main\n",
        (
            "import sim.startup\n"
            "sim.startup.resume_collector = lambda: None\n"
            "from sim.entry import main\n"
        ),
    )
    assert fresh(without).stderr.strip().splitlines()[-1] == "[(False, False)]"


def test_the_collector_is_left_alone_outside_the_console_script() -> None:
    """Library use and in-process command runs never pause it (nor freeze anything)."""
    import gc

    from sim.startup import resume_collector

    frozen = gc.get_freeze_count()
    resume_collector()
    assert gc.isenabled() and gc.get_freeze_count() == frozen
