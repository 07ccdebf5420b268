"""The scheme's controlled words: each enum with its Chinese label and the input aliases it accepts.

One mapping table per enum, here and nowhere else (DOMAIN.md, "People and words").
"""

from __future__ import annotations

from enum import StrEnum
from typing import TypeVar


class Grade(StrEnum):
    """级别 of a case handler, lowest first (Seed S1.1)."""

    JUNIOR = "junior"
    INTERMEDIATE = "intermediate"
    SENIOR = "senior"

    @property
    def rank(self) -> int:
        """0 for 初级, 1 for 中级, 2 for 高级."""
        return _GRADE_RANKS[self]


_GRADE_RANKS = {grade: rank for rank, grade in enumerate(Grade)}


class HonorLevel(StrEnum):
    """级别 of an honor or a typical-case selection, lowest first."""

    BUREAU = "bureau"
    COUNTY = "county"
    MUNICIPAL = "municipal"
    PROVINCIAL = "provincial"
    NATIONAL = "national"

    @property
    def rank(self) -> int:
        """0 for 局级 up to 4 for 国家级."""
        return _LEVEL_RANKS[self]


_LEVEL_RANKS = {level: rank for rank, level in enumerate(HonorLevel)}


class HonorKind(StrEnum):
    """类别 of an honor: a title (称号) or another commendation (表彰, 嘉奖 …)."""

    TITLE = "title"
    OTHER = "other"


class Sex(StrEnum):
    """性别."""

    MALE = "male"
    FEMALE = "female"


class RetirementCategory(StrEnum):
    """退休类别: officers are cadres unless recorded as workers (DOMAIN.md S1.3)."""

    CADRE = "cadre"
    WORKER = "worker"


class Assessment(StrEnum):
    """年度考核 result of a civil servant (DOMAIN.md "People and words")."""

    EXCELLENT = "excellent"
    COMPETENT = "competent"
    BASICALLY_COMPETENT = "basically_competent"
    INCOMPETENT = "incompetent"
    NOT_GRADED = "not_graded"  # probation, long leave: neither passes nor fails


class IncidentKind(StrEnum):
    """Recorded conduct that ends or lowers a grade (Seed S1.3, S2.4)."""

    SERIOUS_ERROR = "serious_error"  # 工作出现严重失误 (S1.3): eliminated
    REFUSAL = "refusal"  # 不服从组织安排 (S1.3): eliminated
    DERELICTION = "dereliction"  # 失职 (S2.4): demoted
    MALFEASANCE = "malfeasance"  # 渎职 (S2.4): demoted
    UNLAWFUL_HANDLING = "unlawful_handling"  # 违法办案 (S2.4): demoted
    PROCEDURE_VIOLATION = "procedure_violation"  # 不按程序办案 (S2.4): demoted


class RatingLevel(StrEnum):
    """半年考核 of a case handler (Seed S2.4)."""

    EXCELLENT = "excellent"  # 优秀: commended
    GOOD = "good"  # 良好: commended
    PASS = "pass"  # 合格: development advice
    FAIL = "fail"  # 不合格: rectification within one quarter


# enum member -> (Chinese label used in output, further input aliases)
class ReviewKind(StrEnum):
    """The grounds of elimination in the annual review (Seed S1.3)."""

    SERIOUS_ERROR = "serious_error"  # 工作出现严重失误
    REFUSAL = "refusal"  # 不服从组织安排
    COMPLAINTS = "complaints"  # 群众举报2次以上
    ASSESSMENT = "assessment"  # 年度考核称职以下


class RatingOutcome(StrEnum):
    """What a semiannual rating brings (Seed S2.4)."""

    COMMEND = "commend"  # 予以表扬 (优秀, 良好)
    ADVISE = "advise"  # 提出发展建议 (合格)
    RECTIFY = "rectify"  # 限期整改 (不合格)


LABELS: dict[StrEnum, tuple[str, tuple[str, ...]]] = {
    ReviewKind.SERIOUS_ERROR: ("工作出现严重失误", ()),
    ReviewKind.REFUSAL: ("不服从组织安排", ()),
    ReviewKind.COMPLAINTS: ("群众举报", ()),
    ReviewKind.ASSESSMENT: ("年度考核称职以下", ()),
    RatingOutcome.COMMEND: ("予以表扬", ()),
    RatingOutcome.ADVISE: ("提出发展建议", ()),
    RatingOutcome.RECTIFY: ("限期一季度整改", ()),
    Grade.JUNIOR: ("初级", ("初级案件主办人",)),
    Grade.INTERMEDIATE: ("中级", ("中级案件主办人",)),
    Grade.SENIOR: ("高级", ("高级案件主办人",)),
    HonorLevel.BUREAU: ("局级", ("局", "本局")),
    HonorLevel.COUNTY: ("县级", ("县", "县市级", "县区级")),
    HonorLevel.MUNICIPAL: ("市级", ("市", "地市级", "city")),
    HonorLevel.PROVINCIAL: ("省级", ("省", "省部级", "province")),
    HonorLevel.NATIONAL: ("国家级", ("国家", "全国")),
    HonorKind.TITLE: ("称号", ("荣誉称号",)),
    HonorKind.OTHER: ("表彰", ("其他", "嘉奖", "通报表扬")),
    Sex.MALE: ("男", ("m",)),
    Sex.FEMALE: ("女", ("f",)),
    RetirementCategory.CADRE: ("干部", ()),
    RetirementCategory.WORKER: ("工人", ()),
    Assessment.EXCELLENT: ("优秀", ()),
    Assessment.COMPETENT: ("称职", ()),
    Assessment.BASICALLY_COMPETENT: ("基本称职", ()),
    Assessment.INCOMPETENT: ("不称职", ()),
    Assessment.NOT_GRADED: ("不定等次", ("不确定等次",)),
    IncidentKind.SERIOUS_ERROR: ("严重失误", ("工作出现严重失误",)),
    IncidentKind.REFUSAL: ("不服从组织安排", ("不服从安排",)),
    IncidentKind.DERELICTION: ("失职", ()),
    IncidentKind.MALFEASANCE: ("渎职", ()),
    IncidentKind.UNLAWFUL_HANDLING: ("违法办案", ()),
    IncidentKind.PROCEDURE_VIOLATION: ("不按程序办案", ()),
    RatingLevel.EXCELLENT: ("优秀", ()),
    RatingLevel.GOOD: ("良好", ()),
    RatingLevel.PASS: ("合格", ()),
    RatingLevel.FAIL: ("不合格", ()),
}
SANCTION_KINDS = (
    IncidentKind.DERELICTION,
    IncidentKind.MALFEASANCE,
    IncidentKind.UNLAWFUL_HANDLING,
    IncidentKind.PROCEDURE_VIOLATION,
)

YES_WORDS = ("是", "yes", "y", "true", "1", "有")
NO_WORDS = ("否", "no", "n", "false", "0", "无")


def label(member: StrEnum) -> str:
    """The Chinese label of an enum member, e.g. ``label(Grade.SENIOR) == "高级"``."""
    return LABELS[member][0]


E = TypeVar("E", bound=StrEnum)


def parse_enum(enum: type[E], text: str) -> E:
    """Read an enum member from its English value, Chinese label or an alias (case-insensitive).

    Raises:
        ValueError: the text names no member; the message lists the accepted words.
    """
    wanted = text.strip().casefold()
    for member in enum:
        zh, aliases = LABELS[member]
        if wanted in (member.value, zh.casefold(), *(a.casefold() for a in aliases)):
            return member
    accepted = " / ".join(f"{label(m)} {m.value}" for m in enum)
    raise ValueError(f"not one of: {accepted}; write one of these")


def yes_no(flag: bool) -> str:
    """是 or 否."""
    return YES_WORDS[0] if flag else NO_WORDS[0]


def parse_choice(
    text: str, true_words: tuple[str, ...], false_words: tuple[str, ...], hint: str
) -> bool:
    """True or False by which list of words (case-insensitive) the text is in.

    Raises:
        ValueError: in neither list; the message is ``hint``.
    """
    wanted = text.strip().casefold()
    if wanted in true_words:
        return True
    if wanted in false_words:
        return False
    raise ValueError(hint)


def parse_yes_no(text: str) -> bool:
    """Read 是/否, yes/no, true/false, 1/0.

    Raises:
        ValueError: the text is none of those words.
    """
    return parse_choice(text, YES_WORDS, NO_WORDS, "not a yes/no value: write 是 or 否 (yes or no)")
