"""Word lists and small generators behind the demo database (:mod:`fieldtui.demo`).

Kept apart from the builder so the builder reads as the story of a zone's two years and this
file as its vocabulary. Everything here draws from a caller's ``random.Random``: the demo must
come out the same for the same seed, so nothing touches the global generator or the clock.
Place names follow 肇庆高新区 (大旺) and 四会市; company names are invented, never real codes.
"""

from __future__ import annotations

import bisect
import itertools
import random
from typing import Generic, NamedTuple, TypeVar

T = TypeVar("T")


class Weighted(Generic[T]):
    """A table of ``(value, weight)`` pairs, prepared once for fast weighted picks.

    ``pick`` draws exactly what ``rng.choices(values, weights)[0]`` would, without rebuilding
    the cumulative weights on each of the hundreds of thousands of calls a large build makes.
    """

    __slots__ = ("_cum", "_total", "values")

    def __init__(self, *pairs: tuple[T, int]) -> None:
        self.values = tuple(value for value, _weight in pairs)
        self._cum = list(itertools.accumulate(weight for _value, weight in pairs))
        self._total = self._cum[-1]

    def pick(self, rng: random.Random) -> T:
        return self.values[bisect.bisect(self._cum, rng.random() * self._total)]


# ----------------------------------------------------------------------------- people

SURNAMES = Weighted(
    ("陈", 14), ("李", 10), ("黄", 10), ("梁", 8), ("张", 7), ("林", 6), ("何", 6), ("罗", 5),
    ("吴", 5), ("刘", 5), ("冯", 4), ("邓", 4), ("谭", 4), ("麦", 3), ("叶", 3), ("苏", 3),
    ("区", 2), ("伍", 2), ("卢", 2), ("莫", 2), ("钟", 2), ("周", 2), ("杨", 2), ("王", 2),
    ("潘", 2), ("郑", 2), ("蔡", 1), ("植", 1), ("谢", 1), ("严", 1), ("欧阳", 1),
)  # fmt: skip
GIVEN_CHARS = (
    "志伟国强建华文军明辉俊杰家豪嘉欣丽萍秀英海燕晓东永健子轩锦荣广生少芳美玲惠敏"
    "雪梅翠红桂兰汉彬振宇浩然泽宏冠霖炜坚宝珠淑仪颖诗琪晓峰耀宗展鹏志坤玉婷"
)
TITLES = (
    "总经理", "副总经理", "董事长", "厂长", "行政经理", "人事主管", "财务总监",
    "项目经理", "办公室主任", "生产总监", "基建负责人",
)  # fmt: skip
MOBILE_PREFIXES = ("135", "136", "137", "138", "139", "150", "158", "159", "186", "188", "189",
                   "133", "177", "198")  # fmt: skip

# ----------------------------------------------------------------------------- officers

OFFICER_UNITS = (
    "投资促进服务中心", "招商一科", "招商二科", "企业服务科", "项目服务科", "经济发展局",
    "科技创新局", "自然资源分局", "住房和城乡建设局", "大沙镇", "贞山街道", "东城街道",
    "迳口镇", "石狗镇",
)  # fmt: skip

# ----------------------------------------------------------------------------- enterprises

NAMED_ENTERPRISES: tuple[tuple[str, str, str], ...] = (
    # (full name, brand, industry section)
    ("广东浩海环保设备有限公司", "浩海", "C"),
    ("肇庆博俊汽车零部件有限公司", "博俊", "C"),
    ("肇庆华音电子有限公司", "华音", "C"),
    ("广东日德精密机械有限公司", "日德", "C"),
    ("肇庆东风灵汽车配件有限公司", "东风灵", "C"),
    ("广东广上不锈钢实业有限公司", "广上", "C"),
    ("广东阿尔卑斯家居有限公司", "阿尔卑斯", "C"),
    ("肇庆智盛自动化设备有限公司", "智盛", "C"),
    ("肇庆捷声音响设备有限公司", "捷声", "C"),
    ("广东简美实业有限公司", "简美", "C"),
    ("肇庆格绿朗节能科技有限公司", "格绿朗", "C"),
)
NAME_PREFIXES = Weighted(("广东", 4), ("肇庆", 5), ("肇庆高新区", 2), ("四会", 2), ("肇庆市", 1))
BRAND_CHARS = "".join(
    dict.fromkeys(
        "浩海博俊华音日德灵广上智盛捷声简美格绿朗宏达信瑞丰源泰鑫润昌隆兴旺富恒科创联合金银星光"
        "亚铝鸿业正邦汇通佳顺力新宝嘉骏鼎盈越凯威安宇振腾天益粤肇端溪湖北江西龙凤胜利群英卓豪锐雅"
    )
)
"""Characters for trade names, de-duplicated so a sample never repeats one."""
INDUSTRY_WORDS: dict[str, tuple[str, ...]] = {
    "C": (
        "新材料", "精密制造", "环保设备", "五金", "电子", "汽车零部件", "食品", "不锈钢",
        "铝业", "家居", "智能装备", "新能源科技", "电器", "化工", "塑胶", "纺织", "建材",
        "光电科技", "医疗器械", "包装材料", "机械", "金属制品", "涂料", "电池材料",
    ),
    "F": ("贸易", "商贸", "供应链"),
    "G": ("物流", "仓储"),
    "E": ("建设工程", "建筑安装"),
    "I": ("信息技术", "软件", "网络科技"),
    "M": ("检测技术", "工程技术", "科技"),
    "H": ("餐饮管理", "酒店管理"),
    "A": ("农业发展", "生态农业"),
    "N": ("环境治理", "水务"),
    "L": ("企业管理", "人力资源"),
    "D": ("能源", "热力"),
    "O": ("物业管理", "设备维修"),
}  # fmt: skip
INDUSTRY_WEIGHTS = Weighted(
    ("C", 72), ("F", 6), ("G", 4), ("E", 3), ("I", 3), ("M", 3), ("H", 2), ("A", 2),
    ("N", 1), ("L", 2), ("D", 1), ("O", 1),
)  # fmt: skip
NAME_SUFFIXES = Weighted(("有限公司", 9), ("股份有限公司", 1))
ZONE_ROADS = (
    "迎宾大道", "建设大道", "政和路", "工业大道", "文德路", "永安路", "亚铝大街", "龙湖大道",
    "创业路", "兴业路", "科技路", "北江大道", "将军大道", "正隆路", "沙湖路",
)  # fmt: skip
SIHUI_TOWNS = ("大沙镇", "贞山街道", "东城街道", "城中街道", "石狗镇", "迳口镇", "龙甫镇", "地豆镇")
TOWN_ROADS = ("工业园", "开发区", "大道", "兴业路", "富溪路", "马房工业区")
ELSEWHERE: tuple[tuple[str, str | None], ...] = (
    # (place, registration region code for a made-up USCC; None: no mainland USCC)
    ("深圳市宝安区", "440306"), ("深圳市龙岗区", "440307"), ("佛山市顺德区", "440606"),
    ("佛山市南海区", "440605"), ("东莞市长安镇", "441900"), ("广州市黄埔区", "440112"),
    ("中山市火炬开发区", "442000"), ("珠海市金湾区", "440404"), ("上海市嘉定区", "310114"),
    ("苏州市吴中区", "320506"), ("宁波市北仑区", "330206"), ("香港特别行政区", None),
)  # fmt: skip
ZONE_REGIONS = Weighted(("441284", 9), ("441200", 1))
"""四会市 (where the zone lies) for most registrations, 肇庆市 level for a few."""
SCALES = Weighted(("large", 4), ("medium", 14), ("small", 52), ("micro", 30))
SCALE_RANGES: dict[str, tuple[int, int, int, int]] = {
    # employees low/high, last-year revenue low/high in 万元 (GB 2017 industrial thresholds)
    "large": (1000, 6000, 40_000, 600_000),
    "medium": (300, 999, 2_000, 39_999),
    "small": (20, 299, 300, 1_999),
    "micro": (3, 19, 10, 299),
}
TAG_CHANCES = (
    ("高新技术企业", 0.15), ("专精特新", 0.05), ("外资", 0.05), ("上市公司", 0.2),
    ("省级企业技术中心", 0.03),
)  # fmt: skip
ENTERPRISE_NOTES = (
    "[重点跟进] 计划三季度增资扩产",
    "主要客户为珠三角整车厂，订单稳定",
    "供应商名单见附件[2]，待企业补充",
    "[待核实] 上年营收为企业自报数",
    "用电负荷较大，夏季需关注错峰用电",
    "厂房为租赁，租期至2028年",
    "宣传语“[品质]成就未来[/]”按企业原文照录",
)  # fmt: skip
"""Some notes hold square brackets on purpose: user text must never be read as markup."""

# ----------------------------------------------------------------------------- projects

PROJECT_KINDS: dict[str, tuple[str, ...]] = {
    "attracted": (
        "年产{n}万吨新材料项目", "智能制造基地项目", "总部及研发中心项目", "年产{n}万套零部件项目",
        "新能源配套产业园项目", "华南生产基地项目",
    ),
    "expansion": ("新建厂房二期项目", "技术改造项目", "扩产项目", "生产线自动化升级项目"),
    "revitalized": ("盘活闲置厂房项目", "租赁厂房生产基地项目", "旧厂房改造提升项目"),
}  # fmt: skip

# ----------------------------------------------------------------------------- visits

VISIT_KIND_WEIGHTS = Weighted(
    ("onsite", 55), ("revisit", 12), ("policy", 10), ("phone", 10), ("wechat", 8),
)  # fmt: skip
TOPIC_WEIGHTS = Weighted(
    ("operations", 50), ("expansion", 20), ("construction", 15), ("staff_life", 15)
)
SUMMARIES: dict[str, tuple[str, ...]] = {
    "operations": (
        "了解企业生产经营情况，订单较饱满，产值同比增长约{p}%。",
        "企业反映原材料价格上涨，利润有所下降，产能利用率约{q}0%。",
        "企业开拓海外市场，出口订单占比提升至{p}%。",
    ),
    "expansion": (
        "企业计划增资扩产，拟新增投资约{n}千万元，咨询用地和审批流程。",
        "企业有意新上一条自动化生产线，预计新增产值{n}亿元。",
    ),
    "construction": (
        "现场查看项目建设进度，主体工程已完成约{q}0%。",
        "项目设备进场安装，计划下月试产。",
        "了解项目施工推进情况，督促施工单位加快进度。",
    ),
    "staff_life": (
        "企业员工约{n}百人，反映招工难、员工子女入学需求。",
        "了解员工宿舍、通勤公交和饭堂配套情况。",
    ),
}
POLICIES = (
    "技术改造奖补政策", "高新技术企业认定奖励", "稳岗补贴", "专精特新企业培育政策",
    "增资扩产奖励", "研发费用加计扣除", "企业上规奖励", "人才安居政策",
)  # fmt: skip
FOLLOW_UPS = (
    "跟进企业用电增容申请进度",
    "协调人社部门组织专场招聘会",
    "将企业诉求报送中心并跟踪办理",
    "下周回访了解政策申报情况",
    "协助企业准备高企认定材料",
    "无需跟进",
)
BREACH_NOTES = (
    "接受企业安排的工作午餐一次，已自费结算并向中心报告",
    "企业赠送节日礼品一份，已当场退回并报告",
)
DUTY_MISS_NOTES = ("本月外出招商，挂点企业走访不足四次", "月报延迟两天报送")
NEGATIVE_REVISION = {
    6: "不得干预企业正常生产经营活动",
    10: "不得在企业兼职或领取任何报酬",
}
"""The demo office's second version of the negative list: item 6 reworded, item 10 added."""

# ----------------------------------------------------------------------------- problems


class ProblemKind(NamedTuple):
    keyword: str
    """Short name used in meeting topics: 排污管道接入口, 规划验收…"""
    category: str
    description: str
    lead_unit: str
    assist_units: tuple[str, ...]
    resolution: str
    needs_project: bool
    """A construction problem: it belongs to a project, not only to an enterprise."""


PROBLEMS: tuple[ProblemKind, ...] = tuple(
    ProblemKind(*row)
    for row in (
        ("排污管道接入口", "infrastructure", "项目排污管道接入口未确定，厂区污水无法接入市政管网",
         "住房和城乡建设局", ("生态环境分局", "水务局"), "已明确接入口位置并完成接驳", True),
        ("规划验收", "approval", "项目规划验收资料退回，企业不清楚补正要求", "自然资源局",
         ("住房和城乡建设局",), "组织现场指导补正资料，已通过规划验收", True),
        ("迁移高压线", "factors", "地块内高压线需迁移，影响厂房基础施工", "供电局",
         ("自然资源局",), "供电局完成高压线迁改", True),
        ("填土标高", "infrastructure", "地块填土标高与市政道路不一致，需确认设计标高", "自然资源局",
         ("住房和城乡建设局",), "明确填土标高，企业按标高完成场平", True),
        ("挡土墙建设", "infrastructure", "项目挡土墙建设与相邻地块存在争议", "住房和城乡建设局",
         ("自然资源局", "属地镇街"), "协调相邻地块业主，挡土墙已按方案建设", True),
        ("首期用电", "factors", "首期用电报装进度慢，影响设备调试", "供电局", ("经济发展局",),
         "开辟绿色通道，首期用电已送电", True),
        ("清表", "factors", "地块清表未完成，施工单位无法进场", "属地镇街", ("自然资源局",),
         "完成地上附着物清表并移交", True),
        ("雨水排水管道", "infrastructure", "厂区雨水排水管道与市政管网未接通，雨季易积水", "水务局",
         ("住房和城乡建设局",), "市政雨水管道已接通", True),
        ("蒸汽管道", "factors", "项目需接入园区集中供热蒸汽管道", "经济发展局", ("供热公司",),
         "蒸汽管道已延伸至厂区并通汽", True),
        ("用地指标", "factors", "扩产项目用地指标不足", "自然资源局", ("投资促进服务中心",),
         "纳入年度用地计划，指标已落实", True),
        ("施工许可", "approval", "施工许可证办理材料多、时间长", "住房和城乡建设局", (),
         "实行容缺受理，施工许可证已核发", True),
        ("消防验收", "approval", "消防验收排期较久，影响试产", "住房和城乡建设局",
         ("消防救援大队",), "提前介入指导，消防验收已通过", True),
        ("招工难", "labour", "招工难，普工缺口约{n}十人", "人力资源和社会保障局", ("属地镇街",),
         "组织专场招聘会两场，缓解用工缺口", False),
        ("子女入学", "other", "员工子女入学学位紧张", "教育局", ("属地镇街",), "协调安排学位",
         False),
        ("公交线路", "other", "员工通勤不便，希望增设公交站点", "交通运输局", ("公交公司",),
         "已调整公交线路并增设站点", False),
        ("用电增容", "factors", "用电增容申请尚未批复", "供电局", (),
         "增容方案已批复并完成施工", False),
        ("天然气供应", "factors", "天然气管道未覆盖厂区", "燃气公司", ("住房和城乡建设局",),
         "燃气管道已敷设到户", False),
        ("技改奖补", "policy", "技改项目奖补资金未到位", "经济发展局", ("财政局",),
         "奖补资金已拨付", False),
        ("高企认定", "policy", "咨询高新技术企业认定申报条件", "科技创新局", (),
         "辅导企业完成申报", False),
        ("融资对接", "financing", "企业融资难，希望对接银行贷款", "经济发展局", ("金融机构",),
         "组织银企对接会，企业获授信", False),
        ("危废处置", "safety", "危险废物转运处置周期长", "生态环境分局", (),
         "对接有资质处置单位，转运周期缩短", False),
        ("环评变更", "safety", "环评批复变更手续不清楚", "生态环境分局", (),
         "指导完成环评变更备案", False),
        ("产业链对接", "industry", "希望对接本地上下游配套企业", "投资促进服务中心",
         ("经济发展局",), "组织产业链对接会，促成合作", False),
        ("道路修复", "infrastructure", "厂区门前道路破损，货车通行困难", "城市管理局",
         ("交通运输局",), "道路已修复", False),
    )
)  # fmt: skip
UNRESOLVABLE_NOTES = ("涉及上级规划调整，短期内无法解决，已向企业解释", "企业诉求不符合政策条件")
EXTENSION_REASONS = (
    "需报市级部门审批，办理时间延长",
    "施工受雨季影响，工期顺延",
    "涉及多个部门会签，申请延期办结",
    "企业补充材料未齐，待材料齐全后办理",
)
FOLLOW_UP_NOTES = ("电话回访企业，企业表示问题已解决", "上门回访，企业对办理结果表示认可", None)
SATISFACTION_WEIGHTS = Weighted(("satisfied", 80), ("basic", 17), ("unsatisfied", 3))

# ----------------------------------------------------------------------------- meetings etc.

CHAIR_TITLES = ("管委会主任", "管委会副主任", "投资促进服务中心主任", "投资促进服务中心副主任")
JOINT_DEPARTMENTS = (
    "投资促进服务中心", "经济发展局", "自然资源局", "住房和城乡建设局", "生态环境分局", "供电局",
    "水务局", "人力资源和社会保障局",
)  # fmt: skip
TRIP_LEADS = (
    "企业有意在粤港澳大湾区西岸布局新生产基地，初步需求用地{n}0亩",
    "企业计划扩大产能，对盘活厂房方式落地感兴趣",
    "已邀请企业来区实地考察",
    "企业关注用电、用工和物流成本，待进一步对接",
)  # fmt: skip


# ----------------------------------------------------------------------------- generators


def fill(rng: random.Random, template: str) -> str:
    """Fill a template's ``{n}`` (a small count), ``{p}`` (a percentage) and ``{q}`` (tens)."""
    return template.format(n=rng.randint(2, 9), p=rng.randint(3, 25), q=rng.randint(3, 9))


def person_name(rng: random.Random) -> str:
    surname = SURNAMES.pick(rng)
    given = rng.choice(GIVEN_CHARS)
    if rng.random() < 0.8:
        given += rng.choice(GIVEN_CHARS)
    return surname + given


def mobile(rng: random.Random) -> str:
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"


def landline(rng: random.Random) -> str:
    """A 0758 number; the zone's exchanges start with 3 or 6."""
    return f"0758-{rng.choice('36')}{rng.randrange(10**6):06d}"


def zone_address(rng: random.Random) -> str:
    if rng.random() < 0.7:
        return f"肇庆高新区{rng.choice(ZONE_ROADS)}{rng.randint(1, 168)}号"
    return f"四会市{rng.choice(SIHUI_TOWNS)}{rng.choice(TOWN_ROADS)}{rng.randint(1, 88)}号"


def elsewhere_address(rng: random.Random, place: str) -> str:
    park = rng.choice(("科技园", "工业园", "产业园", "创新园"))
    return f"{place}{park}{rng.randint(1, 30)}栋"


def brand(rng: random.Random, length: int = 2) -> str:
    """A made-up trade name; the same character twice reads badly, so it is avoided."""
    chars = rng.sample(BRAND_CHARS, length)
    return "".join(chars)


def enterprise_name(
    rng: random.Random, industry: str, used: set[str], prefix: str | None = None
) -> tuple[str, str]:
    """A unique company name for ``industry`` and its trade name (for project names).

    After a run of collisions the trade name grows to three characters, which makes the
    name space large enough for any ledger size while keeping most names short.
    """
    for attempt in range(60):
        mark = brand(rng, 2 if attempt < 20 else 3)
        word = rng.choice(INDUSTRY_WORDS[industry])
        head = prefix or NAME_PREFIXES.pick(rng)
        name = head + mark + word + NAME_SUFFIXES.pick(rng)
        if name not in used:
            used.add(name)
            return name, mark
    raise RuntimeError("could not make a unique enterprise name")  # pragma: no cover
