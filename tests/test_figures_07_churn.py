"""The figures 07 Churn quotes: the business case from its inputs, the verdicts from the reference's model."""
from __future__ import annotations

import pytest
from prose import flat, prose, unaccounted
from reference_run import reference_namespace

ASSIGNMENT = "07_churn"
TEXT = flat(prose(ASSIGNMENT))


@pytest.fixture(scope="module")
def reference() -> dict:
    # the sensitivity table and the cost curve quote nothing, and their threshold searches are slow
    return reference_namespace(ASSIGNMENT, skip=("sensitivity-example", "setup-curve"))


def test_the_business_case(reference):
    today = reference["unit_economics"](5_000, 500, 0.01, 200_000)
    goal = reference["unit_economics"](5_000, 500, 0.006, 200_000)
    assert (today["monthly_profit"], today["lifetime_value"], goal["lifetime_value"]) == (4_500, 450_000, 750_000)
    assert "the monthly profit is ¥4,500, and at 1% churn a month the LTV is ¥450,000" in TEXT
    assert f"Today the LTV is only {today['ltv_to_cac']:.2f} times the CAC" in TEXT and today["ltv_to_cac"] < 3
    assert f"raises the LTV to ¥750,000, {goal['ltv_to_cac']:.2f} times the CAC" in TEXT and goal["ltv_to_cac"] >= 3
    assert "stays 1 / 0.01 = 100 months on average" in TEXT
    prices = reference["COST_MATRIX"]
    assert prices[1][0] / prices[0][1] == 400 and "A missed churner costs 400 offers" in TEXT
    assert "a lost customer costs as much as 400 offers" in TEXT


def test_the_data(reference):
    churned = reference["churn"]["churn"].eq("yes")
    assert (int(churned.sum()), len(churned)) == (707, 5000) and "Only 707 of the 5000 customers churned" in TEXT
    assert f"{1 - churned.mean():.0%}" == "86%" and "is 86% accurate and saves nothing" in TEXT
    assert "86%-accurate" in TEXT and "a model that flags nobody is 86% accurate" in TEXT
    assert f"{churned.mean():.0%}" == "14%" and "With 14% churners" in TEXT and "(The 14% who left" in TEXT


def test_the_verdict_against_the_best_policy_without_ml(reference):
    case, threshold = reference["case"], reference["REPORT"]["threshold"]
    offered = float((reference["proba_test"] >= threshold).mean())
    seeming_saving = case["do_nothing_yen_per_customer"] - case["model_yen_per_customer"]
    assert (f"the threshold chosen on the validation set is {threshold:.3f}: {offered:.1%} of the test customers get the offer, "
            f"and the model costs ¥{case['model_yen_per_customer']:,.1f} per customer, against "
            f"¥{case['offer_everyone_yen_per_customer']:,.1f} for offering everyone and "
            f"¥{case['do_nothing_yen_per_customer']:,.1f} for offering nobody") in TEXT
    assert f"the model would seem to save ¥{seeming_saving:,.1f} per customer" in TEXT
    assert f"the model's own value is ¥{case['ml_value_yen_per_customer']:,.1f} per customer" in TEXT
    assert case["go"] and case["best_without_ml_yen_per_customer"] == case["offer_everyone_yen_per_customer"] == 500
    assert "offering everyone spends exactly the budget of ¥500 per customer" in TEXT


def test_the_budget_that_reaches_only_some_customers(reference):
    budget, unlimited, y_test = reference["budget"], reference["case"], reference["y_test"]
    assert budget["customers_reached"] == len(y_test) // 10 and "The budget then pays for one offer in ten" in TEXT
    assert (f"the budget reaches {budget['customers_reached']} of the {len(y_test):,} test customers, and "
            f"{reference['reached_churners']} of the {int(y_test.sum())} churners are among them") in TEXT
    assert (f"the same {budget['customers_reached']} offers would cost ¥{budget['random_offers_yen_per_customer']:,.1f} per customer "
            f"(offering nobody costs ¥{budget['do_nothing_yen_per_customer']:,.1f}); targeted by the model they cost "
            f"¥{budget['model_yen_per_customer']:,.1f}, so the ranking is worth ¥{budget['ml_value_yen_per_customer']:,.1f} per customer") in TEXT
    assert budget["go"]
    assert round(budget["ml_value_yen_per_customer"] / unlimited["ml_value_yen_per_customer"], -3) == 3000
    assert f"some three thousand times the ¥{unlimited['ml_value_yen_per_customer']:,.1f} of the unlimited case" in TEXT


def test_every_number_it_quotes_is_recomputed_or_given():
    recomputed = {"¥4,500", "¥450,000", "¥750,000", "2.25", "3.75", "100", "400", "707", "5000", "86", "14",
                  "0.008", "98.9", "¥494.5", "¥500.0", "¥28,200.0", "¥27,705.5", "¥5.5",
                  "1,000", "97", "141", "¥25,880.0", "¥9,300.0", "¥16,580.0"}
    given = {
        "0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11",      # sections, 1 / 0.01, the classes 0 and 1
        "01", "02", "03", "04", "05", "06", "07",                          # the course's assignments
        "¥200,000", "¥500", "¥5,000", "0.01", "0.6",                        # the workshop's business figures
        "60", "20", "40",                                                  # the split and its random_state
        "200", "1000", "1001", "0.001", "0.5", "1.0", "0.78",              # estimator settings, the grid, AUC's scale and bar
    }
    assert unaccounted(ASSIGNMENT, recomputed, given) == set()
