"""Writes test/fixtures/pandas/*.json: pandas' answers for kiln's table operations (data/ops/) on
vega-datasets' penguins, cars and seattle-weather, and on one small synthetic frame (a group with
every value missing). Run once with Debian's pandas (/usr/bin/python3); the output is committed and
the tests never need Python. Deterministic: re-running it rewrites identical bytes.

Usage: /usr/bin/python3 test/fixtures-scripts/pandas_table_ops.py
"""
import json
import math
import os

import numpy as np
import pandas as pd

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..")
DATA = os.path.join(ROOT, "node_modules", "vega-datasets", "data")
OUT = os.path.join(ROOT, "test", "fixtures", "pandas")
AGGS = ["mean", "std", "var", "sum", "count", "min", "max", "median", "nunique", "first", "last"]


def plain(v):
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, (np.floating,)):
        return None if np.isnan(v) else float(v)
    if isinstance(v, (np.bool_,)):
        return bool(v)
    if v is pd.NaT:
        return None
    return v


def columns(df):
    """A frame as {column: [values]} with its index dropped (the key columns included)."""
    df = df.reset_index(drop=False) if df.index.name is not None or isinstance(df.index, pd.MultiIndex) else df
    return {str(c): [plain(v) for v in df[c].tolist()] for c in df.columns}


def stable_counts(df, cols, dropna=True, normalize=False):
    """value_counts with ties in order of first appearance (pandas 1.5 leaves tie order to quicksort)."""
    sizes = df.groupby(cols, sort=False, dropna=dropna).size()
    sizes = sizes.sort_values(ascending=False, kind="stable")
    name = "proportion" if normalize else "count"
    out = sizes.rename(name).reset_index()
    if normalize:
        out[name] = out[name] / sizes.sum()
    return columns(out)


def flat_agg(gb, spec):
    """groupby.agg with kiln's flat names: one aggregation keeps the column name, a list gives col_fn."""
    out = gb.agg(spec)
    out.columns = [c[0] if isinstance(spec[c[0]], str) else f"{c[0]}_{c[1]}" for c in out.columns] if isinstance(out.columns, pd.MultiIndex) else list(out.columns)
    return columns(out.reset_index())


def rows_of(mask_or_index):
    return [int(i) for i in mask_or_index]


def write(name, dataset, cases):
    body = {"generator": "test/fixtures-scripts/pandas_table_ops.py", "pandas": pd.__version__, "numpy": np.__version__, "dataset": dataset, "cases": cases}
    with open(os.path.join(OUT, f"{name}.json"), "w") as f:
        json.dump(body, f, separators=(",", ":"), allow_nan=False, sort_keys=False)
        f.write("\n")


def penguins():
    with open(os.path.join(DATA, "penguins.json")) as f:
        df = pd.DataFrame(json.load(f))
    mass, beak = "Body Mass (g)", "Beak Length (mm)"
    c = {}
    c["vc_island"] = stable_counts(df, ["Island"])
    c["vc_sex_keep_missing"] = stable_counts(df, ["Sex"], dropna=False)
    c["vc_species_normalize"] = stable_counts(df, ["Species"], normalize=True)
    c["vc_flipper"] = stable_counts(df, ["Flipper Length (mm)"])
    c["vc_species_island"] = stable_counts(df, ["Species", "Island"])
    # the plain pandas calls, where no tie is involved, as a check on stable_counts
    assert c["vc_island"]["count"] == df["Island"].value_counts().tolist()
    for norm in [False, "all", "index", "columns"]:
        for margins in [False, True]:
            t = pd.crosstab(df["Species"], df["Island"], normalize=norm, margins=margins)
            c[f"crosstab_{norm}_{margins}"] = columns(t.reset_index().rename_axis(None, axis=1))
    t = pd.crosstab(df["Island"], df["Sex"])  # Sex has missing values: left out
    c["crosstab_sex"] = columns(t.reset_index().rename_axis(None, axis=1))
    spec = {mass: AGGS, beak: AGGS, "Sex": ["count", "nunique", "first", "last"]}
    c["agg_species"] = flat_agg(df.groupby("Species"), spec)
    # pandas 1.5 cannot take min/max of text with missing values; without them it is the same question
    known = df.dropna(subset=["Sex"]).groupby("Species")["Sex"]
    c["agg_species"]["Sex_min"] = known.min().tolist()
    c["agg_species"]["Sex_max"] = known.max().tolist()
    c["agg_species_sex"] = flat_agg(df.groupby(["Species", "Sex"]), {mass: ["mean", "count"], beak: "median"})
    c["agg_species_sex_unsorted"] = flat_agg(df.groupby(["Species", "Sex"], sort=False), {mass: ["mean", "count"]})
    c["agg_sex_keep_missing"] = flat_agg(df.groupby("Sex", dropna=False), {mass: ["mean", "std", "count"]})
    c["size_island_sex"] = columns(df.groupby(["Island", "Sex"], dropna=False).size().rename("size").reset_index())
    g = df.groupby("Species")[mass]
    c["transform_mean"] = [plain(v) for v in g.transform("mean")]
    c["transform_std"] = [plain(v) for v in g.transform("std")]
    c["transform_centered"] = [plain(v) for v in g.transform(lambda x: x - x.mean())]
    c["transform_sex_count"] = [plain(v) for v in df.groupby("Sex")[mass].transform("count")]  # missing Sex: NaN
    c["dropna_any"] = rows_of(df.dropna().index)
    c["dropna_sex"] = rows_of(df.dropna(subset=["Sex"]).index)
    c["dropna_all_beak"] = rows_of(df.dropna(subset=[beak, "Beak Depth (mm)"], how="all").index)
    c["ffill_mass"] = [plain(v) for v in df[mass].fillna(method="ffill")]
    c["bfill_sex"] = [plain(v) for v in df["Sex"].fillna(method="bfill")]
    c["ffill_sex_limit1"] = [plain(v) for v in df["Sex"].fillna(method="ffill", limit=1)]
    filled = df.fillna({mass: 0, "Sex": "UNKNOWN"})
    c["fill_values"] = {mass: [plain(v) for v in filled[mass]], "Sex": [plain(v) for v in filled["Sex"]]}
    for keep in ["first", "last", False]:
        c[f"duplicated_{keep}"] = rows_of(np.flatnonzero(df.duplicated(["Species", "Island"], keep=keep).values))
    c["duplicated_all_columns"] = rows_of(np.flatnonzero(df.duplicated().values))
    r = df.reset_index()
    c["sort_species_mass_desc"] = rows_of(r.sort_values(["Species", mass], ascending=[True, False], kind="stable")["index"])
    c["sort_sex_desc_na_first"] = rows_of(r.sort_values("Sex", ascending=False, na_position="first", kind="stable")["index"])
    c["sort_mass_beak"] = rows_of(r.sort_values([mass, beak], kind="stable")["index"])
    write("penguins", "vega-datasets penguins.json", c)


def cars():
    with open(os.path.join(DATA, "cars.json")) as f:
        df = pd.DataFrame(json.load(f))
    c = {}
    c["agg_origin_cylinders"] = flat_agg(df.groupby(["Origin", "Cylinders"]), {"Horsepower": AGGS, "Miles_per_Gallon": ["mean", "std", "count", "median"]})
    c["vc_cylinders"] = stable_counts(df, ["Cylinders"])
    c["size_year"] = columns(df.groupby("Year").size().rename("size").reset_index())
    regions = pd.DataFrame({"Origin": ["USA", "Europe"], "region": ["North America", "Europe"], "Name": ["us", "eu"]})
    cyl = pd.DataFrame({"Cylinders": [4, 4, 6, 8, 3, 12], "engine": ["i4", "flat4", "v6", "v8", "rotary", "v12"]})
    left = df.assign(_row=np.arange(len(df)))

    def ordered(m, right_rows):
        # left row order, then the right matches in right order: pandas' documented order (pandas >= 2.2)
        return columns(m.sort_values(["_row", right_rows], kind="stable").drop(columns=["_row", right_rows]).reset_index(drop=True))

    for how in ["inner", "left"]:
        m = left.merge(regions.assign(_r=np.arange(2)), on="Origin", how=how)
        c[f"join_regions_{how}"] = ordered(m, "_r")
        m = left.merge(cyl.assign(_r=np.arange(len(cyl))), on="Cylinders", how=how)
        c[f"join_cylinders_{how}"] = ordered(m, "_r")
    # the left join is already in left order in pandas 1.5: check the reordering changed nothing
    assert c["join_regions_left"] == columns(df.merge(regions, on="Origin", how="left"))
    write("cars", "vega-datasets cars.json", c)


def seattle():
    df = pd.read_csv(os.path.join(DATA, "seattle-weather.csv"))
    c = {}
    c["agg_weather"] = flat_agg(df.groupby("weather"), {"precipitation": ["mean", "sum", "max", "median"], "temp_max": ["mean", "std", "min"], "wind": ["nunique", "first", "last"]})
    dates = pd.to_datetime(df["date"], format="%Y-%m-%d")
    c["date_iso_ms"] = [int(v) // 1_000_000 for v in dates.values.astype("int64")]
    # the same days with a time of day, written in other formats and read back by pandas
    i = np.arange(len(df))
    stamps = dates + pd.to_timedelta(i % 24, unit="h") + pd.to_timedelta((i * 7) % 60, unit="m") + pd.to_timedelta((i * 13) % 60, unit="s")
    stamps = (stamps + pd.to_timedelta((i * 123457) % 1_000_000, unit="us"))[::3]  # every third day keeps the file small
    formats = {
        "dmy_hm": "%d/%m/%Y %H:%M",
        "month_name_12h": "%b %d, %Y %I:%M %p",
        "compact": "%Y%m%d%H%M%S",
        "year_day": "%y-%j",
        "long_names": "%A %d %B %Y",
        "iso_fraction_offset": "%Y-%m-%dT%H:%M:%S.%f%z",
    }
    for key, fmt in formats.items():
        if "%z" in fmt:
            text = [s.strftime("%Y-%m-%dT%H:%M:%S.%f") + ("+0530" if k % 2 else "-0800") for k, s in enumerate(stamps)]
            parsed = pd.to_datetime(text, format=fmt, utc=True)
        else:
            text = [s.strftime(fmt) for s in stamps]
            parsed = pd.to_datetime(text, format=fmt)
        ns = parsed.values.astype("int64") if not hasattr(parsed, "tz") or parsed.tz is None else parsed.tz_convert(None).values.astype("int64")
        c[f"dates_{key}"] = {"format": fmt, "text": text, "ms": [int(v) / 1e6 for v in ns]}
    write("seattle-weather", "vega-datasets seattle-weather.csv", c)


def synthetic():
    nan = float("nan")
    df = pd.DataFrame({"g": ["a", "a", "b", "b", "c", "c", "c"], "v": [nan, nan, 1.0, 2.0, 5.0, nan, 5.0]})
    c = {"input": columns(df), "agg": flat_agg(df.groupby("g"), {"v": AGGS}), "transform_mean": [plain(v) for v in df.groupby("g")["v"].transform("mean")]}
    write("all-missing-group", "synthetic: group 'a' has every value missing", c)


if __name__ == "__main__":
    os.makedirs(OUT, exist_ok=True)
    penguins()
    cars()
    seattle()
    synthetic()
