"""The code lists must match domain.md exactly: codes are stored, labels are what users type."""

from __future__ import annotations

import json

import pytest

from fieldtui.domain import enums
from fieldtui.domain.enums import (
    SEED_DUTY_ITEMS,
    SEED_NEGATIVE_ITEMS,
    ChecklistAnswer,
    ChecklistKind,
    CodedEnum,
    Industry,
    OfficerRole,
    ProjectStage,
    VisitKind,
)

# Transcribed from /work/shared/domain.md, code → Chinese label.
EXPECTED: dict[str, dict[str, str]] = {
    "OfficerRole": {"cso": "首席服务官", "leader": "分管领导", "staff": "业务骨干"},
    "EnterpriseScale": {"large": "大型", "medium": "中型", "small": "小型", "micro": "微型"},
    "EnterpriseStatus": {
        "lead": "洽谈中",
        "signed": "已签约",
        "building": "在建",
        "trial": "试产",
        "operating": "在产",
        "partial": "半停产",
        "suspended": "停产",
        "moved": "迁出",
        "closed": "已注销",
    },
    "Industry": {
        "A": "农、林、牧、渔业",
        "B": "采矿业",
        "C": "制造业",
        "D": "电力、热力、燃气及水生产和供应业",
        "E": "建筑业",
        "F": "批发和零售业",
        "G": "交通运输、仓储和邮政业",
        "H": "住宿和餐饮业",
        "I": "信息传输、软件和信息技术服务业",
        "J": "金融业",
        "K": "房地产业",
        "L": "租赁和商务服务业",
        "M": "科学研究和技术服务业",
        "N": "水利、环境和公共设施管理业",
        "O": "居民服务、修理和其他服务业",
        "P": "教育",
        "Q": "卫生和社会工作",
        "R": "文化、体育和娱乐业",
        "S": "公共管理、社会保障和社会组织",
        "T": "国际组织",
    },
    "AssignmentRole": {"cso": "牵头", "assist": "协助"},
    "ProjectSource": {"attracted": "招商引资", "expansion": "增资扩产", "revitalized": "盘活厂房"},
    "ProjectStage": {
        "none": "未签约",
        "signed": "已签约",
        "land": "已供地",
        "started": "已开工",
        "completed": "已竣工",
        "trial": "已试产",
        "production": "已投产",
    },
    "VisitKind": {
        "onsite": "实地走访",
        "door_to_door": "登门招商",
        "policy": "政策宣讲",
        "phone": "电话走访",
        "wechat": "微信联系",
        "revisit": "回访",
    },
    "VisitTopic": {
        "operations": "生产经营",
        "expansion": "增资扩产",
        "construction": "项目建设",
        "staff_life": "员工生活",
    },
    "ProblemCategory": {
        "factors": "要素保障",
        "infrastructure": "基础设施配套",
        "financing": "融资",
        "labour": "用工",
        "policy": "政策扶持",
        "approval": "审批服务",
        "industry": "产业发展",
        "safety": "安全环保",
        "other": "其他",
    },
    "ProblemStatus": {
        "new": "待交办",
        "assigned": "已交办",
        "in_progress": "办理中",
        "resolved": "已办结",
        "unresolvable": "暂无法解决",
    },
    "ProblemEventKind": {
        "status": "状态变更",
        "note": "跟进记录",
        "extension": "延期",
        "follow_up": "回访",
    },
    "Satisfaction": {"satisfied": "满意", "basic": "基本满意", "unsatisfied": "不满意"},
    "MeetingKind": {
        "coordination": "项目专题协调会",
        "joint": "联席会议",
        "forum": "党政企沟通座谈会",
    },
    "ActivityKind": {"trip_out": "外出招商", "reception": "接待客商"},
    "ChecklistKind": {"duty": "职责清单", "negative": "负面清单"},
    "ChecklistAnswer": {
        "kept": "未违反",
        "breached": "有违反",
        "done": "已落实",
        "not_done": "未落实",
    },
}

ALL_ENUMS: list[type[CodedEnum]] = [getattr(enums, name) for name in EXPECTED]


def _members() -> list[CodedEnum]:
    return [member for cls in ALL_ENUMS for member in cls]


def test_every_code_list_is_present_with_exact_chinese_labels() -> None:
    for name, expected in EXPECTED.items():
        cls = getattr(enums, name)
        assert issubclass(cls, CodedEnum), name
        assert {m.code: m.zh for m in cls} == expected, name
        assert [m.code for m in cls] == list(expected), f"{name} order"


def test_no_unexpected_code_lists() -> None:
    defined = {
        name
        for name, obj in vars(enums).items()
        if isinstance(obj, type) and issubclass(obj, CodedEnum) and obj is not CodedEnum
    }
    assert defined == set(EXPECTED)


@pytest.mark.parametrize("member", _members(), ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_member_parses_from_code_and_both_labels(member: CodedEnum) -> None:
    cls = type(member)
    assert cls.parse(member.code) is member
    assert cls.parse(member.zh) is member
    assert cls.parse(member.en) is member
    assert cls.parse(f"  {member.code.upper()} ") is member
    assert cls.parse(member.en.lower()) is member
    assert cls.parse(f"\t{member.zh}\u3000") is member
    assert cls.parse(member) is member
    assert cls(member.code) is member
    assert cls[member.name] is member


@pytest.mark.parametrize("member", _members(), ids=lambda m: f"{type(m).__name__}.{m.name}")
def test_member_behaves_as_its_code(member: CodedEnum) -> None:
    assert isinstance(member, str)
    assert member == member.code
    assert str(member) == member.code
    assert f"{member}" == member.code
    assert member.en and member.en.strip() == member.en
    assert member.label("zh") == member.zh
    assert member.label("zh_CN") == member.zh
    assert member.label("en") == member.en


def test_member_serialises_as_code() -> None:
    assert json.dumps({OfficerRole.CSO: VisitKind.DOOR_TO_DOOR}) == '{"cso": "door_to_door"}'


def test_member_without_labels_is_refused() -> None:
    with pytest.raises(TypeError, match="needs a Chinese and an English label"):

        class Broken(CodedEnum):
            X = "x", "甲"


def test_parse_unknown_raises_listing_accepted_values() -> None:
    with pytest.raises(ValueError, match="Unknown visit kind 'visit'") as info:
        VisitKind.parse("visit")
    message = str(info.value)
    for member in VisitKind:
        assert member.code in message
        assert member.zh in message


@pytest.mark.parametrize("text", ["", "   ", "首席", "cso2"])
def test_parse_rejects_near_misses(text: str) -> None:
    with pytest.raises(ValueError):
        OfficerRole.parse(text)


def test_choices_give_label_and_code_in_order() -> None:
    assert OfficerRole.choices("zh") == [
        ("首席服务官", "cso"),
        ("分管领导", "leader"),
        ("业务骨干", "staff"),
    ]
    assert OfficerRole.choices("en")[0] == ("Chief service officer", "cso")


def test_industry_english_names_and_combined_spelling() -> None:
    assert [m.code for m in Industry] == [chr(c) for c in range(ord("A"), ord("T") + 1)]
    assert Industry.C.en == "Manufacturing"
    assert Industry.parse("c") is Industry.C
    assert Industry.parse("C 制造业") is Industry.C
    assert Industry.parse("C制造业") is Industry.C
    assert Industry.parse("manufacturing") is Industry.C


def test_assignment_role_english_labels() -> None:
    assert enums.AssignmentRole.CSO.en == "Lead officer"
    assert enums.AssignmentRole.ASSIST.en == "Assisting"


# Labels an earlier version showed (zh-style.md's rewording): sheets exported then say them.
FORMER: list[tuple[type[CodedEnum], str, str]] = [
    (enums.EnterpriseStatus, "注销", "closed"),
    (enums.AssignmentRole, "首席服务官", "cso"),
    (VisitKind, "电话", "phone"),
    (VisitKind, "微信", "wechat"),
    (enums.ProblemCategory, "生产要素", "factors"),
    (enums.ProblemStatus, "无法解决", "unresolvable"),
    (ChecklistAnswer, "遵守", "kept"),
    (ChecklistAnswer, "违反", "breached"),
]


@pytest.mark.parametrize(("cls", "old", "code"), FORMER, ids=[f[1] for f in FORMER])
def test_every_former_label_is_still_accepted(cls: type[CodedEnum], old: str, code: str) -> None:
    member = cls.parse(old)
    assert member.code == code
    assert member.zh != old  # reworded, yet an old sheet's cell still reads
    assert cls.parse(f" {old}\u3000") is member


def test_every_former_label_is_listed_for_a_member_that_exists() -> None:
    for (name, code), labels in enums.FORMER_LABELS.items():
        cls = getattr(enums, name)
        member = cls(code)
        assert labels and all(cls.parse(label) is member for label in labels)


def test_project_stage_rank_follows_pipeline() -> None:
    assert [stage.rank for stage in ProjectStage] == list(range(7))
    assert ProjectStage.NONE.rank < ProjectStage.PRODUCTION.rank


def test_checklist_answers_belong_to_their_list() -> None:
    assert ChecklistKind.NEGATIVE.answers == (ChecklistAnswer.KEPT, ChecklistAnswer.BREACHED)
    assert ChecklistKind.DUTY.answers == (ChecklistAnswer.DONE, ChecklistAnswer.NOT_DONE)
    for kind in ChecklistKind:
        assert all(answer.kind is kind for answer in kind.answers)
    assert {a for a in ChecklistAnswer if a.is_failure} == {
        ChecklistAnswer.BREACHED,
        ChecklistAnswer.NOT_DONE,
    }


def test_seed_items_match_domain() -> None:
    assert len(SEED_DUTY_ITEMS) == 8
    assert len(SEED_NEGATIVE_ITEMS) == 9
    assert SEED_DUTY_ITEMS[0] == "每周到挂点企业现场走访"
    assert SEED_DUTY_ITEMS[-1] == "按时报送走访信息月报"
    assert SEED_NEGATIVE_ITEMS[0] == "不得接受企业宴请和食宿安排"
    assert SEED_NEGATIVE_ITEMS[-1] == "不得向企业提出与服务工作无关的要求"
    assert all(item.startswith("不得") for item in SEED_NEGATIVE_ITEMS)
    assert len(set(SEED_DUTY_ITEMS + SEED_NEGATIVE_ITEMS)) == 17
