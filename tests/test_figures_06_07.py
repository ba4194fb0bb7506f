"""Every figure the prose of 06 Test and 07 Churn quotes is what the reference solution computes.

The reference's code cells (not its test cells) run here in-process, then each quoted figure is
formatted from what they computed and looked for in the markdown cell that quotes it. A change of
data, model or prices that moves a figure fails here until the prose says the new figure.
"""
from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402
from conftest import COURSE  # noqa: E402

from autograder.cells import is_test_cell  # noqa: E402


def _reference(assignment: str, skip: tuple[str, ...] = ()) -> tuple[dict, dict[str, str]]:
    """The namespace the reference's code cells leave (those in ``skip`` not run) and the markdown by cell id."""
    nb = COURSE.assignment(assignment).read_source()
    namespace: dict = {}
    for cell in nb.cells:
        if cell.cell_type == "code" and not is_test_cell(cell) and cell.get("id") not in skip:
            exec(compile(cell.source, f"<{assignment} {cell.get('id')}>", "exec"), namespace)  # noqa: S102 - the course's own source
    plt.close("all")
    return namespace, {cell.get("id"): " ".join(cell.source.split()) for cell in nb.cells if cell.cell_type == "markdown"}


def _quoted(prose: dict[str, str], cell: str, *figures: str) -> None:
    missing = [figure for figure in figures if figure not in prose[cell]]
    assert not missing, f"{cell} should quote {missing}: rewrite the figures the prose states"


@pytest.fixture(scope="module")
def churn():
    # the sensitivity table is not quoted, and its three threshold searches are slow
    return _reference("07_churn", skip=("sensitivity-example", "setup-curve"))


def test_churn_business_case_figures(churn):
    ns, prose = churn
    today, goal = ns["unit_economics"](5_000, 500, 0.01, 200_000), ns["unit_economics"](5_000, 500, 0.006, 200_000)
    _quoted(prose, "md-case", "¥200,000", "¥5,000", "¥500 per customer", f"¥{today['monthly_profit']:,.0f}",
            f"¥{today['lifetime_value']:,.0f}", f"{today['ltv_to_cac']:.2f} times", f"¥{goal['lifetime_value']:,.0f}",
            f"{goal['ltv_to_cac']:.2f} times")
    data = ns["churn"]["churn"]
    nobody_accuracy = float((data == "no").mean())
    _quoted(prose, "intro", f"{int((data == 'yes').sum())} of the {len(data)}", f"{nobody_accuracy:.0%} accurate")
    _quoted(prose, "md-split", f"Only **{int((data == 'yes').sum())}**", f"{1 - nobody_accuracy:.0%}")
    _quoted(prose, "md-metrics", f"{nobody_accuracy:.0%} accurate")
    _quoted(prose, "md-classifier", f"{nobody_accuracy:.0%}-accurate")
    offers_per_lost_customer = ns["COST_MATRIX"][1][0] / ns["COST_MATRIX"][0][1]
    _quoted(prose, "md-threshold", f"costs {offers_per_lost_customer:.0f} offers")
    _quoted(prose, "md-verdict", f"as much as {offers_per_lost_customer:.0f} offers")


def test_churn_verdict_figures(churn):
    ns, prose = churn
    case, threshold = ns["case"], ns["REPORT"]["threshold"]
    offered = float((ns["proba_test"] >= threshold).mean())
    nothing_saving = case["do_nothing_yen_per_customer"] - case["model_yen_per_customer"]
    _quoted(prose, "md-verdict", f"is {threshold:.3f}", f"{offered:.1%} of the test", f"¥{case['model_yen_per_customer']:,.1f}",
            f"¥{case['offer_everyone_yen_per_customer']:,.1f}", f"¥{case['do_nothing_yen_per_customer']:,.1f}",
            f"¥{nothing_saving:,.1f}", f"¥{case['ml_value_yen_per_customer']:,.1f}", "budget of ¥500")
    assert case["go"] and case["best_without_ml_yen_per_customer"] == case["offer_everyone_yen_per_customer"], \
        "md-verdict says the model beats both policies and that offering everyone is the best without ML"
    assert case["offer_everyone_yen_per_customer"] == 500, "md-verdict says offering everyone spends exactly the budget"


def test_churn_budget_figures(churn):
    ns, prose = churn
    budget, unlimited = ns["budget"], ns["case"]
    y_test = ns["y_test"]
    _quoted(prose, "md-budget", "handset upgrade worth ¥5,000", "**¥500 per customer**", "one offer in ten")
    assert budget["customers_reached"] == len(y_test) // 10
    ratio = budget["ml_value_yen_per_customer"] / unlimited["ml_value_yen_per_customer"]
    _quoted(prose, "md-budget-reading", f"reaches {budget['customers_reached']} of the {len(y_test):,} test customers",
            f"{ns['reached_churners']} of the {int(y_test.sum())} churners", f"same {budget['customers_reached']} offers",
            f"¥{budget['random_offers_yen_per_customer']:,.1f}", f"¥{budget['do_nothing_yen_per_customer']:,.1f}",
            f"¥{budget['model_yen_per_customer']:,.1f}", f"¥{budget['ml_value_yen_per_customer']:,.1f}",
            f"¥{unlimited['ml_value_yen_per_customer']:,.1f} of the unlimited")
    assert round(ratio, -3) == 3000, "md-budget-reading says the ranking is worth some three thousand times the unlimited case"
    assert budget["go"]


@pytest.fixture(scope="module")
def testing():
    # the latency of 100 single-row predictions depends on the machine, and no prose quotes it
    return _reference("06_test", skip=("run-metrics", "run-decision"))


def test_test_assignment_figures(testing):
    ns, prose = testing
    brief, bars, test, target = ns["BRIEF"], ns["THRESHOLDS"], ns["test"], ns["TARGET"]
    _quoted(prose, "md-thresholds", f"{brief['hours_saved_per_accepted_price']} hours at ${brief['agent_hourly_wage']:.0f} an hour",
            f"${brief['monthly_operation_cost']:,.0f} a month", f"list {brief['listings_per_month']} houses a month",
            f"at least {brief['usable_r2']:.2f}", f"within {brief['page_latency_ms']} ms", "a fifth of a typical price")
    assert brief["tolerated_miss_share"] == 0.2, "md-thresholds says a fifth"
    metrics = ns["evaluate"](ns["model"], test)
    within = ns["within_tolerance"](test[target], ns["predict_prices"](ns["model"], test))
    median = float(ns["train"][target].median())
    _quoted(prose, "md-levels", f"R² {metrics['r2']:.3f} against {bars['r2_min']:.2f}", f"RMSE of ${metrics['rmse']:,.0f}",
            f"against ${bars['rmse_max']:,.0f}", f"${median:,.0f} median", f"{within * 100:.0f} % of the prices within 10 %",
            f"break-even {bars['within_10pct_min'] * 100:.0f} %")
    assert metrics["r2"] >= bars["r2_min"] and metrics["rmse"] <= bars["rmse_max"] and within >= bars["within_10pct_min"], \
        "md-levels says the model meets the three model-level bars"
    assert metrics["rmse"] > 0.9 * bars["rmse_max"], "md-levels says the RMSE clears its bar by little"
    assert round(3 * within) == 2, "the introduction says two houses in three are priced within 10 %"
    _quoted(prose, "intro", "two houses in three")
