"""Budgets of the analysis estimated before the work starts: the Pareto filter's work (expected
front size, against a closed form and a brute-force count) and composite issues made by
interaction terms."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
import yaml
from typer.testing import CliRunner

from sim.cli import app
from sim.core.work import expected_maxima, pareto_work, work_refusal
from sim.errors import InputError


def invoke(args: list[str]) -> tuple[int, str]:
    result = CliRunner().invoke(app, args)
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.stdout + result.stderr


def test_expected_maxima_in_two_dimensions_is_the_harmonic_number() -> None:
    for n in (1, 2, 10, 1000):
        assert expected_maxima(n, 2) == pytest.approx(sum(1 / i for i in range(1, n + 1)))
    assert expected_maxima(1000, 1) == 1.0


def _maxima(points: list[list[float]]) -> int:
    """Plain-Python count of the points no other point beats in every coordinate."""
    return sum(
        not any(all(q[k] > p[k] for k in range(len(p))) for q in points if q is not p)
        for p in points
    )


@pytest.mark.parametrize(("n", "d"), [(40, 3), (30, 5)])
def test_expected_maxima_matches_a_brute_force_count(n: int, d: int) -> None:
    rng = np.random.default_rng(d)
    counts = [_maxima(rng.random((n, d)).tolist()) for _ in range(400)]
    standard_error = np.std(counts) / np.sqrt(len(counts))
    assert abs(np.mean(counts) - expected_maxima(n, d)) < 4 * standard_error


def test_work_refusal_names_the_size_and_the_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    assert work_refusal(10**7, 2) == ""  # a sorted sweep
    reason = work_refusal(262_144, 16)
    assert "16 judges would filter 262,144 points" in reason
    assert f"{pareto_work(262_144, 16):.2g} comparisons" in reason
    assert "$SIM_MAX_PARETO_WORK" in reason
    monkeypatch.setenv("SIM_MAX_PARETO_WORK", str(10**13))
    assert work_refusal(262_144, 16) == ""
    monkeypatch.setenv("SIM_MAX_PARETO_WORK", "many")
    with pytest.raises(InputError, match=r"\$SIM_MAX_PARETO_WORK: 'many' is not a positive"):
        work_refusal(10, 3)


def scenario(
    path: Path, parties: int, issues: int, options: int, links: tuple[tuple[int, int], ...] = ()
) -> Path:
    rng = np.random.default_rng(parties + issues)
    document: dict[str, object] = {
        "name": "gen",
        "issues": {f"i{i}": {"options": {f"o{k}": f"o{k}" for k in range(options)}}
                   for i in range(issues)},
        "parties": {
            f"p{p}": {
                "reservation": 0.1,
                "weights": {f"i{i}": int(rng.integers(1, 5)) for i in range(issues)},
                "values": {
                    f"i{i}": {f"o{k}": round(float(rng.random()), 2) for k in range(options)}
                    for i in range(issues)
                },
                "evidence": {f"i{i}": [{"assumption": "generated"}] for i in range(issues)},
                "interactions": [
                    {"when": {f"i{a}": "o0", f"i{b}": "o1"}, "value": 0.05,
                     "evidence": [{"assumption": "generated"}]}
                    for a, b in links
                ] if p == 0 else [],
            }
            for p in range(parties)
        },
    }  # fmt: skip
    path.write_text(yaml.safe_dump(document, sort_keys=False), encoding="utf-8")
    return path


@pytest.mark.parametrize("d", [3, 4, 7])
def test_work_refusal_refuses_exactly_when_the_estimate_exceeds_the_limit(
    d: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Whether it sums the expectation or stops at the bound ``n * n * d``, the refusal is
    the estimate against the limit, limits near either figure included."""
    for n in (1, 2, 50, 1000, 4096):
        work, most = pareto_work(n, d), n * n * d
        for limit in {1, int(work) - 1, int(work), int(work) + 1, most - 1, most, most + 1}:
            if limit < 1:
                continue
            monkeypatch.setenv("SIM_MAX_PARETO_WORK", str(limit))
            assert (work_refusal(n, d) == "") == (work <= limit), (n, d, limit)


def test_sixteen_parties_over_a_million_bundles_are_refused_at_once(tmp_path: Path) -> None:
    path = scenario(tmp_path / "many.yaml", 16, 20, 2)
    started = time.monotonic()
    code, output = invoke(["run", str(path), "--no-record"])
    assert code == 2 and "Traceback" not in output
    assert "many.yaml: the frontier among 16 judges would filter 262,144 points" in output
    assert "$SIM_MAX_PARETO_WORK" in output
    assert time.monotonic() - started < 30  # it ran for hours; the check precedes any work


def test_the_pareto_budget_is_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = scenario(tmp_path / "small.yaml", 3, 4, 3)
    assert invoke(["run", str(path), "--no-record"])[0] == 0
    monkeypatch.setenv("SIM_MAX_PARETO_WORK", "10")
    code, output = invoke(["run", str(path), "--no-record"])
    assert code == 2 and "the frontier among 3 judges would filter 81 points" in output


def test_an_interaction_spanning_forty_issues_is_refused_before_allocating(
    tmp_path: Path,
) -> None:
    # i0 and i39 linked: the composite joins all 40 issues, 2^40 options (8 TiB of indices)
    path = scenario(tmp_path / "linked.yaml", 2, 40, 2, links=((0, 39),))
    for command in (["run", str(path), "--no-record"], ["run", str(path), "--max-space", "10"]):
        code, output = invoke(command)
        assert code == 2 and "Traceback" not in output
        assert "interaction terms join the 40 issues from i0 to i39" in output
        assert "1,099,511,627,776 options, more than the limit of 4,194,304" in output
        assert "$SIM_MAX_COMPOSITE" in output


def test_the_composite_limit_is_live(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = scenario(tmp_path / "linked.yaml", 2, 4, 3, links=((1, 2),))
    assert invoke(["run", str(path), "--no-record"])[0] == 0
    monkeypatch.setenv("SIM_MAX_COMPOSITE", "8")
    code, output = invoke(["run", str(path), "--no-record"])
    assert code == 2 and "join the 2 issues from i1 to i2" in output and "9 options" in output


def test_the_consent_limit_is_raised_by_its_variable(monkeypatch: pytest.MonkeyPatch) -> None:
    # the peacekeepers case has 6 feasible bundles, enumerated because a party holds consent
    case = str(Path(__file__).resolve().parents[1] / "fixtures" / "consent" / "peacekeepers.yaml")
    monkeypatch.setenv("SIM_MAX_CONSENT", "5")
    code, output = invoke(["run", case, "--no-record"])
    assert code == 2 and "Traceback" not in output
    assert "this problem has 6, more than the limit of 5 (raise it with $SIM_MAX_CONSENT)" in output
    monkeypatch.setenv("SIM_MAX_CONSENT", "6")
    assert invoke(["run", case, "--no-record"])[0] == 0
