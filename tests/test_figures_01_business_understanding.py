"""The figures 01 Business Understanding quotes, recomputed from the scenario's inputs."""
from __future__ import annotations

import math

from prose import flat, prose, unaccounted

ASSIGNMENT = "01_business_understanding"
TEXT = flat(prose(ASSIGNMENT))
HORIZON = 3 * 365


def daily(before_workers: float, before_hours: float, after_workers: float, after_hours: float, wage: float) -> float:
    return (before_workers * before_hours - after_workers * after_hours) * wage


def payback(value: float, development: float, monthly: float, horizon: int = HORIZON) -> int | None:
    """First day d (0-based) with value·d − development − monthly/30·d >= 0, solved for d."""
    net = value - monthly / 30
    if development <= 0:
        return 0
    day = math.ceil(development / net - 1e-9) if net > 0 else None
    return day if day is not None and day < horizon else None


def test_the_payback_days_it_quotes():
    assert payback(daily(20, 7.5, 2, 7.5, 1200), 10_000_000, 100_000) == 64
    assert "going from 20 to 2 inspectors pays back on day 64" in TEXT
    assert payback(daily(20, 7.5, 2, 7.5, 1200), 10_000_000, 2_500_000) == 128
    assert "(around day 128)" in TEXT
    assert HORIZON == 1095 and "horizon_days=1095" in TEXT and "three years" in TEXT


def test_the_unit_trap_example():
    value = daily(20, 7.5, 10, 7.5, 1200)
    assert value == 90_000 and "(value ¥90,000 a day)" in TEXT
    assert value - 100_000 < 0  # the monthly cost charged every day: the return falls forever
    assert "look like a permanent loss" in TEXT
    assert payback(value, 10_000_000, 100_000) is not None  # with the cost spread over the days it pays back


def test_the_running_cost_that_makes_ten_inspectors_a_loss():
    assert payback(daily(20, 7.5, 2, 7.5, 1200), 10_000_000, 2_500_000) is not None
    assert payback(daily(20, 7.5, 10, 7.5, 1200), 10_000_000, 2_500_000) is None
    assert "pays back within three years with 2 inspectors and not with 10" in TEXT


def test_the_qcd_values_and_their_periods():
    cost_per_day = (20 - 2) * 7.5 * 1200
    quality_per_month = (12 - 3) * 50_000
    assert (cost_per_day, cost_per_day * 30, quality_per_month) == (162_000, 4_860_000, 450_000)
    assert "¥162,000 a day, is ¥4,860,000 over a 30-day month, against ¥450,000 a month of claims avoided" in TEXT


def test_every_number_it_quotes_is_recomputed_or_given():
    recomputed = {"64", "128", "1095", "¥90,000", "¥162,000", "¥4,860,000", "¥450,000"}
    given = {
        "0", "1", "2", "3", "4", "5", "6", "7", "01",            # sections, numbered lists, day 0
        "7.5", "10", "12", "20", "30",                             # the line's inputs; 30 days a month
        "¥1,200", "¥50,000", "¥100,000", "¥2,500,000", "¥10,000,000",
    }
    assert unaccounted(ASSIGNMENT, recomputed, given) == set()
