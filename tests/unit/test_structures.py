"""Named structures (SPEC §9): each structure is the scenario with its overrides, drawn with the
same seed; conclusions per structure and mixed over the weights; bad structures refused."""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.compile import compile_problem
from sim.core.analysis import analyse
from sim.errors import ScenarioError
from sim.model import load_scenario
from sim.montecarlo.structures import expand, stratified
from sim.runs.uncertainty import uncertainty

TOY = Path(__file__).resolve().parents[1] / "fixtures" / "toy" / "base.yaml"

CLOSED = {
    "parties.a.red_lines": [
        {"issue": "border", "options": ["west", "middle"], "evidence": [{"assumption": "a"}]}
    ],
    "parties.b.red_lines": [
        {"issue": "border", "options": ["east"], "evidence": [{"assumption": "b"}]}
    ],
}
"""Overrides under which the two sides' red lines rule out every border: no feasible bundle."""


def write(folder: Path, name: str, document: dict[str, Any]) -> Path:
    base = folder / "base.yaml"
    if not base.exists():
        base.write_text(TOY.read_text(encoding="utf-8"), encoding="utf-8")
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, **document}, sort_keys=False), "utf-8")
    return path


def two_structures(
    folder: Path, weight: float, vary: dict[str, Any] | None = None, name: str = "mixed"
) -> Path:
    return write(
        folder,
        name,
        {
            "extends": "base",
            "uncertainty": {
                "vary": vary or {},
                "structures": {
                    "stated": {"weight": weight, "evidence": [{"assumption": "as stated"}]},
                    "closed": {
                        "weight": round(1 - weight, 12),
                        "set": CLOSED,
                        "evidence": [{"assumption": "neither side gives ground"}],
                    },
                },
            },
        },
    )


@pytest.mark.parametrize("weight", [0.3, 0.8])
def test_a_mixture_recovers_its_closed_form(tmp_path: Path, weight: float) -> None:
    """The zone exists in the stated structure (the core's own analysis says so) and in none of
    the closed one's draws (no feasible bundle), so its mixed share is exactly the weight."""
    path = two_structures(tmp_path, weight)
    stated = load_scenario(path)
    assert analyse(compile_problem(stated.scenario)).acceptable.value > 0
    result = uncertainty(path, draws=200, seed=3, sensitivity=False)
    zone = result.structures["mixed"]["measures"]["zone"]
    assert zone["by_structure"] == {"stated": 1.0, "closed": 0.0}
    low, high = zone["mixed"]["ci"]
    assert zone["mixed"]["p"] == pytest.approx(weight, abs=1e-12)
    assert low <= weight <= high
    assert not low <= 1 - weight <= high  # the weights swapped would be caught
    assert zone["holds_in"] == ["stated"] and zone["fails_in"] == ["closed"]
    assert "zone" in result.structures["mixed"]["depends_on_structure"]
    measures = result.structures["mixed"]["measures"]
    # half ({border: middle}) is not accepted under every completion (middle and aligned
    # crosses a's red line) but one completion (middle, neutral) is in the zone, as the core
    # says of that bundle; in the closed structure no completion is
    middle_neutral = load_scenario(path).raw().with_overrides({}).scenario
    problem = compile_problem(middle_neutral)
    digits = {problem.issue_index("border"): problem.option_index("border", "middle"),
              problem.issue_index("status"): problem.option_index("status", "neutral")}  # fmt: skip
    from sim.core.verdict import Verdict, judge_terms

    verdicts = judge_terms(problem, digits)
    assert all(v.verdict is Verdict.ACCEPTS for v in verdicts[:2])  # a and b, the veto parties
    assert measures["half.all"]["by_structure"] == {"stated": 0.0, "closed": 0.0}
    assert measures["half.some"]["by_structure"] == {"stated": 1.0, "closed": 0.0}
    assert [s.name for s in result.scenarios] == ["mixed@stated", "mixed@closed"]


def test_each_structure_is_the_scenario_with_its_overrides(tmp_path: Path) -> None:
    """A structure's draws equal those of a scenario file stating the same overrides in
    ``set:`` (the same judgments, the same seed), so structures are paired draw by draw."""
    vary = {"parties.*.weights.*": {"relative": 0.5}, "parties.a.values.border.middle": {
        "uniform": [0.2, 0.8]}}  # fmt: skip
    path = two_structures(tmp_path, 0.5, vary)
    direct = write(
        tmp_path,
        "direct",
        {"extends": "base", "set": CLOSED, "uncertainty": {"vary": vary}},
    )
    result = uncertainty([path, direct], draws=300, seed=5, sensitivity=False)
    closed, same = result["mixed@closed"].draws, result["direct"].draws
    stated = result["mixed@stated"].draws
    assert np.array_equal(closed.acceptable, same.acceptable)
    assert np.array_equal(closed.verdicts, same.verdicts)
    assert np.unique(stated.acceptable).shape[0] > 1  # the draws move the stated zone
    plain = write(tmp_path, "plain", {"extends": "base", "uncertainty": {"vary": vary}})
    alone = uncertainty(plain, draws=300, seed=5, sensitivity=False)["plain"].draws
    assert np.array_equal(stated.acceptable, alone.acceptable)
    assert np.array_equal(stated.solutions, alone.solutions)


def test_identical_structures_differ_by_nothing(tmp_path: Path) -> None:
    """Two structures that change nothing the analysis reads: every paired difference is 0
    and no conclusion depends on the structure."""
    document = {
        "extends": "base",
        "uncertainty": {
            "vary": {"parties.*.weights.*": {"relative": 0.9}},
            "structures": {
                "one": {"weight": 0.5},
                "two": {"weight": 0.5, "set": {"proposals.half.title": "Another title"}},
            },
        },
    }
    result = uncertainty(write(tmp_path, "same", document), draws=200, seed=1)
    mix = result.structures["same"]
    assert mix["depends_on_structure"] == []
    for measure in mix["measures"].values():
        assert measure["versus_first"]["two"]["difference"] == 0.0
        assert measure["spread"] == 0.0


def test_a_variant_is_paired_with_its_parents_same_structure(tmp_path: Path) -> None:
    parent = two_structures(tmp_path, 0.5, {"parties.*.weights.*": {"relative": 0.3}})
    child = write(tmp_path, "child", {"extends": "mixed", "set": {"levers.aid.value": 0.5}})
    result = uncertainty([parent, child], draws=100, seed=2, sensitivity=False)
    assert set(result.structures) == {"mixed", "child"}
    versus = result["child@closed"].summary.versus_parent
    assert versus is not None and versus.parent == "mixed@closed"


def test_the_stratified_interval_covers_the_mixture() -> None:
    """Coverage of the mixed share's 95% interval over simulated structures, including
    structures where a conclusion always or never holds (an independent simulation)."""
    rng = np.random.default_rng(11)
    cases = [
        ((0.2, 0.9), (200, 200), (0.3, 0.7)),
        ((0.02, 0.5, 0.97), (100, 300, 100), (0.2, 0.5, 0.3)),
        ((0.5,), (30,), (1.0,)),
        ((0.01, 0.3), (1000, 1000), (0.9, 0.1)),
    ]
    for shares, draws, weights in cases:
        truth = sum(p * w for p, w in zip(shares, weights, strict=True))
        counts = [rng.binomial(n, p, 2000) for p, n in zip(shares, draws, strict=True)]
        covered = 0
        for r in range(2000):
            share = stratified([int(c[r]) for c in counts], list(draws), list(weights))
            covered += share.low <= truth <= share.high
        assert 0.93 <= covered / 2000 <= 0.99, (shares, covered / 2000)


def test_a_structure_always_or_never_holding_keeps_its_uncertainty() -> None:
    """The mutation the adjustment guards against: a plain normal interval on structures in
    which a conclusion always or never holds has width 0 and misses any nearby truth."""
    share = stratified([200, 0], [200, 200], [0.5, 0.5])
    assert share.high - share.low > 0.005
    assert share.low <= 0.497 <= share.high


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(app, list(args))
    return result.exit_code, result.output


def test_bad_structures_are_refused_with_file_and_field(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad",
        {
            "extends": "base",
            "uncertainty": {"structures": {"one": {"weight": 0.5}, "two": {"weight": 0.6}}},
        },
    )
    code, output = run("validate", str(bad))
    assert code == 2 and "Traceback" not in output
    assert "bad.yaml:" in output
    assert "uncertainty.structures: the weights sum to 1.1 (one 0.5 + two 0.6), not 1" in output
    code, output = run("uncertainty", str(bad), "--no-record")
    assert code == 2 and "the weights sum to 1.1" in output

    unknown = write(
        tmp_path,
        "unknown",
        {
            "extends": "base",
            "uncertainty": {
                "structures": {
                    "one": {"weight": 0.5, "set": {"parties.a.nothing": 1}},
                    "two": {"weight": 0.5, "set": {"parties.a.weights.border": "heavy"}},
                }
            },
        },
    )
    for command in (("validate",), ("uncertainty", "--no-record")):
        code, output = run(command[0], str(unknown), *command[1:])
        assert code == 2 and "Traceback" not in output, output
        assert "uncertainty.structures.one.set: parties.a.nothing: unknown key" in output
        assert "uncertainty.structures.two.set: parties.a.weights.border:" in output

    weight = write(
        tmp_path,
        "weight",
        {"extends": "base", "uncertainty": {"structures": {"one": {"weight": 1.5}}}},
    )
    code, output = run("validate", str(weight))
    assert code == 2 and "uncertainty.structures.one.weight" in output


def test_validate_warns_of_a_structure_without_a_zone(tmp_path: Path) -> None:
    code, output = run("validate", str(two_structures(tmp_path, 0.5)))
    assert code == 0, output
    assert "warning: uncertainty.structures.closed: no feasible bundle" in output
    assert "uncertainty.structures.stated" not in output


def test_expand_names_each_structure() -> None:
    loaded = load_scenario(TOY)
    assert expand(loaded) == []
    with pytest.raises(ScenarioError):
        expand(loaded.raw().with_overrides({"uncertainty": {"structures": {
            "x": {"weight": 1.0, "set": {"issues.nothing.options": {}}}}}}))  # fmt: skip


def test_the_report_leads_with_the_structures(tmp_path: Path) -> None:
    """The report of a run reads the stored mixture: the structures with their weights, then
    each conclusion mixed and per structure, those that depend on the structure marked."""
    folder = tmp_path / "run"
    uncertainty(two_structures(tmp_path, 0.3), draws=100, seed=1, out=folder)
    (tmp_path / "base.yaml").unlink()
    (tmp_path / "mixed.yaml").unlink()  # the report reads the run, not the files
    out = tmp_path / "report.md"
    code, output = run("report", str(folder), "--format", "markdown", "--out", str(out))
    assert code == 0, output
    text = out.read_text(encoding="utf-8")
    assert "## Structures of mixed" in text
    assert "| stated | 0.3 |" in text and "| closed | 0.7 |" in text
    assert "| \\* a zone of agreement | 30.0% (" in text  # markdown escapes the mark
    assert text.index("## Structures of mixed") < text.index("## Scenario mixed@stated")


def test_the_interval_holds_the_estimate_with_many_structures() -> None:
    """A conclusion that holds in every draw of four structures: the adjusted centre alone
    would leave 100% outside the interval."""
    share = stratified([200] * 4, [200] * 4, [0.375, 0.375, 0.125, 0.125])
    assert share.p == 1.0 and share.high == 1.0 and share.low < 1.0
    share = stratified([0] * 4, [200] * 4, [0.375, 0.375, 0.125, 0.125])
    assert share.p == 0.0 and share.low == 0.0 and share.high > 0.0


def drawn_red_lines(folder: Path, firm_a: float, firm_b: float, **extra: Any) -> Path:
    """The closing red lines stated, each firm with its probability (no judgment drawn)."""
    evidence = [{"assumption": "toy"}]
    return write(
        folder,
        "drawn",
        {
            "extends": "base",
            "set": CLOSED,
            "uncertainty": {
                "vary": {},
                "red_lines": {
                    "parties.a.red_lines.0": {"firm": firm_a, "evidence": evidence},
                    "parties.b.red_lines.0": {"firm": firm_b, "evidence": evidence},
                },
                **extra,
            },
        },
    )


def test_drawn_red_lines_mix_every_combination_by_its_probability(tmp_path: Path) -> None:
    """The mixed share of a zone is the sum over the four combinations of red lines firm or
    lifted of its probability times whether the core's own analysis of that combination finds
    a zone (each combination compiled from a scenario stating only its firm red lines)."""
    firm = {"a": 0.7, "b": 0.4}
    path = drawn_red_lines(tmp_path, firm["a"], firm["b"])
    result = uncertainty(path, draws=50, seed=0, sensitivity=False, strategic_draws=0)
    mix = result.structures["drawn"]
    expected = 0.0
    for a_firm, b_firm in itertools.product((True, False), repeat=2):
        weight = (firm["a"] if a_firm else 1 - firm["a"]) * (firm["b"] if b_firm else 1 - firm["b"])
        stated = {
            p: (v if f else []) for (p, v), f in zip(CLOSED.items(), (a_firm, b_firm), strict=True)
        }
        loaded = load_scenario(TOY).raw().with_overrides(stated)
        expected += weight * (analyse(compile_problem(loaded.scenario)).acceptable.value > 0)
    assert mix["measures"]["zone"]["mixed"]["p"] == pytest.approx(expected, abs=1e-12)
    assert 0.0 < expected < 1.0
    weights = {k: v["weight"] for k, v in mix["structures"].items()}
    assert weights == pytest.approx(
        {
            "stated": 0.28,
            "stated-without-b-border": 0.42,
            "stated-without-a-border": 0.12,
            "stated-without-a-border-b-border": 0.18,
        }
    )


def test_a_red_line_always_firm_adds_no_structure(tmp_path: Path) -> None:
    found = expand(load_scenario(drawn_red_lines(tmp_path, 1.0, 0.5)))
    assert [(s.name, s.weight) for s in found] == [
        ("stated", 0.5),
        ("stated-without-b-border", 0.5),
    ]
    assert found[1].loaded.scenario.parties["b"].red_lines == []
    assert len(found[1].loaded.scenario.parties["a"].red_lines) == 1


def test_drawn_red_lines_combine_with_declared_structures(tmp_path: Path) -> None:
    path = drawn_red_lines(
        tmp_path,
        0.5,
        0.5,
        structures={
            "low_aid": {"weight": 0.25, "set": {"levers.aid.value": 0.0}},
            "usual": {"weight": 0.75},
        },
    )
    found = expand(load_scenario(path))
    assert len(found) == 8
    assert sum(s.weight for s in found) == pytest.approx(1.0)
    assert {s.loaded.scenario.levers["aid"].value for s in found if "low_aid" in s.name} == {0.0}


def test_bad_drawn_red_lines_are_refused(tmp_path: Path) -> None:
    bad = write(
        tmp_path,
        "bad_lines",
        {
            "extends": "base",
            "uncertainty": {
                "red_lines": {
                    "parties.a.red_lines.3": {"firm": 0.5},
                    "parties.z.red_lines.0": {"firm": 0.5},
                    "parties.b.red_lines": {"firm": 0.5},
                }
            },
        },
    )
    code, output = run("validate", str(bad))
    assert code == 2 and "Traceback" not in output
    for path in ("parties.a.red_lines.3", "parties.z.red_lines.0", "parties.b.red_lines"):
        assert f"uncertainty.red_lines: {path}: names no stated red line" in output
    firm = write(
        tmp_path,
        "firm",
        {"extends": "base", "uncertainty": {"red_lines": {"parties.a.red_lines.0": {"firm": 2}}}},
    )
    code, output = run("validate", str(firm))
    assert code == 2 and "firm: Input should be less than or equal to 1" in output
    clash = drawn_red_lines(
        tmp_path,
        0.5,
        0.5,
        structures={"x": {"weight": 1.0, "set": {"parties.a.red_lines": []}}},
    )
    code, output = run("uncertainty", str(clash), "--no-record")
    assert code == 2 and "uncertainty.structures.x.set: parties.a.red_lines: overridden" in output
    many = {f"parties.a.red_lines.{k}": {"firm": 0.5} for k in range(7)}
    lines = [{"issue": "border", "options": ["east"]}] * 7
    too_many = write(
        tmp_path,
        "many",
        {
            "extends": "base",
            "set": {"parties.a.red_lines": lines},
            "uncertainty": {"red_lines": many},
        },
    )
    code, output = run("validate", str(too_many))
    assert code == 2 and "make 128 structures, above the limit of 64" in output


def test_validate_warns_of_unsupported_structures(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "bare",
        {
            "extends": "base",
            "uncertainty": {
                "structures": {"one": {"weight": 1.0}},
                "red_lines": {"parties.a.red_lines.0": {"firm": 0.5}},
            },
        },
    )
    code, output = run("validate", str(path))
    assert code == 0, output
    assert "warning: uncertainty.structures.one: no evidence supports" in output
    assert "warning: uncertainty.red_lines.parties.a.red_lines.0: no evidence supports" in output


def test_a_structure_without_feasible_bundles_is_drawn_with_consent_and_bargaining(
    tmp_path: Path,
) -> None:
    """A structure whose red lines leave no feasible bundle, in a scenario where a third
    party's consent is needed and bargaining over time is played: no zone, no agreement."""
    consent = {"terms": ["border=west"], "evidence": [{"assumption": "c delivers the west"}]}
    path = write(
        tmp_path,
        "consented",
        {
            "extends": "base",
            "set": {"parties.c.consent": consent, "parties.c.reservation": 0.2},
            "uncertainty": {
                "vary": {"parties.*.weights.*": {"relative": 0.2}},
                "structures": {
                    "stated": {"weight": 0.5},
                    "closed": {"weight": 0.5, "set": CLOSED},
                },
            },
        },
    )
    result = uncertainty(path, draws=64, seed=1)
    closed = result["consented@closed"]
    assert closed.summary.zone.p == 0.0
    assert closed.summary.bargaining is not None
    assert closed.summary.bargaining.agreement.p == 0.0
    assert result["consented@stated"].summary.zone.p == 1.0


def test_validate_checks_the_quotes_of_the_uncertainty_section_and_of_structures(
    tmp_path: Path,
) -> None:
    """Quotes in a spread's evidence and in a structure's overrides are checked against the
    documents like every other quote, each placed where it was written."""
    documents = Path(__file__).resolve().parents[1] / "fixtures" / "toy-documents"
    missing = [{"source": "doc", "quote": "another missing quote"}]
    path = write(
        tmp_path,
        "quoted",
        {
            "extends": "base",
            "uncertainty": {
                "vary": {
                    "parties.a.weights.border": {
                        "relative": 0.1,
                        "evidence": [{"source": "doc", "quote": "not in the document at all"}],
                    }
                },
                "structures": {
                    "one": {
                        "weight": 1.0,
                        "set": {
                            "parties.a.red_lines": [
                                {"issue": "border", "options": ["east"], "evidence": missing}
                            ]
                        },
                        "evidence": [{"source": "doc", "quote": "a is likely to prevail"}],
                    }
                },
            },
        },
    )
    code, output = run("validate", str(path), "--documents", str(documents))
    assert code == 2 and "Traceback" not in output
    assert (
        "quoted.yaml:4: uncertainty.vary.parties.a.weights.border.evidence.0.quote: quote not "
        "found verbatim in toy.txt: 'not in the document at all'" in output
    )
    assert (
        "uncertainty.structures.one.set: parties.a.red_lines.0.evidence.0.quote: quote not "
        "found verbatim in toy.txt: 'another missing quote'" in output
    )
    assert "a is likely to prevail" not in output  # verbatim: no problem


def test_the_mixed_surplus_weighs_each_structures_mean(tmp_path: Path) -> None:
    """The closed structure has no zone (surplus 0 in every draw): the mixed surplus is the
    stated structure's mean times its weight."""
    path = two_structures(tmp_path, 0.3, {"parties.*.weights.*": {"relative": 0.5}})
    result = uncertainty(path, draws=200, seed=3, sensitivity=False, strategic_draws=0)
    value = result.structures["mixed"]["surplus"]
    stated = result["mixed@stated"].draws.measures
    assert stated is not None
    mean = float(np.nan_to_num(stated.surplus).mean())
    assert value["by_structure"] == {"stated": pytest.approx(mean), "closed": 0.0}
    assert value["mixed"]["mean"] == pytest.approx(0.3 * mean)
    low, high = value["mixed"]["ci"]
    assert low < 0.3 * mean < high


def test_drawn_red_lines_and_discounts_equal_one_draw_at_a_time(tmp_path: Path) -> None:
    """In every structure of drawn red lines, with discount factors and weights drawn: the
    vectorised static layer's zone and Nash bundle equal the core's analysis of each drawn
    scenario compiled again, and bargaining over time equals the per-draw path exactly."""
    from sim.montecarlo.draws import draw_block
    from sim.montecarlo.induction import vectorised_strategic_block
    from sim.montecarlo.judgments import resolve_judgments
    from sim.montecarlo.static import build_structure, evaluate_block
    from sim.montecarlo.strategic import strategic_block

    path = drawn_red_lines(tmp_path, 0.5, 0.5)
    document = yaml.safe_load(path.read_text(encoding="utf-8"))
    document["set"] = {**document["set"], "parties.a.discount": 0.9, "parties.b.discount": 0.8}
    document["uncertainty"]["vary"] = {
        "parties.*.discount": {"jitter": 0.08},
        "parties.*.weights.*": {"relative": 0.4},
        "parties.*.values.border.*": {"jitter": 0.2},
    }
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    zones = set()
    for choice in expand(load_scenario(path)):
        judgments = resolve_judgments(choice.loaded)
        assert {j.path for j in judgments} >= {"parties.a.discount", "parties.b.discount"}
        structure = build_structure(choice.loaded, judgments)
        drawn = draw_block(judgments, 5, 0, 40)
        static = evaluate_block(structure, drawn)
        for d in range(40):
            row = {j.path: float(v) for j, v in zip(judgments, drawn[d], strict=True)}
            scenario = choice.loaded.raw().with_overrides(row).scenario
            analysis = analyse(compile_problem(scenario))
            assert int(static.acceptable[d]) == analysis.acceptable.value, (choice.name, d)
            zones.add((choice.name, int(static.acceptable[d]) > 0))
        expected = strategic_block(structure, drawn)
        got = vectorised_strategic_block(structure, drawn)
        assert np.array_equal(got.period, expected.period), choice.name
        assert np.array_equal(got.bundle, expected.bundle), choice.name
        assert np.array_equal(got.self_enforcing, expected.self_enforcing), choice.name
    assert {name for name, zone in zones if zone} and {name for name, zone in zones if not zone}


def test_validate_warns_of_a_deciding_judgment_never_drawn(tmp_path: Path) -> None:
    document = {
        "extends": "base",
        "uncertainty": {
            "vary": {"parties.a.weights.*": {"relative": 0.2}, "levers.aid.value": {"jitter": 0}},
            "red_lines": {
                "parties.a.red_lines.0": {"firm": 0.5, "evidence": [{"assumption": "x"}]}
            },
            "deciding": [
                "parties.a.weights.*",  # drawn
                "parties.b.discount",  # not drawn
                "levers.aid.value",  # a spread of width 0: never varies
                "parties.a.red_lines.0",  # a drawn red line
            ],
        },
    }
    code, output = run("validate", str(write(tmp_path, "deciding", document)))
    assert code == 0, output
    assert (
        "uncertainty.deciding.1: parties.b.discount is named as deciding but never drawn" in output
    )
    assert "uncertainty.deciding.2: levers.aid.value is named as deciding but never drawn" in output
    assert "uncertainty.deciding.0" not in output and "uncertainty.deciding.3" not in output
