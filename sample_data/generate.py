"""Generate the fictitious sample bureau in this folder: officers, honors, cases, applications.

Shaped like the seed's bureau (DOMAIN.md S3.1): 16 offices and 5 sections, 169 officers who all apply
in round 2026, evaluated as of 2026-06-30. Each officer gets a profile: eligible for a grade, or short
of it on exactly one criterion (often by one day, one fen or one case), so that the evaluation shows
every grade, near-misses on every criterion and exact boundaries. Names, ID numbers (with valid check
characters), units and cases are invented. Run: python sample_data/generate.py
"""

from __future__ import annotations

import csv
import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from dateutil.relativedelta import relativedelta

SEED = 20260630
AS_OF = date(2026, 6, 30)
WINDOW_FIRST = date(2024, 7, 1)  # 近2年 as of AS_OF: 2024-07-01 … 2026-06-30
HERE = Path(__file__).resolve().parent

OFFICES = [
    "东关所",
    "西关所",
    "南山所",
    "北海所",
    "青石所",
    "白沙所",
    "柳林所",
    "枣园所",
    "河口所",
    "桥头所",
    "新集所",
    "望海所",
    "杏林所",
    "石门所",
    "龙泉所",
    "凤台所",
]
SECTIONS = ["公平交易科", "企业注册科", "消保科", "商广科", "市场合同科"]
SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董萧程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍鹏辉建国红春梅海波宁健新志宇浩然子涵晨欣悦博文思远嘉琪雨泽俊凯晓东立峰云鑫亮斌"
JUNIOR_TYPES = [
    "无照经营",
    "虚假广告",
    "商标侵权",
    "产品质量",
    "食品安全",
    "价格违法",
    "合同违法",
    "消费侵权",
    "不正当竞争",
    "计量违法",
]
MIDDLE_TYPES = ["虚假出资", "抽逃出资", "商业贿赂"]
POSITIONS = ["科员", "执法队员", "副所长", "所长", "副科长", "科长", None]
REGION = "379901"  # a made-up administrative division code
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# (grade applied, variant) -> how many officers. "ok" meets the grade; any other variant misses
# exactly that criterion, by the smallest step the records allow.
PROFILES = {
    ("senior", "ok"): 11,
    ("senior", "ok_boundary"): 2,
    ("senior", "service_one_day"): 1,
    ("senior", "honors"): 1,
    ("senior", "penalty_one_fen"): 1,
    ("senior", "big_cases"): 1,
    ("senior", "titles"): 1,
    ("senior", "typical_after_as_of"): 1,
    ("senior", "typical_county"): 1,
    ("senior", "retired"): 1,
    ("senior", "retires_in_term"): 1,
    ("intermediate", "ok"): 32,
    ("intermediate", "ok_boundary"): 3,
    ("intermediate", "service_one_day"): 1,
    ("intermediate", "honors_not_enforcement"): 1,
    ("intermediate", "penalty_one_fen"): 1,
    ("intermediate", "big_cases"): 1,
    ("intermediate", "titles"): 1,
    ("intermediate", "typical_outside_window"): 1,
    ("intermediate", "no_typical"): 1,
    ("intermediate", "retired"): 1,
    ("intermediate", "two_short"): 2,
    ("junior", "ok"): 76,
    ("junior", "ok_boundary"): 6,
    ("junior", "service_one_day"): 2,
    ("junior", "honors_county"): 2,
    ("junior", "honors_after_as_of"): 1,
    ("junior", "penalty_one_fen"): 2,
    ("junior", "big_cases"): 2,
    ("junior", "big_value_one_fen"): 1,
    ("junior", "case_outside_window"): 1,
    ("junior", "assisted_not_led"): 1,
    ("junior", "retired"): 1,
    ("junior", "new_officer"): 7,
}
# Yearly averages that comfortably meet (but do not reach the next grade's) thresholds.
PENALTY_RANGE = {
    "junior": (32_000, 48_000),
    "intermediate": (52_000, 95_000),
    "senior": (105_000, 220_000),
}
BIG_TOTAL = {"junior": (4, 5), "intermediate": (6, 7), "senior": (8, 12)}
THRESHOLDS = {  # grade -> (years, honors, avg penalty yuan, avg big cases, titles)
    "junior": (3, 1, 30_000, 2, 0),
    "intermediate": (4, 2, 50_000, 3, 1),
    "senior": (5, 3, 100_000, 4, 2),
}


@dataclass
class Plan:
    """What one officer's records must add up to."""

    officer_id: str
    unit: str
    grade: str
    variant: str
    start: date
    birth: date
    sex: str
    category: str = "干部"
    honors: list[tuple[str, str, str, date, bool]] = field(default_factory=list)
    penalty_fen: int = 0  # total penalty of window cases led
    big_cases: int = 0  # big window cases led
    small_cases: int = 0
    typical: tuple[str, date] | None = None  # (level, selection date) of one window case
    typical_case_date: date | None = None  # decision date of the typical case, when fixed
    boundary_case_value: bool = False  # one big case of exactly 10,000.00 yuan
    first_day_case: bool = False  # one counted case decided on the window's first day
    extra_cases: list[dict] = field(default_factory=list)


def id_number(birth: date, male: bool, rng: random.Random) -> str:
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{REGION}{birth:%Y%m%d}{sequence:03d}"
    check = "10X98765432"[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]
    return first17 + check


def random_date(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randrange((last - first).days + 1))


def plan_officer(officer_id: str, unit: str, grade: str, variant: str, rng: random.Random) -> Plan:
    years, honors, avg_penalty, avg_big, titles = THRESHOLDS[grade]
    start = date(
        AS_OF.year - rng.randint(years + 1, years + 16), rng.randint(1, 12), rng.randint(1, 28)
    )
    if variant == "service_one_day":
        start = AS_OF - relativedelta(years=years) + timedelta(days=1)
    elif variant == "ok_boundary" or variant == "new_officer":
        start = AS_OF - relativedelta(years=years)
        if variant == "new_officer":
            start = date(rng.randint(2023, 2025), rng.randint(1, 12), rng.randint(1, 28))
    male = rng.random() < 0.7
    age_at_start = rng.randint(22, 30)
    birth = date(
        max(start.year - age_at_start, 1969 if male else 1974),
        rng.randint(1, 12),
        rng.randint(1, 28),
    )
    plan = Plan(officer_id, unit, grade, variant, start, birth, "男" if male else "女")
    if variant == "retired":
        # Reached retirement age shortly before the evaluation (2025 reform ages, DOMAIN.md S1.3).
        plan.sex, plan.birth = {
            "senior": ("男", date(1966, 1, 15)),  # 60y4m -> 2026-05-15
            "intermediate": ("女", date(1971, 2, 10)),  # cadre 55y4m -> 2026-06-10
            "junior": ("女", date(1975, 10, 3)),  # worker 50y5m -> 2026-03-03
        }[grade]
        plan.category = "工人" if grade == "junior" else "干部"
        plan.start = date(1995, 3, 1)
    elif variant == "retires_in_term":
        plan.sex, plan.birth, plan.start = (
            "男",
            date(1966, 9, 20),
            date(1992, 8, 1),
        )  # -> 2027-03-20

    # Honors: the counted ones first, then what should not count.
    titles_needed = titles - (variant == "titles")
    others_needed = max(honors - titles_needed, 0) + rng.randint(0, 1)
    if variant in ("honors", "honors_county", "honors_after_as_of", "honors_not_enforcement"):
        others_needed = honors - titles_needed - 1
    if variant == "ok_boundary":
        others_needed = max(honors - titles_needed, 0)
    for _ in range(titles_needed):
        plan.honors.append(
            ("省级", "称号", "全省市场监管系统执法办案先进个人", _honor_date(plan, rng), True)
        )
    for _ in range(others_needed):
        level, kind, name = rng.choice(
            [
                ("市级", "称号", "全市市场监管系统优秀办案能手"),
                ("市级", "表彰", "全市打击侵权假冒工作先进个人"),
                ("市级", "表彰", "2025年度[市场监管]执法办案标兵"),
                ("省级", "表彰", "全省消费维权工作成绩突出个人"),
            ]
        )
        plan.honors.append((level, kind, name, _honor_date(plan, rng), True))
    if variant == "titles":
        plan.honors.append(
            ("市级", "称号", "全市市场监管系统执法办案先进个人", _honor_date(plan, rng), True)
        )
    if variant == "honors_county":
        plan.honors.append(("县级", "称号", "全县执法办案先进个人", _honor_date(plan, rng), True))
    if variant == "honors_after_as_of":
        plan.honors.append(("市级", "称号", "全市优秀办案能手", date(2026, 7, 15), True))
    if variant == "honors_not_enforcement":
        plan.honors.append(("市级", "称号", "全市优秀共产党员", _honor_date(plan, rng), False))
    if rng.random() < 0.3:
        plan.honors.append(("局级", "表彰", "嘉奖", _honor_date(plan, rng), True))

    # Window cases led: penalty total and number of big cases.
    low, high = PENALTY_RANGE[grade]
    plan.penalty_fen = rng.randint(low, high) * 2 * 100 + rng.randint(0, 99)
    plan.big_cases = rng.randint(*BIG_TOTAL[grade])
    if variant == "ok_boundary":
        plan.penalty_fen = avg_penalty * 2 * 100  # exactly the threshold
        plan.big_cases = avg_big * 2
        plan.boundary_case_value = True
        plan.first_day_case = True
    if variant in ("penalty_one_fen", "case_outside_window"):
        plan.penalty_fen = avg_penalty * 2 * 100 - 2  # average one fen short
    if variant == "big_cases":
        plan.big_cases = avg_big * 2 - 1
    if variant == "big_value_one_fen":
        plan.big_cases = avg_big * 2 - 1
        plan.extra_cases.append({"value": 999_999, "window": True})  # 9,999.99 yuan: not big
    if variant == "case_outside_window":
        # Decided the day before the window opens: would have made the average.
        plan.extra_cases.append({"value": 1_500_000, "penalty": 2, "date": date(2024, 6, 30)})
    if variant == "assisted_not_led":
        plan.penalty_fen = avg_penalty * 2 * 100 - 50_000
        plan.extra_cases.append({"value": 2_000_000, "penalty": 800_000, "assisted": True})
    if variant == "two_short":
        plan.penalty_fen = rng.randint(40_000, 49_000) * 2 * 100
        plan.big_cases = 5
    if variant == "new_officer":
        plan.penalty_fen = rng.randint(5_000, 25_000) * 2 * 100
        plan.big_cases = rng.randint(0, 3)
    plan.small_cases = rng.randint(3, 9)
    if grade != "junior" and variant not in ("no_typical",):
        level = "省级" if rng.random() < 0.3 else "市级"
        plan.typical = (level, random_date(rng, date(2025, 3, 1), AS_OF))
        if variant == "typical_county":
            plan.typical = ("县级", plan.typical[1])
        if variant == "typical_after_as_of":
            plan.typical = ("市级", date(2026, 8, 15))
        if variant == "typical_outside_window":
            plan.typical_case_date = date(2024, 6, 30)
            plan.typical = ("市级", date(2024, 12, 20))
    return plan


def _honor_date(plan: Plan, rng: random.Random) -> date:
    return random_date(rng, max(plan.start, date(2012, 1, 1)) + timedelta(days=200), AS_OF)


def split(total: int, parts: int, weights: list[float]) -> list[int]:
    """``total`` fen in ``parts`` positive amounts proportional to ``weights``, summing exactly."""
    scale = sum(weights)
    amounts = [max(1, int(total * w / scale)) for w in weights[:-1]]
    amounts.append(total - sum(amounts))
    return amounts


def make_cases(plans: list[Plan], rng: random.Random) -> list[dict]:
    by_unit: dict[str, list[str]] = {}
    for plan in plans:
        by_unit.setdefault(plan.unit, []).append(plan.officer_id)
    variants = {plan.officer_id: plan.variant for plan in plans}
    sequence: dict[int, int] = {}
    cases = []

    def add(
        plan: Plan,
        decided: date,
        value: int,
        penalty: int,
        *,
        lead: str | None = None,
        typical: tuple[str, date] | None = None,
        complex_: bool = False,
    ) -> None:
        year = decided.year
        sequence[year] = sequence.get(year, 0) + 1
        colleagues = [o for o in by_unit[plan.unit] if o != (lead or plan.officer_id)]
        assistant = rng.choice(colleagues) if colleagues and rng.random() < 0.8 else ""
        if lead is not None:
            assistant = plan.officer_id
        kind = rng.choice(
            MIDDLE_TYPES if value >= 1_000_000 and rng.random() < 0.3 else JUNIOR_TYPES
        )
        cases.append(
            {
                "案号": f"东监罚〔{year}〕{sequence[year]:04d}号",
                "主办人": lead or plan.officer_id,
                "协办人": assistant,
                "案件类型": kind,
                "案值": f"{value / 100:.2f}",
                "罚没金额": f"{penalty / 100:.2f}",
                "决定日期": decided.isoformat(),
                "典型案例级别": typical[0] if typical else "",
                "入选日期": typical[1].isoformat() if typical else "",
                "复杂疑难": "是" if complex_ else "否",
            }
        )

    for plan in plans:
        big_values = [rng.randint(1_000_000, 30_000_000) for _ in range(plan.big_cases)]
        if plan.boundary_case_value and big_values:
            big_values[0] = 1_000_000  # exactly 10,000.00 yuan: a big case (以上 includes it)
        small_values = [rng.randint(50_000, 999_999) for _ in range(plan.small_cases)]
        values = big_values + small_values
        weights = [rng.uniform(1, 3) * (3 if v >= 1_000_000 else 1) for v in values]
        penalties = split(plan.penalty_fen, len(values), weights) if values else []
        dates = sorted(random_date(rng, WINDOW_FIRST, AS_OF) for _ in values)
        if plan.first_day_case and dates:
            dates[0] = WINDOW_FIRST
        typical_index = 0 if plan.typical and plan.typical_case_date is None else None
        for index, (value, penalty, decided) in enumerate(
            zip(values, penalties, dates, strict=True)
        ):
            typical = None
            if index == typical_index and plan.typical is not None:
                level, selected = plan.typical
                if plan.variant != "typical_after_as_of":  # selected some weeks after the decision
                    selected = min(decided + timedelta(days=rng.randint(30, 120)), AS_OF)
                typical = (level, selected)
            add(
                plan,
                decided,
                value,
                penalty,
                typical=typical,
                complex_=plan.grade == "senior" and value >= 5_000_000 and rng.random() < 0.4,
            )
        if plan.typical_case_date is not None:
            add(plan, plan.typical_case_date, 3_000_000, 500_000, typical=plan.typical)
        for extra in plan.extra_cases:
            decided = extra.get("date") or random_date(rng, WINDOW_FIRST, AS_OF)
            if extra.get("assisted"):
                # Led by a colleague whose profile has room for it, so it changes no other verdict.
                others = [o for o in by_unit[plan.unit] if variants[o] == "ok"]
                add(plan, decided, extra["value"], extra["penalty"], lead=rng.choice(others))
            else:
                add(plan, decided, extra["value"], extra.get("penalty", 0))
        # Older cases and cases decided after the evaluation date: on record, not counted.
        for _ in range(rng.randint(3, 7)):
            add(
                plan,
                random_date(rng, date(2023, 1, 3), WINDOW_FIRST - timedelta(days=1)),
                rng.randint(50_000, 8_000_000),
                rng.randint(20_000, 3_000_000),
            )
        for _ in range(rng.randint(0, 2)):
            add(
                plan,
                random_date(rng, AS_OF + timedelta(days=1), date(2026, 11, 20)),
                rng.randint(50_000, 8_000_000),
                rng.randint(20_000, 3_000_000),
            )
    cases.sort(key=lambda case: (case["决定日期"], case["案号"]))
    return cases


GRADE_ZH = {"junior": "初级", "intermediate": "中级", "senior": "高级"}
ELIGIBLE = ("ok", "ok_boundary", "retires_in_term")  # profiles eligible for the grade applied


def lifecycle(plans: list[Plan], rng: random.Random) -> tuple[dict[str, list[dict]], dict]:
    """Exams, the committee's decisions, and the 2026-2027 records of the annual review, shaped so
    that appointment gives the seed's 79 / 33 / 12 and the 2027 review eliminates a few.

    Returns the files' rows and, per officer_id, what was built to happen to them.
    """
    fate: dict[str, str] = {}
    eligible = {
        g: [p for p in plans if p.grade == g and p.variant in ELIGIBLE]
        for g in ("junior", "intermediate", "senior")
    }
    for grade, failing, rejected in (("junior", 2, 1), ("intermediate", 2, 1), ("senior", 1, 1)):
        pool = [p for p in eligible[grade] if p.variant != "retires_in_term"]
        for plan in rng.sample(pool, failing + rejected):
            fate[plan.officer_id] = "exam_failed" if failing > 0 else "rejected"
            failing -= 1
    lower = next(p for p in plans if p.grade == "senior" and p.variant == "honors")
    fate[lower.officer_id] = "approved_lower"
    exams, decisions = [], []
    for plan in plans:
        score = rng.randint(62, 97) + rng.choice((0, 0, 0.5))
        if fate.get(plan.officer_id) == "exam_failed":
            score = rng.choice((45, 55, 59.5))
        elif plan.variant == "ok_boundary":
            score = 60  # exactly the pass mark: passed (以上 includes it)
        exams.append({"届次": "2026", "执法证号": plan.officer_id, "成绩": score})
        if plan.variant in ELIGIBLE and fate.get(plan.officer_id) != "exam_failed":
            rejected = fate.get(plan.officer_id) == "rejected"
            decisions.append(
                {
                    "届次": "2026",
                    "执法证号": plan.officer_id,
                    "决定": "不同意" if rejected else "同意",
                    "批准级别": "" if rejected else GRADE_ZH[plan.grade],
                    "理由": "评定委员会综合评议未通过" if rejected else "",
                    "决定日期": "2026-06-30",
                }
            )
            fate.setdefault(plan.officer_id, "appointed")
    decisions.append(
        {
            "届次": "2026",
            "执法证号": lower.officer_id,
            "决定": "同意",
            "批准级别": "中级",
            "理由": "荣誉次数不足高级条件，按中级聘任",
            "决定日期": "2026-06-30",
        }
    )
    appointed = [p for p in plans if fate.get(p.officer_id) in ("appointed", "approved_lower")]
    assessments = []
    for plan in appointed:
        for year in (2026, 2027):
            result = rng.choice(("称职", "称职", "称职", "优秀"))
            assessments.append({"执法证号": plan.officer_id, "年度": year, "考核结果": result})
    by_id = {row["执法证号"]: row for row in assessments if row["年度"] == 2027}
    stays = [p for p in appointed if p.variant != "retires_in_term" and p is not lower]
    chosen = rng.sample(stays, 10)
    for plan, result in zip(chosen[:3], ("基本称职", "基本称职", "不称职"), strict=True):
        by_id[plan.officer_id]["考核结果"] = result
        fate[plan.officer_id] = "eliminated_assessment"
    by_id[chosen[3].officer_id]["考核结果"] = "不定等次"  # neither passes nor fails: stays
    fate[chosen[3].officer_id] = "not_graded_stays"
    complaints = [
        {
            "执法证号": chosen[4].officer_id,
            "举报日期": "2027-03-02",
            "举报内容": "执法态度粗暴",
            "查无实据": "否",
        },
        {
            "执法证号": chosen[4].officer_id,
            "举报日期": "2027-08-11",
            "举报内容": "处罚畸重",
            "查无实据": "否",
        },
        {
            "执法证号": chosen[5].officer_id,
            "举报日期": "2027-04-20",
            "举报内容": "办案拖延",
            "查无实据": "否",
        },
        {
            "执法证号": chosen[5].officer_id,
            "举报日期": "2027-09-09",
            "举报内容": "收受礼品",
            "查无实据": "是",
        },
        {
            "执法证号": chosen[6].officer_id,
            "举报日期": "2026-11-15",
            "举报内容": "态度生硬",
            "查无实据": "否",
        },
        {
            "执法证号": chosen[6].officer_id,
            "举报日期": "2027-05-06",
            "举报内容": "文书错误",
            "查无实据": "否",
        },
    ]
    fate[chosen[4].officer_id] = "eliminated_complaints"
    fate[chosen[5].officer_id] = "complaint_dismissed_stays"
    fate[chosen[6].officer_id] = "complaints_two_years_stays"
    incidents = [
        {
            "执法证号": chosen[7].officer_id,
            "日期": "2027-06-18",
            "类别": "严重失误",
            "说明": "超期送达致处罚决定被撤销",
        },
        {
            "执法证号": chosen[8].officer_id,
            "日期": "2027-10-09",
            "类别": "不服从组织安排",
            "说明": "拒不参加专项检查",
        },
        {
            "执法证号": chosen[9].officer_id,
            "日期": "2027-02-14",
            "类别": "不按程序办案",
            "说明": "未经集体讨论作出处罚",
        },  # a sanction (S2.4), not an annual-review ground
    ]
    fate[chosen[7].officer_id] = "eliminated_serious_error"
    fate[chosen[8].officer_id] = "eliminated_refusal"
    fate[chosen[9].officer_id] = "procedure_incident_stays"
    retiring = next(p for p in appointed if p.variant == "retires_in_term")
    fate[retiring.officer_id] = "retired_in_term"  # the grade ends by itself on that day
    files = {
        "exams": exams,
        "decisions": decisions,
        "assessments": sorted(assessments, key=lambda r: (r["执法证号"], r["年度"])),
        "complaints": complaints,
        "incidents": incidents,
    }
    return files, fate


def during_term(plans: list[Plan], fate: dict[str, str], rng: random.Random) -> dict[str, list]:
    """Semiannual ratings of the appointed (three 不合格 in 2026H2), research reports for 2027
    (some short of the quota of 2) and trainings."""
    appointed = [
        p
        for p in plans
        if fate.get(p.officer_id, "").startswith(
            (
                "appointed",
                "approved_lower",
                "eliminated",
                "not_graded",
                "complaint",
                "procedure",
                "retired",
            )
        )
    ]
    failing = {p.officer_id for p in rng.sample(appointed, 3)}
    ratings = []
    for plan in appointed:
        for period, rated_on in (("2026H2", "2027-01-12"), ("2027H1", "2027-07-12")):
            level = rng.choice(("优秀", "良好", "良好", "合格", "合格"))
            if period == "2026H2" and plan.officer_id in failing:
                level = "不合格"
            if period == "2027H1" and plan.variant == "retires_in_term":
                continue  # retired on 2027-03-20; rated for 2026H2 only
            ratings.append(
                {
                    "执法证号": plan.officer_id,
                    "考核期间": period,
                    "考核等次": level,
                    "考核日期": rated_on,
                    "考核意见": "文书制作不规范，限期整改" if level == "不合格" else "",
                }
            )
    topics = [
        "网络交易监管调研",
        "食品安全抽检情况分析",
        "商标侵权案件查办难点",
        "广告监测工作思考",
        "合同违法行为研究",
        "行政处罚裁量基准适用",
    ]
    reports = []
    for plan in appointed:
        for n in range(rng.choice((1, 2, 2, 3, 3, 4))):
            reports.append(
                {
                    "执法证号": plan.officer_id,
                    "提交日期": random_date(rng, date(2027, 1, 5), date(2027, 12, 20)).isoformat(),
                    "题目": f"{rng.choice(topics)}（{n + 1}）",
                }
            )
    trainings = []
    courses = [("新修订执法文书使用培训", 8), ("网上办案流程培训", 4), ("行政处罚法专题培训", 16)]
    for plan in plans:
        for title, hours in rng.sample(courses, rng.randint(1, 3)):
            trainings.append(
                {
                    "执法证号": plan.officer_id,
                    "培训日期": random_date(rng, date(2026, 3, 1), date(2027, 11, 30)).isoformat(),
                    "培训内容": title,
                    "学时": hours,
                }
            )
    key = ("执法证号", "考核期间")
    return {
        "ratings": sorted(ratings, key=lambda r: tuple(r[k] for k in key)),
        "reports": sorted(reports, key=lambda r: (r["执法证号"], r["提交日期"])),
        "trainings": sorted(trainings, key=lambda r: (r["执法证号"], r["培训日期"])),
    }


RANK = {"junior": 0, "intermediate": 1, "senior": 2}
VALUE_BANDS = {0: (50_000, 500_000), 1: (500_001, 999_999), 2: (1_000_000, 8_000_000)}  # fen


def within_authority(
    cases: list[dict], plans: list[Plan], fate: dict[str, str], rng: random.Random, keep: int = 4
) -> list[dict]:
    """Cases decided during the term, led within the lead's grade (S1.1), but for ``keep`` that
    a lead-check should find: a case led by someone without a grade goes to a holder of the same
    unit, and one too big for its lead gets a value and type the lead may handle."""
    grade = {
        p.officer_id: RANK["intermediate" if fate[p.officer_id] == "approved_lower" else p.grade]
        for p in plans
        if fate.get(p.officer_id, "") not in ("", "exam_failed", "rejected")
    }
    holders: dict[str, list[str]] = {}
    for plan in plans:
        if plan.officer_id in grade:
            holders.setdefault(plan.unit, []).append(plan.officer_id)
    unit = {p.officer_id: p.unit for p in plans}
    for case in cases:
        if case["决定日期"] <= AS_OF.isoformat():
            continue
        by_type = 2 if case["复杂疑难"] == "是" else int(case["案件类型"] in MIDDLE_TYPES)
        value = round(float(case["案值"]) * 100)
        needed = max(by_type, 0 if value <= 500_000 else 1 if value < 1_000_000 else 2)
        lead = case["主办人"]
        if lead in grade and grade[lead] >= needed:
            continue
        if keep > 0:
            keep -= 1
            continue
        if lead not in grade:
            lead = rng.choice(holders[unit[lead]])
            case["主办人"] = lead
            if case["协办人"] == lead:
                case["协办人"] = ""
        allowed = grade[lead]
        if by_type > allowed:
            case["案件类型"], case["复杂疑难"] = rng.choice(JUNIOR_TYPES), "否"
        if value > VALUE_BANDS[allowed][1]:
            case["案值"] = f"{rng.randint(*VALUE_BANDS[allowed]) / 100:.2f}"
    return cases


def write(folder: Path, name: str, rows: list[dict]) -> None:
    # UTF-8 with BOM: what Excel's "CSV UTF-8" saves, and opens without garbling the Chinese.
    with (folder / name).open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)


def main(folder: Path = HERE) -> None:
    """Write the sample bureau's files into ``folder``."""
    rng = random.Random(SEED)
    units = [(unit, 8 if i < 2 else 7) for i, unit in enumerate(OFFICES)]
    units += [(unit, 11) for unit in SECTIONS]
    slots = [
        (f"{u:02d}{k:02d}", unit)
        for u, (unit, size) in enumerate(units, 1)
        for k in range(1, size + 1)
    ]
    profiles = [key for key, count in PROFILES.items() for _ in range(count)]
    assert len(slots) == len(profiles) == 169, (len(slots), len(profiles))
    rng.shuffle(profiles)
    # Officer 0107, the README's example, is the one whose typical case falls a day outside.
    special = profiles.index(("intermediate", "typical_outside_window"))
    example = next(i for i, (officer_id, _) in enumerate(slots) if officer_id == "0107")
    profiles[special], profiles[example] = profiles[example], profiles[special]

    names: set[str] = set()
    plans = []
    for (officer_id, unit), (grade, variant) in zip(slots, profiles, strict=True):
        plans.append(plan_officer(officer_id, unit, grade, variant, rng))
    officers, honors, applications = [], [], []
    for plan in plans:
        name = ""
        while not name or name in names:
            name = rng.choice(SURNAMES) + "".join(
                rng.choice(GIVEN) for _ in range(rng.choice((1, 2, 2)))
            )
        names.add(name)
        with_id = rng.random() < 0.85 or plan.variant == "retired"
        officers.append(
            {
                "执法证号": plan.officer_id,
                "姓名": name,
                "性别": plan.sex,
                "出生日期": plan.birth.isoformat(),
                "身份证号": id_number(plan.birth, plan.sex == "男", rng) if with_id else "",
                "单位": plan.unit,
                "执法起始日期": plan.start.isoformat(),
                "职务": rng.choice(POSITIONS) or "",
                "退休类别": plan.category,
            }
        )
        seen = set()
        for level, kind, title, granted, related in plan.honors:
            if (granted, title) in seen:
                granted += timedelta(days=1)
            seen.add((granted, title))
            honors.append(
                {
                    "执法证号": plan.officer_id,
                    "授予日期": granted.isoformat(),
                    "级别": level,
                    "类别": kind,
                    "荣誉名称": title,
                    "执法相关": "是" if related else "否",
                }
            )
        applications.append(
            {
                "届次": "2026",
                "执法证号": plan.officer_id,
                "申报级别": {"junior": "初级", "intermediate": "中级", "senior": "高级"}[
                    plan.grade
                ],
                "申报日期": random_date(rng, date(2026, 5, 6), date(2026, 5, 29)).isoformat(),
            }
        )
    write(folder, "officers.csv", officers)
    write(folder, "honors.csv", sorted(honors, key=lambda h: (h["执法证号"], h["授予日期"])))
    cases = make_cases(plans, rng)
    write(folder, "applications.csv", applications)
    files, fate = lifecycle(plans, random.Random(SEED + 1))
    write(folder, "cases.csv", within_authority(cases, plans, fate, random.Random(SEED + 3)))
    files |= during_term(plans, fate, random.Random(SEED + 2))
    for name, rows in files.items():
        write(folder, f"{name}.csv", rows)
    with (folder / "profiles.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(["officer_id", "applied_grade", "profile", "lifecycle"])
        writer.writerows(
            (p.officer_id, p.grade, p.variant, fate.get(p.officer_id, "")) for p in plans
        )


if __name__ == "__main__":
    main()
