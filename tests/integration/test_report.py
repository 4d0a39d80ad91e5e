"""`sim report` and `sim plot` on every kind of run folder, and their bad input."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("matplotlib")

import sim
import sim.api as api
from sim.cli import app
from tests.unit.test_figures import scenario_text

runner = CliRunner()

HOSTILE = 'Two sides <script>alert(1)</script> & "quotes"'


@pytest.fixture
def case(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder with the test scenario, a variant, their run folders and a sweep with a failed
    point; the current directory is that folder (as when `sim run` was started there)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "split.yaml").write_text(scenario_text(HOSTILE), encoding="utf-8")
    variant = (
        scenario_text()
        .replace("name: split", "name: split_b")
        .replace("reservation: 0.35", "reservation: 0.45")
    )
    (tmp_path / "split_b.yaml").write_text(variant, encoding="utf-8")
    api.run("split.yaml", out=tmp_path / "run_a", results=tmp_path / "results")
    api.run("split_b.yaml", out=tmp_path / "run_b", results=tmp_path / "results")
    api.sweep(
        "split.yaml",
        grid={
            "parties.a.weights.border": [0, 3],
            "parties.a.weights.status": [0, 2],
            "parties.a.weights.trade": [0, 1],
        },
        executor="serial",
        results=tmp_path / "results",
        out=tmp_path / "sweep",
    )
    return tmp_path


def invoke(*args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_run_report_is_self_contained_and_tells_the_case(case: Path) -> None:
    code, _, err = invoke("report", "run_a", "--out", "r.html")
    assert code == 0, err
    page = (case / "r.html").read_text(encoding="utf-8")
    # self-contained: no script, no external resource, figures inline
    assert "<script" not in page.replace(html.escape("<script>"), "")
    assert not re.search(r'(href|src)="(https?:|//)|url\((https?:|//)|@import', page)
    assert page.count("<svg") == 4
    # the untrusted title is escaped wherever it appears
    assert "<script>alert(1)</script>" not in page
    assert html.escape(HOSTILE) in page
    # what was run, with hashes; headline; solutions; proposals; bargaining; games; evidence
    manifest = json.loads((case / "run_a" / "manifest.json").read_text())
    for entry in manifest["scenario_files"]:
        assert entry["sha256"] in page
    outcome = api.analyse("split.yaml")
    nash = outcome.solution("nash")
    assert nash is not None
    assert f"{outcome.space.acceptable:,} of" in page
    assert "The solutions side by side" in page and "Kalai" in page
    assert "The named proposals" in page and "deal" in page
    assert "Bargaining over time" in page
    assert "Assumptions (judgment, not quoted evidence)" in page
    assert "Side B never cedes the west." in page
    assert "<td>reservation</td><td></td><td>0.35</td>" in page  # side A's stated number
    # hovering a frontier point shows its terms
    for point in outcome.frontier:
        assert f"frontier bundle {point.bundle.index}: " in page


def test_markdown_report_writes_its_figures_beside_it(case: Path) -> None:
    code, _, err = invoke("report", "run_a", "--format", "markdown", "--out", "r.md")
    assert code == 0, err
    text = (case / "r.md").read_text(encoding="utf-8")
    figures = sorted((case / "r_figures").glob("*.svg"))
    assert len(figures) == 4
    for figure in figures:
        assert f"](r_figures/{figure.name})" in text
    assert "<script>" not in text


def test_the_output_name_chooses_the_format_and_a_contradiction_is_refused(case: Path) -> None:
    code, _, err = invoke("report", "run_a", "--out", "named.md")
    assert code == 0, err
    text = (case / "named.md").read_text(encoding="utf-8")
    assert text.startswith("# ") and "<html" not in text  # Markdown, as its name says
    assert len(list((case / "named_figures").glob("*.svg"))) == 4
    code, _, err = invoke("report", "run_a", "--out", "other.txt")
    assert code == 0, err
    assert (case / "other.txt").read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    for out, given in (("wrong.md", "html"), ("wrong.html", "markdown")):
        code, out_text, err = invoke("report", "run_a", "--out", out, "--format", given)
        assert code == 2 and "Traceback" not in out_text + err
        assert f"--out {out}: a " in err and f"--format {given}" in err
        assert not (case / out).exists()
    code, _, err = invoke("report", "run_a", "--out", "short.md", "--format", "md")
    assert code == 0, err  # an extension names its format
    code, _, err = invoke("report", "run_a", "--out", "x.md", "--format", "pdf")
    assert code == 2 and "unknown format 'pdf' (known: html, markdown)" in err
    written = sim.write_report([case / "run_a"], case / "api.markdown")
    assert written[0].read_text(encoding="utf-8").startswith("# ")


def test_sweep_report_shows_failed_points_as_failed(case: Path) -> None:
    code, _, err = invoke("report", "sweep", "--out", "s.html")
    assert code == 0, err
    page = (case / "s.html").read_text(encoding="utf-8")
    assert "Failed points" in page
    assert '<tr class="marked">' in page
    assert "weights are missing or all zero" in page
    assert "1 failed" in page


def test_comparison_report(case: Path) -> None:
    code, _, err = invoke("report", "run_a", "run_b", "--out", "c.html")
    assert code == 0, err
    page = (case / "c.html").read_text(encoding="utf-8")
    comparison = api.compare_runs("run_a", "run_b")
    assert comparison.changes
    assert "What changed" in page
    for change in comparison.changes:
        assert html.escape(change.column) in page


def test_uncertainty_report(case: Path) -> None:
    from sim.runs.uncertainty import uncertainty

    uncertainty(["split.yaml"], draws=60, seed=1, out=case / "unc", record=True)
    code, _, err = invoke("report", "unc", "--out", "u.html")
    assert code == 0, err
    page = (case / "u.html").read_text(encoding="utf-8")
    summary = json.loads((case / "unc" / "summary.json").read_text())["scenarios"]["split"]
    assert f"{summary['p_zone']:.1%}" in page
    assert page.count("<svg") == 1


def test_plot_writes_svg_and_png_and_never_overwrites_without_force(case: Path) -> None:
    code, _, err = invoke("plot", "run_a", "space", "--out", "space.svg")
    assert code == 0, err
    svg = (case / "space.svg").read_text(encoding="utf-8")
    assert svg.startswith("<?xml") and "<title>" in svg
    code, _, err = invoke("plot", "run_a", "space", "--out", "space.svg")
    assert code == 2 and "exists; give --force" in err
    code, _, err = invoke("plot", "run_a", "zone", "--out", "space.svg", "--force")
    assert code == 0, err
    code, _, err = invoke("plot", "sweep", "sweep", "--metric", "acceptable", "--out", "s.png")
    assert code == 0, err
    assert (case / "s.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = invoke("plot", "run_a", "compare", "run_b", "--out", "c.svg")
    assert code == 0, err
    code, _, err = invoke("report", "run_a", "--out", "space.svg")
    assert code == 2 and "exists; give --force" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("report", "."), "not a run folder (no manifest.json)"),
        (("report", "nowhere"), "no such run folder"),
        (("plot", "run_a", "pie"), "unknown figure kind 'pie' (known: space, zone, timeline"),
        (("plot", "sweep", "sweep", "--metric", "nope"), "unknown metric 'nope' (known: "),
        (("plot", "sweep", "space"), "'space' does not apply to a sweep (for a sweep: sweep)"),
        (("plot", "run_a", "space", "--scenario", "x"), "unknown scenario 'x' (known: split)"),
        (("plot", "run_a", "space", "--out", "f.pdf"), "must end in .svg or .png"),
        (("report", "run_a", "--format", "pdf"), "unknown format 'pdf' (known: html, markdown)"),
        (("report", "run_a", "run_b", "sweep"), "give one run folder, or two to compare"),
    ],
)
def test_bad_input_exits_2_with_one_clear_message(
    case: Path, args: tuple[str, ...], message: str
) -> None:
    code, out, err = invoke(*args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err + out


def test_changed_inputs_are_refused_or_reported_prominently(case: Path) -> None:
    path = case / "split.yaml"
    path.write_text(path.read_text() + "\n# edited after the run\n", encoding="utf-8")
    # the run folder keeps the scenario as analysed: the report tells the run, and says that
    # the file changed since
    code, _, err = invoke("report", "run_a", "--out", "kept.html")
    assert code == 0, err
    page = (case / "kept.html").read_text(encoding="utf-8")
    assert '<p class="warning">Input split.yaml: changed since the run' in page
    # a run folder without it (made before the scenarios were kept) must re-read the file
    import shutil

    shutil.rmtree(case / "run_a" / "scenarios")
    code, _, err = invoke("report", "run_a", "--out", "r.html")
    assert code == 2
    assert "changed since the run" in err and "--allow-changed-inputs" in err
    assert not (case / "r.html").exists()
    code, _, err = invoke("report", "run_a", "--out", "r.html", "--allow-changed-inputs")
    assert code == 0, err
    page = (case / "r.html").read_text(encoding="utf-8")
    assert '<p class="warning">Input split.yaml: changed since the run' in page


def test_inputs_are_found_from_anywhere_and_a_missing_one_is_named(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import shutil

    moved = case.parent / f"{case.name}-moved" / "run_a"
    shutil.copytree(case / "run_a", moved)
    monkeypatch.chdir(moved.parent)  # neither where the run was made nor below it
    code, out, err = invoke("report", str(moved), "--out", str(case / "r.html"))
    assert code == 0, err  # the manifest records each input's absolute path
    (case / "split.yaml").rename(case / "split.yaml.gone")
    # the scenario as analysed is in the run folder: the report needs no file
    code, out, err = invoke("report", str(moved), "--out", str(case / "r2.html"))
    assert code == 0, err
    assert "split.yaml: not found" in (case / "r2.html").read_text(encoding="utf-8")
    shutil.rmtree(moved / "scenarios")  # as a run folder made before they were kept
    code, out, err = invoke("report", str(moved), "--out", str(case / "r3.html"))
    assert code == 2
    assert "split.yaml: not found" in err
    assert "Traceback" not in out + err


def test_a_figure_kind_added_to_the_registry_is_placed_in_the_report(
    case: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import sim.figures as figures
    from sim.figures.chart import Chart, new_figure

    def build(source: object, options: figures.FigureOptions) -> list[Chart]:
        figure = new_figure(3, 2)
        figure.add_subplot().plot([0, 1], [0, 1])
        return [Chart("extra", "An extra figure", figure, "Drawn by a test-only figure kind.")]

    extra = figures.FigureKind("extra", "a test-only figure", ("run",), build, "proposals")
    monkeypatch.setattr(figures, "FIGURES", (*figures.FIGURES, extra))
    code, _, err = invoke("report", "run_a", "--out", "extra.html")
    assert code == 0, err
    page = (case / "extra.html").read_text(encoding="utf-8")
    assert page.count("Drawn by a test-only figure kind.") == 1
    # placed after the proposals' section, before bargaining over time's
    assert page.index("Drawn by a test-only figure kind.") < page.index("Bargaining over time")
    assert page.index("The named proposals") < page.index("Drawn by a test-only figure kind.")


def test_every_run_figure_follows_a_section_of_the_report() -> None:
    import sim.figures as figures

    assert {kind.after for kind in figures.kinds_for("run")} <= set(figures.RUN_SECTIONS)
