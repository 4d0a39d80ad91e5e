"""The summary-first reports: the uncertainty numbers shown as stored, the evidence shown once,
a sweep's lever sentences and constant metrics, a comparison's changed inputs, and the case
report's size and order."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("matplotlib")

import sim.report.odds as odds
from sim.cli import app
from sim.montecarlo.document import Difference
from sim.report import sweep_page
from tests import summaries

REPO = Path(__file__).resolve().parents[2]
runner = CliRunner()


def sim(*args: str) -> None:
    result = runner.invoke(app, list(args))
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module")
def case(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shipped case run, a small uncertainty run of it and the reports."""
    folder = tmp_path_factory.mktemp("case")
    here = Path.cwd()
    import os

    os.chdir(REPO)
    try:
        sim("run", "scenarios/ukraine/", "--out", str(folder / "run"))
        sim(
            "uncertainty",
            "scenarios/ukraine/",
            "--draws",
            "30",
            "--seed",
            "3",
            "--out",
            str(folder / "odds"),
        )
        sim("report", str(folder / "run"), str(folder / "odds"), "--out", str(folder / "case.html"))
        sim("report", str(folder / "odds"), "--out", str(folder / "odds.html"))
    finally:
        os.chdir(here)
    return folder


def text_of(page: str) -> str:
    page = re.sub(r"<svg.*?</svg>", "", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def test_case_report_opens_with_the_summary_and_is_under_a_megabyte(case: Path) -> None:
    raw = (case / "case.html").read_bytes()
    assert len(raw) < 1_000_000
    page = raw.decode()
    order = ["in-brief", "side-by-side", "how-sure", "baseline", "evidence", "provenance"]
    places = [page.index(f'id="{anchor}"') for anchor in order]
    assert places == sorted(places)
    # nothing but the title and the contents comes before the summary
    assert "sha256" not in page[: places[0]]
    # the evidence shared by the seven scenarios appears once: a quote of the baseline
    quote = "in every scenario"
    assert quote in page
    baseline = (REPO / "scenarios/ukraine/baseline.yaml").read_text(encoding="utf-8")
    files = "".join(
        f.read_text(encoding="utf-8") for f in (REPO / "scenarios/ukraine").glob("*.yaml")
    )
    first = re.search(r'quote: "([^"]{30,80})', baseline)
    assert first is not None
    # as often as the scenario files cite it, not once per scenario (seven times)
    assert 1 <= page.count(html.escape(first.group(1), quote=True)) <= files.count(first.group(1))


def test_every_paired_difference_is_shown_with_its_stored_interval(case: Path) -> None:
    summary = json.loads((case / "odds" / "summary.json").read_text())
    for name in ("case.html", "odds.html"):
        words = text_of((case / name).read_text(encoding="utf-8"))
        for scenario, entry in summary["scenarios"].items():
            versus = entry.get("versus_parent") or {}
            if not versus.get("parent"):
                continue
            diff = versus["acceptable_mean"]
            # an independent rendering of the stored numbers
            low, high = (f"{v:+,.0f}".replace("-", "−") for v in diff["ci"])
            shown = f"{diff['difference']:+,.0f}".replace("-", "−")
            assert (
                f"{scenario} {versus['parent']} acceptable bundles (mean) {shown} [{low}, {high}]"
                in " ".join(words.split())
            ), (name, scenario)


def test_the_sensitivity_ranking_and_its_noise_level_are_shown(case: Path) -> None:
    summary = json.loads((case / "odds" / "summary.json").read_text())
    words = " ".join(text_of((case / "case.html").read_text(encoding="utf-8")).split())
    for scenario, entry in summary["scenarios"].items():
        ranking = entry["sensitivity"].get("nash_modal")
        if not isinstance(ranking, list):
            continue
        noise = entry["sensitivity"]["noise"]["nash_modal"]
        best = max(ranking, key=lambda r: r["index"])
        assert f"{scenario} nash_modal {noise:.3f} {best['path']} {best['index']:.3f}" in words


def test_the_conclusions_rebuild_the_readme_table_from_the_summary() -> None:
    """A hand-written summary: every row's numbers as a reader would compute them."""
    summary = summaries.summary(
        draws=100,
        seed=1,
        base=summaries.scenario(
            zone=summaries.odds(1.0, 0.963, 1.0),
            acceptable=summaries.acceptable(600.0),
            proposals={"plan": {"all": summaries.odds(0.0, 0.0, 0.037)}},
            solutions={"nash": summaries.solution(0.3)},
            sensitivity=summaries.sensitivity(
                p_zone="constant over the draws",
                noise={"nash_modal": 0.1},
                nash_modal=[
                    {"path": "war.prevail.base", "index": 0.22, "above_noise": True},
                    {"path": "parties.a.weights.x", "index": 0.05, "above_noise": False},
                ],
            ),
        ),
        push=summaries.scenario(
            zone=summaries.odds(0.5, 0.4, 0.6),
            acceptable=summaries.acceptable(835.0),
            solutions={"nash": summaries.solution(0.9)},
            versus_parent=summaries.versus(
                "base",
                shared_judgments=10,
                acceptable_mean=Difference(235.0, 223.0, 247.0),
                zone_in_both=0.5,
            ),
        ),
    )
    rows = {r[0]: r for r in odds.conclusion_rows(summary)}
    zone = rows[
        "A zone of agreement exists: some bundle is acceptable to every veto party "
        "and to whoever must deliver it"
    ]
    assert zone[1] == "100% [96.3%, 100%] in base; 50% [40%, 60%] in push"
    assert zone[3] == "uncertain"  # 50% in push is under 80%
    widen = rows["push widens the zone against base"]
    assert (
        widen[1] == "+235 acceptable bundles on the base mean of 600, paired [+223, +247]; "
        "a zone in both in 50%"
    )
    assert widen[3] == "finding"
    nash = rows["Which bundle the Nash solution picks"]
    assert nash[2].startswith("war.prevail.base (PAWN up to 0.22")
    assert "parties.a.weights.x" not in nash[2]  # within the noise
    assert nash[3].startswith("uncertain")
    proposals = rows["No named proposal is accepted by every veto party"]
    assert "0% [0%, 3.7%] (plan)" in proposals[1] and proposals[3] == "finding"


def test_a_difference_whose_interval_spans_zero_is_not_a_finding(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    summary = summaries.summary(
        base=summaries.scenario(acceptable=summaries.acceptable(10.0)),
        v=summaries.scenario(
            versus_parent=summaries.versus("base", acceptable_mean=Difference(3.0, -1.0, 7.0))
        ),
    )
    (row,) = [r for r in odds.conclusion_rows(summary) if r[0].startswith("v ")]
    assert row[0] == "v changes the zone against base"
    assert row[3] == "uncertain: the interval includes 0"
    # the mutation: a status that ignores the interval calls it a finding, and the check sees it
    monkeypatch.setattr(odds, "FINDING", -1.0)
    rows = odds.conclusion_rows(
        summaries.summary(a=summaries.scenario(zone=summaries.odds(0.1, 0.0, 0.2)))
    )
    assert rows[0][3] == "finding"


def test_spread_groups_scenarios_sharing_a_value() -> None:
    assert odds.spread({"a": "1", "b": "1", "c": "2"}) == "1 in every scenario but c; 2 in c"
    assert odds.spread({"a": "1", "b": "1"}) == "1 in every scenario"
    assert odds.spread({"a": "1", "b": "2"}) == "1 in a; 2 in b"


def test_lever_effects_are_the_means_over_the_other_levers() -> None:
    rows = [
        {"x": "0", "y": "0", "acceptable": "10"},
        {"x": "0", "y": "1", "acceptable": "20"},
        {"x": "1", "y": "0", "acceptable": "30"},
        {"x": "1", "y": "1", "acceptable": "50", "error": ""},
        {"x": "1", "y": "2", "acceptable": "999", "error": "failed"},
    ]
    effects = dict(sweep_page.lever_effects(rows, ["x", "y"], "acceptable"))
    # by hand: x=0 -> (10+20)/2, x=1 -> (30+50)/2 (the failed point left out)
    assert effects["x"] == [(0.0, 15.0), (1.0, 40.0)]
    assert effects["y"] == [(0.0, 20.0), (1.0, 35.0)]
    assert sweep_page.constant_metrics(rows, ["x", "acceptable"]) == {}
    assert sweep_page.constant_metrics([{"m": "0"}, {"m": "0"}], ["m"]) == {"m": "0"}


def test_sweep_report_flags_a_constant_metric_and_says_what_each_lever_does(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    sweep = tmp_path / "sweep"
    sim(
        "sweep",
        "baseline",
        "--grid",
        "levers.sanctions.value=0,1",
        "--grid",
        "levers.aid.value=0,1",
        "--out",
        str(sweep),
    )
    sim("report", str(sweep), "--out", str(tmp_path / "s.html"))
    words = " ".join(text_of((tmp_path / "s.html").read_text(encoding="utf-8")).split())
    assert "Raising levers.sanctions.value (" in words
    assert "Raising levers.aid.value (" in words
    assert "Constant at every point, so not drawn and not in the table:" in words
    assert "The result at each point (4 of 4)" in words


def test_comparison_report_leads_with_the_input_that_changed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(REPO)
    sim("run", "baseline", "--out", str(tmp_path / "a"))
    sim("run", "sanctions_threat", "--out", str(tmp_path / "s"))
    sim("report", str(tmp_path / "a"), str(tmp_path / "s"), "--out", str(tmp_path / "d.html"))
    page = (tmp_path / "d.html").read_text(encoding="utf-8")
    other = " ".join(text_of(page).split())
    assert "lever sanctions: 0 -> 1" in other
    assert "scenario file scenarios/ukraine/sanctions_threat.yaml: read by run B only" in other
    assert page.index("The inputs that differ") < page.index('id="changes"')
    assert page.index("The inputs that differ") < page.index('id="provenance"')


def test_a_command_line_override_is_named_as_the_input_that_changed() -> None:
    from types import SimpleNamespace

    from sim.report.compare_page import input_lines

    def run(command: list[str], sha: str) -> SimpleNamespace:
        files = [{"path": "s.yaml", "sha256": sha}]
        manifest = {"command": command, "scenario_files": files, "seed": 0}
        return SimpleNamespace(manifest=manifest, scenarios=())

    a = run(["sim", "run", "s", "--out", "x"], "1" * 64)
    b = run(["sim", "run", "s", "--set", "levers.l.value=1", "--out", "y"], "1" * 64)
    # the output folders differ too, but are not an input
    assert input_lines(a, b) == [  # type: ignore[arg-type]
        "command: sim run s -> sim run s --set levers.l.value=1"
    ]
    c = run(["sim", "run", "s", "--out", "z"], "2" * 64)
    (line,) = input_lines(a, c)  # type: ignore[arg-type]
    assert line.startswith("scenario file s.yaml: changed between the runs")


def test_compacting_a_figure_keeps_the_drawing(case: Path) -> None:
    """The report's smaller SVG has the same elements, texts and frontier hovers, and every
    reference still resolves (the mutation below, dropping every id, is caught)."""
    import xml.etree.ElementTree as ET

    from sim.figures import figure
    from sim.figures.chart import svg_text
    from sim.report import html as report_html

    here = Path.cwd()
    import os

    os.chdir(REPO)
    try:
        chart = figure(case / "run", "space", scenario="baseline")
    finally:
        os.chdir(here)
    full = svg_text(chart, "f1")
    small = report_html.compact_svg(full)
    assert len(small) < 0.6 * len(full)

    def parts(svg: str) -> tuple[dict[str, int], list[str], list[str]]:
        root = ET.fromstring(svg)
        tags: dict[str, int] = {}
        for element in root.iter():
            name = element.tag.split("}")[-1]
            if name != "g":  # groups carry only clips and ids: merged where they repeat
                tags[name] = tags.get(name, 0) + 1
        titles = [t.text or "" for t in root.iter() if t.tag.endswith("title")]
        texts = [t.text or "" for t in root.iter() if t.tag.endswith("text")]
        return tags, [t for t in titles if t.startswith("frontier")], texts

    assert parts(small) == parts(full)

    def dangling(svg: str) -> set[str]:
        ids = set(re.findall(r' id="([\w-]+)"', svg))
        wanted = set(re.findall(r"url\(#([\w-]+)\)", svg)) | set(
            re.findall(r'href="#([\w-]+)"', svg)
        )
        return wanted - ids

    assert dangling(small) == set()
    assert dangling(re.sub(r' id="[\w-]+"', "", small)) != set()  # the check can fail


def test_a_run_made_with_set_is_reported_as_it_ran(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A run made with --set: the run folder keeps the scenario as analysed, so its report
    tells the run, not the files; a folder without it (made before they were kept) is re-read
    from the files, and the report says that the stored result differs."""
    monkeypatch.chdir(REPO)
    sim("run", "baseline", "--out", str(tmp_path / "run"))
    sim("report", str(tmp_path / "run"), "--out", str(tmp_path / "a.html"))
    assert "the run recorded" not in (tmp_path / "a.html").read_text(encoding="utf-8")
    sim("run", "baseline", "--set", "levers.sanctions.value=1", "--out", str(tmp_path / "set"))
    sim("report", str(tmp_path / "set"), "--out", str(tmp_path / "b.html"))
    stored = json.loads((tmp_path / "set" / "outcomes" / "baseline.json").read_text())
    recorded = stored["space"]["acceptable"]
    words = " ".join(text_of((tmp_path / "b.html").read_text(encoding="utf-8")).split())
    assert "the run recorded" not in words and f"{recorded:,}" in words
    import shutil

    shutil.rmtree(tmp_path / "set" / "scenarios")
    sim("report", str(tmp_path / "set"), "--out", str(tmp_path / "c.html"))
    words = " ".join(text_of((tmp_path / "c.html").read_text(encoding="utf-8")).split())
    assert f"baseline: the run recorded {recorded:,} acceptable bundles" in words
