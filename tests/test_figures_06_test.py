"""The figures 06 Test quotes: the brief's bars and the reference model's test figures."""
from __future__ import annotations

import pytest
from prose import flat, prose, unaccounted
from reference_run import reference_namespace

ASSIGNMENT = "06_test"
TEXT = flat(prose(ASSIGNMENT))


@pytest.fixture(scope="module")
def reference() -> dict:
    # the latency of a hundred single-house predictions depends on the machine, and no prose quotes it
    return reference_namespace(ASSIGNMENT, skip=("run-metrics", "run-decision"))


def test_the_brief_it_describes(reference):
    brief = reference["BRIEF"]
    assert brief["tolerated_miss_share"] == 0.2 and "misses by more than a fifth of a typical price" in TEXT
    assert (f"{brief['hours_saved_per_accepted_price']} hours at ${brief['agent_hourly_wage']:.0f} an hour" in TEXT
            and f"costs ${brief['monthly_operation_cost']:,.0f} a month to run" in TEXT
            and f"the agents list {brief['listings_per_month']} houses a month" in TEXT)
    assert brief["usable_r2"] == 0.8 and "R² of at least 0.80" in TEXT
    assert brief["page_latency_ms"] == 200 and "95 % of single-house predictions within 200 ms" in TEXT


def test_the_test_figures_against_the_bars(reference):
    model, test, target, bars = reference["model"], reference["test"], reference["TARGET"], reference["THRESHOLDS"]
    metrics = reference["evaluate"](model, test)
    within = reference["within_tolerance"](test[target], reference["predict_prices"](model, test))
    median = float(reference["train"][target].median())
    assert (f"R² {metrics['r2']:.3f} against {bars['r2_min']:.2f}, an RMSE of ${metrics['rmse']:,.0f} against "
            f"${bars['rmse_max']:,.0f} (a fifth of the ${median:,.0f} median of the training rows), and "
            f"{within * 100:.0f} % of the prices within 10 % against the break-even {bars['within_10pct_min'] * 100:.0f} %") in TEXT
    assert metrics["r2"] >= bars["r2_min"] and metrics["rmse"] <= bars["rmse_max"] and within >= bars["within_10pct_min"]
    assert metrics["rmse"] > 0.9 * bars["rmse_max"] and "The RMSE clears its bar by little" in TEXT
    assert round(metrics["r2"], 2) == 0.85 and '"R² = 0.85" means little' in TEXT
    assert round(3 * within) == 2 and "two houses in three are priced within 10 %" in TEXT


def test_every_number_it_quotes_is_recomputed_or_given():
    recomputed = {"0.850", "$30,283", "$31,600", "$158,000", "67", "60", "0.85"}
    given = {
        "0", "1", "2", "3", "4", "5", "6", "01", "04", "05", "06",   # sections, the course's assignments
        "1.5", "$40", "$7,200", "200", "0.80", "95", "10", "0.10",   # the brief; the 95th percentile; the 10 % tolerance
        "0.4",                                                       # "an RMSE of 0.4 of what?", a figure without a unit
    }
    assert unaccounted(ASSIGNMENT, recomputed, given) == set()
