"""Generate a fictitious bureau or province of any size, in the sample bureau's shape, as the CSV
files `casegrade import` reads (fixed seed: the same arguments give the same files).

    python benchmarks/generate.py --officers 169 --out /tmp/bureau          # the sample's size
    python benchmarks/generate.py --officers 20000 --cases 2000000 --out /tmp/province

Per officer, as in sample_data/: 2.25 honors and 17.5 cases (a province sets --cases), 2.2% of
the cases selected as typical and 2.3% complex, and an application in round 2026 from 40% of
them (all of them up to 169 officers, like the sample).
Names, units and case numbers are invented; no ID numbers are written.
"""

from __future__ import annotations

import argparse
import csv
import random
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

SEED = 20261129
HONORS_PER_OFFICER = 381 / 169
CASES_PER_OFFICER = 2964 / 169
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建国志文斌婷雪琳晨阳"
CASE_TYPES = ("无照经营", "虚假广告", "商标侵权", "产品质量", "食品安全", "价格违法", "合同违法")
HONOR_LEVELS = ("县级", "市级", "市级", "省级", "国家级")
TYPICAL_SHARE, COMPLEX_SHARE = 66 / 2964, 69 / 2964  # as in sample_data/cases.csv
TYPICAL_LEVELS = ("县级", "市级", "省级")
HEADERS = {
    "officers": ["执法证号", "姓名", "性别", "出生日期", "单位", "执法起始日期", "退休类别"],
    "honors": ["执法证号", "授予日期", "级别", "类别", "荣誉名称", "执法相关"],
    "cases": [
        "案号",
        "主办人",
        "协办人",
        "案件类型",
        "案值",
        "罚没金额",
        "决定日期",
        "典型案例级别",
        "入选日期",
        "复杂疑难",
    ],
    "applications": ["届次", "执法证号", "申报级别", "申报日期"],
}


def day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def officer_ids(count: int) -> list[str]:
    width = max(4, len(str(count)) + 1)
    return [f"{n:0{width}d}" for n in range(1, count + 1)]


def officers(rng: random.Random, ids: list[str]) -> Iterator[list[str]]:
    units = max(21, len(ids) // 8)
    for officer_id in ids:
        unit = rng.randrange(units)
        yield [
            officer_id,
            rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN),
            rng.choice(("男", "女")),
            day_between(
                rng, date(1976, 1, 1), date(1998, 12, 31)
            ).isoformat(),  # none retires by 2028
            f"第{unit + 1}市场监管所" if unit % 4 else f"第{unit + 1}执法科",
            day_between(rng, date(2008, 1, 1), date(2024, 6, 30)).isoformat(),
            "干部",
        ]


def honors(rng: random.Random, ids: list[str], count: int) -> Iterator[list[str]]:
    for n in range(count):
        level = rng.choice(HONOR_LEVELS)
        yield [
            ids[n % len(ids)],
            day_between(rng, date(2019, 1, 1), date(2026, 6, 30)).isoformat(),
            level,
            rng.choice(("称号", "表彰")),
            f"{level}执法办案先进个人（第{n + 1}号）",
            "是" if rng.random() < 0.9 else "否",
        ]


def cases(rng: random.Random, ids: list[str], count: int) -> Iterator[list[str]]:
    for n in range(count):
        lead = rng.choice(ids)
        assistant = rng.choice(ids) if rng.random() < 0.5 else ""
        value = rng.randrange(100_00, 120_000_00)
        decided = day_between(rng, date(2023, 7, 1), date(2026, 6, 30))
        typical = rng.random() < TYPICAL_SHARE
        selected = decided + timedelta(days=rng.randrange(30, 120))
        yield [
            f"罚〔{decided.year}〕{n + 1:08d}号",
            lead,
            "" if assistant == lead else assistant,
            rng.choice(CASE_TYPES),
            f"{value / 100:.2f}",
            f"{rng.randrange(0, value) / 100:.2f}",
            decided.isoformat(),
            rng.choice(TYPICAL_LEVELS) if typical else "",
            selected.isoformat() if typical else "",
            "是" if rng.random() < COMPLEX_SHARE else "否",
        ]


def applications(rng: random.Random, ids: list[str]) -> Iterator[list[str]]:
    applying = ids if len(ids) <= 169 else sorted(rng.sample(ids, len(ids) * 2 // 5))
    for officer_id in applying:
        grade = rng.choices(("初级", "中级", "高级"), weights=(6, 3, 1))[0]
        yield [
            "2026",
            officer_id,
            grade,
            day_between(rng, date(2026, 5, 1), date(2026, 6, 20)).isoformat(),
        ]


def write(path: Path, header: list[str], rows: Iterator[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as handle:
        out = csv.writer(handle)
        out.writerow(header)
        out.writerows(rows)
    return path


def generate(out: Path, officer_count: int, case_count: int | None = None) -> dict[str, Path]:
    """Write officers.csv, honors.csv, cases.csv and applications.csv into ``out``; kind -> path."""
    out.mkdir(parents=True, exist_ok=True)
    rng = random.Random(SEED)
    ids = officer_ids(officer_count)
    case_count = case_count if case_count is not None else round(officer_count * CASES_PER_OFFICER)
    honor_count = round(officer_count * HONORS_PER_OFFICER)
    return {
        "officers": write(out / "officers.csv", HEADERS["officers"], officers(rng, ids)),
        "honors": write(out / "honors.csv", HEADERS["honors"], honors(rng, ids, honor_count)),
        "cases": write(out / "cases.csv", HEADERS["cases"], cases(rng, ids, case_count)),
        "applications": write(
            out / "applications.csv", HEADERS["applications"], applications(rng, ids)
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--officers", type=int, default=169)
    parser.add_argument("--cases", type=int, default=None, help="default: 17.5 per officer")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    for kind, path in generate(args.out, args.officers, args.cases).items():
        print(f"{kind}: {path}")


if __name__ == "__main__":
    main()
