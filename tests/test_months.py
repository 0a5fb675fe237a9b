"""Months as text: one checker for every command and notebook function."""

import pytest

from helpers.errors import MonthError
from helpers.months import aligned, check_month, month_index, months_between, shift
from helpers.words import month_name


@pytest.mark.parametrize("bad", ["2023-13", "2023-7", "July 2023", "23-07", " 2023-07", 202307, None])
def test_malformed_months_are_refused_with_the_range(bad):
    with pytest.raises(MonthError) as err:
        check_month(bad, "2022-01", "2026-01")
    assert str(err.value) == f"malformed month {bad!r}: expected YYYY-MM; months available: 2022-01 to 2026-01"


def test_months_outside_the_data_are_refused_with_the_range():
    with pytest.raises(MonthError, match=r"^no data for 2026-02; months available: 2022-01 to 2026-01$"):
        check_month("2026-02", "2022-01", "2026-01")
    assert check_month("2026-01", "2022-01", "2026-01") == "2026-01"


def test_counting_and_naming():
    assert months_between("2023-11", "2024-02") == ["2023-11", "2023-12", "2024-01", "2024-02"]
    assert shift("2024-01", -1) == "2023-12" and shift("2023-12", 13) == "2025-01"
    assert month_name("2023-07") == "July 2023"


def test_month_index_of_text_and_dates_agree():
    from datetime import date

    import pandas as pd

    assert month_index("2023-07") == month_index(date(2023, 7, 9)) == month_index(pd.Timestamp("2023-07-31"))
    assert month_index("2024-01") - month_index("2023-12") == 1


def test_aligned_takes_dates_and_timestamps():
    from datetime import date

    import pandas as pd

    assert aligned(date(2024, 2, 1), date(2024, 2, 29)) and not aligned(date(2023, 2, 1), date(2023, 2, 28 - 1))
    assert aligned(pd.Timestamp("2023-01-01"), pd.Timestamp("2023-03-31"))
    assert not aligned(pd.Timestamp("2024-09-06"), pd.Timestamp("2024-11-04"))
