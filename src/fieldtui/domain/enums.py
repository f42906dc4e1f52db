"""Code lists of the chief-service-officer domain.

Each member's value is the stable code that storage, sheets, sync files and JSON use; the
Chinese and English labels are for people only and may be reworded without a migration.
Sheets and the CLI let users type any of the three, hence :meth:`CodedEnum.parse`.
"""

from __future__ import annotations

import re
from enum import Enum, StrEnum
from typing import Self, cast

__all__ = [
    "SEED_DUTY_ITEMS",
    "SEED_NEGATIVE_ITEMS",
    "ActivityKind",
    "AssignmentRole",
    "ChecklistAnswer",
    "ChecklistKind",
    "CodedEnum",
    "EnterpriseScale",
    "EnterpriseStatus",
    "Industry",
    "MeetingKind",
    "OfficerRole",
    "ProblemCategory",
    "ProblemEventKind",
    "ProblemStatus",
    "ProjectSource",
    "ProjectStage",
    "Satisfaction",
    "VisitKind",
    "VisitTopic",
]

# Built on first parse per class: enum classes cannot hold non-member class attributes
# without them turning into members, so the lookup tables live here.
_LOOKUPS: dict[type[CodedEnum], dict[str, CodedEnum]] = {}


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _human_name(cls: type[Enum]) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", cls.__name__).lower()


class CodedEnum(StrEnum):
    """A code list whose members carry a Chinese and an English label.

    Members are declared as ``NAME = "code", "中文", "English"``. Being a ``str`` subclass
    (``StrEnum``, so also ``str()`` and f-strings give the bare code) lets a member go wherever
    its code goes (dict keys, JSON, SQL parameters) without conversion.
    """

    _zh: str
    _en: str

    # The label defaults exist only so type checkers accept the value lookup ``OfficerRole("cso")``,
    # which Enum routes around this method; a member declared without labels is refused.
    def __new__(cls, code: str, zh: str = "", en: str = "") -> Self:
        if not (zh and en):
            raise TypeError(f"{cls.__name__} member {code!r} needs a Chinese and an English label")
        obj = str.__new__(cls, code)
        obj._value_ = code
        obj._zh = zh
        obj._en = en
        return obj

    @property
    def code(self) -> str:
        return str(self._value_)

    @property
    def zh(self) -> str:
        return self._zh

    @property
    def en(self) -> str:
        return self._en

    def label(self, lang: str) -> str:
        """Label for a UI language; locale tags such as ``zh_CN`` work, unknown ones get English.

        Falling back instead of raising keeps a misconfigured locale from crashing a screen.
        """
        return self._zh if lang.lower().startswith("zh") else self._en

    def _aliases(self) -> tuple[str, ...]:
        """Extra spellings accepted by :meth:`parse`: every label a version ever showed (from
        :data:`FORMER_LABELS`, so sheets exported by an older fieldtui import unchanged) and
        what subclasses add for their sheets."""
        return FORMER_LABELS.get((type(self).__name__, self.code), ())

    @classmethod
    def _lookup(cls) -> dict[str, CodedEnum]:
        table = _LOOKUPS.get(cls)
        if table is None:
            table = {}
            for member in cls:
                for text in (member.code, member.zh, member.en, *member._aliases()):
                    key = _key(text)
                    other = table.setdefault(key, member)
                    if other is not member:
                        msg = f"{cls.__name__}: {text!r} names both {other.code} and {member.code}"
                        raise RuntimeError(msg)
            _LOOKUPS[cls] = table
        return table

    @classmethod
    def parse(cls, text: str) -> Self:
        """Member for a code, Chinese label or English label, as typed in a sheet cell or CLI.

        Matching ignores case and surrounding or repeated whitespace.
        """
        if isinstance(text, cls):
            return text
        member = cls._lookup().get(_key(str(text)))
        if member is None:
            accepted = "; ".join(f"{m.code} ({m.zh}, {m.en})" for m in cls)
            msg = f"Unknown {_human_name(cls)} {text!r}; expected one of: {accepted}"
            raise ValueError(msg)
        return cast(Self, member)

    @classmethod
    def choices(cls, lang: str) -> list[tuple[str, str]]:
        """``(label, code)`` pairs in declaration order, the shape ``textual`` ``Select`` takes."""
        return [(member.label(lang), member.code) for member in cls]


class OfficerRole(CodedEnum):
    CSO = "cso", "首席服务官", "Chief service officer"
    LEADER = "leader", "分管领导", "Leader in charge"
    STAFF = "staff", "业务骨干", "Core staff"


class EnterpriseScale(CodedEnum):
    LARGE = "large", "大型", "Large"
    MEDIUM = "medium", "中型", "Medium"
    SMALL = "small", "小型", "Small"
    MICRO = "micro", "微型", "Micro"


class EnterpriseStatus(CodedEnum):
    LEAD = "lead", "洽谈中", "In negotiation"
    SIGNED = "signed", "已签约", "Signed"
    BUILDING = "building", "在建", "Under construction"
    TRIAL = "trial", "试产", "Trial production"
    OPERATING = "operating", "在产", "Operating"
    PARTIAL = "partial", "半停产", "Partly suspended"
    SUSPENDED = "suspended", "停产", "Suspended"
    MOVED = "moved", "迁出", "Moved away"
    CLOSED = "closed", "已注销", "Deregistered"


class Industry(CodedEnum):
    """GB/T 4754-2017 sections (门类); English names follow the NBS translation."""

    A = "A", "农、林、牧、渔业", "Agriculture, Forestry, Animal Husbandry and Fishery"
    B = "B", "采矿业", "Mining"
    C = "C", "制造业", "Manufacturing"
    D = (
        "D",
        "电力、热力、燃气及水生产和供应业",
        "Production and Supply of Electricity, Heat, Gas and Water",
    )
    E = "E", "建筑业", "Construction"
    F = "F", "批发和零售业", "Wholesale and Retail Trade"
    G = "G", "交通运输、仓储和邮政业", "Transport, Storage and Post"
    H = "H", "住宿和餐饮业", "Accommodation and Catering"
    I = (  # noqa: E741 - the section letter is the code
        "I",
        "信息传输、软件和信息技术服务业",
        "Information Transmission, Software and Information Technology Services",
    )
    J = "J", "金融业", "Finance"
    K = "K", "房地产业", "Real Estate"
    L = "L", "租赁和商务服务业", "Leasing and Business Services"
    M = "M", "科学研究和技术服务业", "Scientific Research and Technical Services"
    N = (
        "N",
        "水利、环境和公共设施管理业",
        "Management of Water Conservancy, Environment and Public Facilities",
    )
    O = "O", "居民服务、修理和其他服务业", "Resident, Repair and Other Services"  # noqa: E741
    P = "P", "教育", "Education"
    Q = "Q", "卫生和社会工作", "Health and Social Work"
    R = "R", "文化、体育和娱乐业", "Culture, Sports and Entertainment"
    S = (
        "S",
        "公共管理、社会保障和社会组织",
        "Public Administration, Social Security and Social Organizations",
    )
    T = "T", "国际组织", "International Organizations"

    def _aliases(self) -> tuple[str, ...]:
        # Ledgers often write the letter and the name together: "C 制造业", "C制造业".
        return (f"{self.code} {self.zh}", f"{self.code}{self.zh}", f"{self.code} {self.en}")


class AssignmentRole(CodedEnum):
    """The role in a year's plan: a 分管领导 can lead too, so the plan says 牵头, not the job
    title 首席服务官 (which stays accepted in sheets)."""

    CSO = "cso", "牵头", "Lead officer"
    ASSIST = "assist", "协助", "Assisting"


class ProjectSource(CodedEnum):
    ATTRACTED = "attracted", "招商引资", "Investment attraction"
    EXPANSION = "expansion", "增资扩产", "Expansion"
    REVITALIZED = "revitalized", "盘活厂房", "Revitalised plant"


class ProjectStage(CodedEnum):
    """Derived from milestone dates, never stored; declaration order is pipeline order."""

    NONE = "none", "未签约", "Not signed"
    SIGNED = "signed", "已签约", "Signed"
    LAND = "land", "已供地", "Land supplied"
    STARTED = "started", "已开工", "Construction started"
    COMPLETED = "completed", "已竣工", "Completed"
    TRIAL = "trial", "已试产", "Trial production"
    PRODUCTION = "production", "已投产", "In production"

    @property
    def rank(self) -> int:
        """Position in the pipeline, for "at least this far" comparisons."""
        return list(ProjectStage).index(self)


class VisitKind(CodedEnum):
    ONSITE = "onsite", "实地走访", "On-site visit"
    DOOR_TO_DOOR = "door_to_door", "登门招商", "Door-to-door promotion"
    POLICY = "policy", "政策宣讲", "Policy briefing"
    PHONE = "phone", "电话走访", "Phone call"
    WECHAT = "wechat", "微信联系", "WeChat"
    REVISIT = "revisit", "回访", "Follow-up visit"


class VisitTopic(CodedEnum):
    OPERATIONS = "operations", "生产经营", "Operations"
    EXPANSION = "expansion", "增资扩产", "Expansion"
    CONSTRUCTION = "construction", "项目建设", "Construction"
    STAFF_LIFE = "staff_life", "员工生活", "Staff life"


class ProblemCategory(CodedEnum):
    FACTORS = "factors", "要素保障", "Production factors"
    INFRASTRUCTURE = "infrastructure", "基础设施配套", "Infrastructure"
    FINANCING = "financing", "融资", "Financing"
    LABOUR = "labour", "用工", "Labour"
    POLICY = "policy", "政策扶持", "Policy support"
    APPROVAL = "approval", "审批服务", "Approvals"
    INDUSTRY = "industry", "产业发展", "Industry development"
    SAFETY = "safety", "安全环保", "Safety and environment"
    OTHER = "other", "其他", "Other"


class ProblemStatus(CodedEnum):
    NEW = "new", "待交办", "New"
    ASSIGNED = "assigned", "已交办", "Assigned"
    IN_PROGRESS = "in_progress", "办理中", "In progress"
    RESOLVED = "resolved", "已办结", "Resolved"
    UNRESOLVABLE = "unresolvable", "暂无法解决", "Unresolvable"


class ProblemEventKind(CodedEnum):
    """What one entry of a problem's history records. Entries stored before the kind existed
    have none: one with a status is a status change, one without a note."""

    STATUS = "status", "状态变更", "Status change"
    NOTE = "note", "跟进记录", "Note"
    EXTENSION = "extension", "延期", "Deadline extended"
    FOLLOW_UP = "follow_up", "回访", "Follow-up call"


class Satisfaction(CodedEnum):
    SATISFIED = "satisfied", "满意", "Satisfied"
    BASIC = "basic", "基本满意", "Mostly satisfied"
    UNSATISFIED = "unsatisfied", "不满意", "Unsatisfied"


class MeetingKind(CodedEnum):
    COORDINATION = "coordination", "项目专题协调会", "Project coordination meeting"
    JOINT = "joint", "联席会议", "Joint meeting"
    FORUM = "forum", "党政企沟通座谈会", "Government-business forum"


class ActivityKind(CodedEnum):
    TRIP_OUT = "trip_out", "外出招商", "Investment trip"
    RECEPTION = "reception", "接待客商", "Investor reception"


class ChecklistKind(CodedEnum):
    DUTY = "duty", "职责清单", "Duty list"
    NEGATIVE = "negative", "负面清单", "Negative list"

    @property
    def answers(self) -> tuple[ChecklistAnswer, ...]:
        """The answers that make sense for this list; the UI offers only these."""
        if self is ChecklistKind.NEGATIVE:
            return (ChecklistAnswer.KEPT, ChecklistAnswer.BREACHED)
        return (ChecklistAnswer.DONE, ChecklistAnswer.NOT_DONE)


class ChecklistAnswer(CodedEnum):
    """One enum for both lists so a stored answer needs no kind to be read back."""

    KEPT = "kept", "未违反", "Kept"
    BREACHED = "breached", "有违反", "Breached"
    DONE = "done", "已落实", "Done"
    NOT_DONE = "not_done", "未落实", "Not done"

    @property
    def kind(self) -> ChecklistKind:
        if self in (ChecklistAnswer.KEPT, ChecklistAnswer.BREACHED):
            return ChecklistKind.NEGATIVE
        return ChecklistKind.DUTY

    @property
    def is_failure(self) -> bool:
        """A breach or an unmet duty: what the monthly report counts and the award veto uses."""
        return self in (ChecklistAnswer.BREACHED, ChecklistAnswer.NOT_DONE)


SEED_DUTY_ITEMS: tuple[str, ...] = (
    "每周到挂点企业现场走访",
    "及时掌握企业生产经营和项目建设情况并更新台账",
    "收集企业困难诉求并1个工作日内报送",
    "跟踪诉求办理进度并回访企业",
    "主动宣传解读惠企政策",
    "推动项目供地、开工、竣工、投产节点",
    "参与招商引资和登门招商",
    "按时报送走访信息月报",
)
"""Duty-list items for the first template version, in the order domain.md gives them."""

SEED_NEGATIVE_ITEMS: tuple[str, ...] = (
    "不得接受企业宴请和食宿安排",
    "不得收受企业礼品、礼金、消费卡和有价证券",
    "不得在企业报销任何费用",
    "不得参加企业安排的旅游、健身、娱乐活动",
    "不得向企业借款、借车或筹资",
    "不得干预企业正常生产经营",
    "不得对企业合理诉求推诿、刁难",
    "不得利用工作中获悉的商业秘密谋取私利",
    "不得向企业提出与服务工作无关的要求",
)
"""Negative-list items for the first template version, in the order domain.md gives them."""


FORMER_LABELS: dict[tuple[str, str], tuple[str, ...]] = {
    ("EnterpriseStatus", "closed"): ("注销",),
    ("AssignmentRole", "cso"): ("首席服务官",),
    ("VisitKind", "phone"): ("电话",),
    ("VisitKind", "wechat"): ("微信",),
    ("ProblemCategory", "factors"): ("生产要素",),
    ("ProblemStatus", "unresolvable"): ("无法解决",),
    ("ChecklistAnswer", "kept"): ("遵守",),
    ("ChecklistAnswer", "breached"): ("违反",),
}
"""(code list, code) → labels an earlier version showed. Labels may be reworded without a
migration (zh-style.md), but a sheet exported before the rewording still says the old label:
each stays accepted on import, for good. Add the old label here when you reword one."""
