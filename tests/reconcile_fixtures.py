"""Synthetic claims for the reconciliation tests: one call per figure, a DataFrame shaped like claims.csv."""

from __future__ import annotations

import calendar
from datetime import date

import pandas as pd

from helpers.tables import CLAIM_COLUMNS
from helpers.vocab import bounds, period_days, period_kind

PUBLISHERS = {
    "centcom": "U.S. Central Command", "taskandpurpose": "Task & Purpose", "pledgetimes": "Pledge Times",
    "kurdistan24": "Kurdistan24", "rudaw": "Rudaw", "antiwar": "Antiwar.com", "urdupoint": "UrduPoint",
    "sdf": "SDF Press", "basnews": "BasNews", "earthpressnews": "Earth Press News", "socialbites": "Social Bites",
    "southfront": "SouthFront", "coffeeordie": "Coffee or Die", "cheriworld": "Cheri World", "ny1": "NY1",
    "israelnationalnews": "Israel National News", "ru24": "RU24", "964media": "964media", "ariseright": "Arise Right",
    "theepochtimes": "The Epoch Times", "thisisbeirut": "This Is Beirut", "ianslive": "IANS",
    "finanznachrichten": "Finanznachrichten",
}


def month(year: int, m: int) -> tuple[date, date]:
    """First and last day of a month."""
    return date(year, m, 1), date(year, m, calendar.monthrange(year, m)[1])


def months(year: int, first: int, last: int) -> tuple[date, date]:
    return date(year, first, 1), month(year, last)[1]


class Claims:
    """Collects figures; ``frame()`` gives the claims table."""

    def __init__(self):
        self.rows: list[dict] = []

    def add(self, source: str, period: tuple[date, date], country: str, metric: str, value: int,
            qualifier: str = "exact", attributed: str = "centcom", wording: str = "", mention: int = 1,
            kind: str | None = None) -> "Claims":
        """``source`` is a slug like "centcom-2023-08-09": the prefix names the publisher, the suffix the date."""
        prefix, _, day = source.partition("-")
        published = pd.Timestamp(day) if day[:4].isdigit() else pd.NaT
        kind = kind or ("centcom_release" if prefix == "centcom" else "news")
        low, high = bounds(value, qualifier)
        start, end = period
        self.rows.append({
            "claim_id": f"F{len(self.rows) + 1:04d}", "source_id": source, "kind": kind,
            "publisher": PUBLISHERS.get(prefix, prefix.title()), "title": "", "url": f"https://example.org/{source}",
            "published": published, "published_approx": False, "release_number": "", "attributed_to": attributed,
            "period_start": pd.Timestamp(start), "period_end": pd.Timestamp(end),
            "period_days": period_days(start, end), "period_kind": period_kind(start, end),
            "period_wording": wording, "country": country, "metric": metric, "value": value,
            "qualifier": qualifier, "low": low, "high": high, "entry": "hand", "mention": mention, "note": "",
        })
        return self

    def frame(self) -> pd.DataFrame:
        df = pd.DataFrame(self.rows, columns=CLAIM_COLUMNS)
        for col in ("published", "period_start", "period_end"):
            df[col] = pd.to_datetime(df[col])
        df["value"] = df["value"].astype("int64")
        df["low"] = df["low"].astype("int64")
        df["mention"] = df["mention"].astype("int64")
        df["high"] = pd.array(list(df["high"]), dtype="Int64")
        df["period_days"] = pd.array(list(df["period_days"]), dtype="Int64")
        return df


def rows(df: pd.DataFrame, **where) -> pd.DataFrame:
    """The rows of a table matching every column=value given."""
    mask = pd.Series(True, index=df.index)
    for col, value in where.items():
        mask &= df[col] == value
    return df[mask]


def one(df: pd.DataFrame, **where) -> pd.Series:
    found = rows(df, **where)
    assert len(found) == 1, f"{len(found)} rows match {where}:\n{df.to_string()}"
    return found.iloc[0]


def cell(monthly: pd.DataFrame, month_code: str, country: str, metric: str) -> pd.Series:
    return one(monthly, month=month_code, country=country, metric=metric)
