"""The case's headline conclusions over the uncertainty it declares (`uncertainty:` in
scenarios/ukraine/baseline.yaml): each test states a documented reaction or a README conclusion
as a share of draws with its 95% interval, and names the judgments that could have made it fail.
None holds merely because a red line or a coefficient's sign makes it true by construction; the
conclusions that do (every named proposal rejected by one side's red line) are not tested here.

400 seeded draws per scenario: the shares are deterministic, and a test asserts on the interval's
bound, not on the estimate alone.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import sim

CASE = Path(__file__).resolve().parents[2] / "scenarios" / "ukraine"
SCENARIOS = ("baseline", "aid_freeze", "march_2025", "interim_ceasefire", "sanctions_threat")


@cache
def odds() -> dict[str, Any]:
    result = sim.uncertainty(
        [CASE / f"{name}.yaml" for name in SCENARIOS], draws=400, seed=11, sensitivity=False
    )
    scenarios: dict[str, Any] = result.document()["scenarios"]
    return scenarios


def test_ukraine_accepts_the_interim_package() -> None:
    """Kyiv accepted the US plan for a 30-day interim ceasefire (12 March 2025). No Ukrainian
    red line is involved: it could have failed through Ukraine's war stakes (`win`, `lose`), its
    value of the interim ceasefire or its weights."""
    package = odds()["interim_ceasefire"]["proposals"]["interim_ceasefire_package"]
    low, _ = odds()["interim_ceasefire"]["proposals_ci"]["interim_ceasefire_package"]["ukraine"]
    assert package["ukraine"] >= 0.9 and low >= 0.9


def test_a_sanctions_threat_opens_a_zone() -> None:
    """The reports attribute to Washington a threat of new sanctions if Moscow will not negotiate.
    It could have failed through the size of the sanctions' cost to Russia (its `cost.effects`),
    the sanctions level, or either side's war stakes."""
    threat = odds()["sanctions_threat"]
    assert threat["p_zone_ci"][0] >= 0.95
    paired = threat["versus_parent"]
    assert paired["parent"] == "baseline" and paired["p_zone"]["ci"][0] > 0.1


def test_the_interim_ceasefire_news_opens_zones_that_march_2025_lacks() -> None:
    """Kyiv's acceptance and Washington's ire redirected at Moscow (sanctions 0.5) against the
    March 2025 state: it could have failed through the sanctions level and its cost to Russia."""
    paired = odds()["interim_ceasefire"]["versus_parent"]
    assert paired["parent"] == "march_2025" and paired["p_zone"]["ci"][0] > 0.1


def test_no_zone_in_baseline_is_uncertain() -> None:
    """The README reports "no bundle is acceptable in baseline" as uncertain: it holds in fewer
    than 80% of draws. It would be a finding if the war stakes were narrower."""
    low, _ = odds()["baseline"]["p_zone_ci"]
    assert 1 - low < 0.8


def test_the_freeze_does_not_make_a_zone_less_likely() -> None:
    """The README reports "the aid freeze makes a deal less likely" as not supported: the paired
    difference in the chance of a zone is not below zero. It could have failed through the aid
    lever's effect on the chance of prevailing and the two sides' war stakes."""
    paired = odds()["aid_freeze"]["versus_parent"]
    assert paired["parent"] == "baseline" and paired["p_zone"]["ci"][1] > 0
