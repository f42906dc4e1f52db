"""The demo zone's two years of work: visits, problems, meetings and duty-list answers.

Split from :mod:`fieldtui.demo.build` along the seam between the ledger (officers, enterprises,
projects, yearly plans: who answers for what) and the work done on it (what officers did, day
by day). Each function takes the running :class:`~fieldtui.demo.zone.Zone`, whose random
generator and write helpers keep the whole build deterministic and on the op-logging path.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass
from datetime import date, timedelta

from fieldtui.demo import data as dd
from fieldtui.demo.zone import Zone
from fieldtui.domain import records as rec
from fieldtui.store.checklists import month_answer_id, visit_answer_id


@dataclass(slots=True)
class PlannedVisit:
    day: date
    ent: int
    officers: list[str]
    kind: str
    id: str = ""


@dataclass(slots=True)
class PlannedProblem:
    kind: dd.ProblemKind
    record: rec.Problem
    project: int | None
    ent: int


def add_visits(z: Zone) -> list[PlannedVisit]:
    """~38 visits per officer a year (the weekly rule, less holidays and trips), each
    with its negative-list self-check in the version in force that day; a very few
    self-checks report a breach, and a few recent visits are drafts (self-check not done or
    unfinished), among them one of the demo's own officer."""
    z.stage("visits")
    rng, targets = z.rng, list(z.target_range)
    plans: list[PlannedVisit] = []
    for year, plan in z.plans.items():
        lo, hi = date(year, 1, 1), min(date(year, 12, 31), z.today)
        pairs = list(plan.items())
        for _ in range(round(z.per_year * ((hi - lo).days + 1) / 365) if pairs else 0):
            if targets and rng.random() < 0.05:
                ent, kind = rng.choice(targets), "door_to_door"
                officers = [rng.choice(z.officers).id]
            else:
                ent, (lead, helper) = rng.choice(pairs)
                kind, officers = dd.VISIT_KIND_WEIGHTS.pick(rng), [lead]
                second = helper or rng.choice(z.officers).id
                if rng.random() < 0.2 and second != lead:
                    officers.append(second)
            plans.append(PlannedVisit(z.day(lo, hi), ent, officers, kind))
    plans.sort(key=lambda v: v.day)
    breaches = set(rng.sample(range(len(plans)), min(len(plans), len(plans) // 1500 + 1)))
    drafts = pick_drafts(z, plans)
    for k, v in enumerate(plans):
        v.id = z.add(z.s.visits, visit_record(z, v)).id
        for officer_id in v.officers:
            z.link(z.s.visit_officers, v.id, officer_id)
        items = negative_items(z, v.day)
        breached = rng.randrange(len(items)) if k in breaches else -1
        for j, item_id in enumerate(items[: drafts.get(k, len(items))]):
            answer = rec.ChecklistAnswer(item_id=item_id, officer_id=v.officers[0])
            answer.id, answer.visit_id = visit_answer_id(v.id, item_id), v.id
            if j == breached:
                answer.answer, answer.note = "breached", rng.choice(dd.BREACH_NOTES)
            z.add(z.s.checklist_answers, answer)
    return plans


def negative_items(z: Zone, day: date) -> list[str]:
    """The negative list's items in the version in force on ``day``."""
    items = z.items["negative"]
    for since, version_items in z.negative_versions:
        if since <= day:
            items = version_items
    return items


def pick_drafts(z: Zone, plans: list[PlannedVisit]) -> dict[int, int]:
    """Recent visits left as drafts: visit index → how many items were answered (none, or
    a self-check broken off after three items). The demo's own officer (the first lead
    officer) gets one, so "my week" has a draft to finish."""
    rng = z.rng
    recent = [k for k, v in enumerate(plans) if (z.today - v.day).days <= 14]
    if not recent:
        return {}
    wanted = min(len(recent), max(2, len(plans) // 400))
    mine = [k for k in recent if z.leads and z.leads[0].id in plans[k].officers]
    chosen = mine[-1:] + rng.sample(recent, wanted)
    return {k: rng.choice((0, 3)) for k in dict.fromkeys(chosen)}


def visit_record(z: Zone, v: PlannedVisit) -> rec.Visit:
    rng = z.rng
    if v.kind == "door_to_door":
        topics = ["expansion"]
        summary = "登门拜访企业，介绍肇庆高新区产业定位、用地和标准厂房情况，了解投资意向。"
    else:
        topics = [dd.TOPIC_WEIGHTS.pick(rng)]
        second = dd.TOPIC_WEIGHTS.pick(rng)
        if rng.random() < 0.35 and second not in topics:
            topics.append(second)
        summary = "".join(dd.fill(rng, rng.choice(dd.SUMMARIES[t])) for t in topics)
    policies = None
    if v.kind == "policy":
        policies = "、".join(rng.sample(dd.POLICIES, 2))
    elif rng.random() < 0.1:
        policies = rng.choice(dd.POLICIES)
    contact = z.contacts[v.ent]
    return rec.Visit(
        date=v.day,
        enterprise_id=z.ent_ids[v.ent],
        kind=v.kind,
        person=contact if contact and rng.random() < 0.6 else dd.person_name(rng),
        person_title=rng.choice(dd.TITLES),
        topics=topics,
        policies=policies,
        summary=summary,
        follow_up=rng.choice(dd.FOLLOW_UPS),
    )


def pick_source(
    z: Zone, visits: list[PlannedVisit], days: list[date], lo: date, hi: date
) -> tuple[int, date, str, str | None]:
    """Where a problem came from: (enterprise, raised on, officer, visit id or None).

    Most problems are raised at a visit; the rest come by phone or from meetings.
    """
    rng = z.rng
    first, last = bisect.bisect_left(days, lo), bisect.bisect_right(days, hi)
    if last > first and rng.random() < 0.85:
        for _ in range(8):
            v = visits[rng.randrange(first, last)]
            if v.kind != "door_to_door":
                return v.ent, v.day, v.officers[0], v.id
    raised = z.day(lo, hi)
    plan = z.plans.get(raised.year) or z.plans[z.year1]
    ent, (lead, _helper) = rng.choice(list(plan.items()))
    return ent, raised, lead, None


def add_problems(z: Zone, visits: list[PlannedVisit]) -> list[PlannedProblem]:
    """117 resolved (zone scale), open ones (about a third overdue), a few unresolvable;
    each with its history of status changes as problem events."""
    z.stage("problems")
    rng, today = z.rng, z.today
    days = [v.day for v in visits]
    problems: list[PlannedProblem] = []
    if not z.plans.get(z.year1):
        return problems
    by_ent: dict[int, list[int]] = {}
    for k, p in enumerate(z.projects):
        by_ent.setdefault(p.ent, []).append(k)
    with_project = [k for k in dd.PROBLEMS if k.needs_project]
    without = [k for k in dd.PROBLEMS if not k.needs_project]
    n_resolved, n_open = z.count(117, 12), z.count(35, 6)
    for n in range(n_resolved + n_open + z.count(4, 1)):
        final = "resolved" if n < n_resolved else "open" if n < n_resolved + n_open else ""
        final = final or "unresolvable"
        # about a third of the open ones are overdue (the first one always: the list shows one)
        overdue = final == "open" and (rng.random() < 0.35 or n == n_resolved)
        if final != "open":
            lo, hi = z.start, today - timedelta(20)
        elif overdue:
            lo, hi = today - timedelta(200), today - timedelta(25)
        else:
            lo, hi = today - timedelta(40), today
        lo = max(lo, z.start)
        building = [
            k
            for k, p in enumerate(z.projects)
            if p.dates[0] and p.dates[0] <= hi and (p.dates[5] is None or p.dates[5] >= lo)
        ]
        project: int | None = None
        if building and rng.random() < 0.3:  # raised on site by the project's builders
            project = rng.choice(building)
            ent, raised, visit_id = z.projects[project].ent, z.day(lo, hi), None
            plan = z.plans.get(raised.year, {})
            officer_id = plan[ent][0] if ent in plan else rng.choice(z.leads).id
            kind = rng.choice(with_project)
        else:
            ent, raised, officer_id, visit_id = pick_source(z, visits, days, lo, hi)
            if ent in by_ent and rng.random() < 0.7:
                kind, project = rng.choice(with_project), rng.choice(by_ent[ent])
            else:
                kind = rng.choice(without)
        age = (today - raised).days
        options = [15, 30, 30, 45, 60, 90]
        if final == "open":  # past its deadline exactly when meant to be overdue
            options = [d for d in options if (d < age) == overdue]
        deadline = raised + timedelta(rng.choice(options) if options else age + 15)
        if final == "open":
            final = rng.choice(("new", "assigned")) if age <= 3 else "in_progress"
            final = "assigned" if final == "in_progress" and rng.random() < 0.3 else final
        problem = rec.Problem(
            enterprise_id=z.ent_ids[ent],
            project_id=None if project is None else z.project_ids[project],
            visit_id=visit_id,
            raised_on=raised,
            category=kind.category,
            description=dd.fill(rng, kind.description),
            lead_unit=kind.lead_unit,
            assist_units=list(kind.assist_units),
            deadline=deadline,
            status=final,
            officer_id=officer_id,
        )
        events = problem_history(z, problem, kind)
        z.add(z.s.problems, problem)
        for event in events:
            event.problem_id, event.officer_id = problem.id, officer_id
            z.add(z.s.problem_events, event)
        problems.append(PlannedProblem(kind, problem, project, ent))
    return problems


def _event(on: date, kind: str, note: str | None, **fields: object) -> rec.ProblemEvent:
    event = rec.ProblemEvent(on=on, kind=kind, note=note)
    for name, value in fields.items():
        setattr(event, name, value)
    return event


def problem_history(z: Zone, p: rec.Problem, kind: dd.ProblemKind) -> list[rec.ProblemEvent]:
    """Dated history up to ``p.status``: status changes, a progress note, now and then a
    deadline extension with its reason (``p.deadline`` becomes the extended one), and the
    follow-up call after resolution; fills the resolution fields on the way."""
    rng, today = z.rng, z.today
    assert p.raised_on and p.deadline
    raised, span = p.raised_on, (p.deadline - p.raised_on).days
    assists = "、".join(kind.assist_units) or "无"
    events = [_event(raised, "status", f"企业反映：{p.description}", status="new")]
    if p.status == "new":
        return events
    assigned = min(today, raised + timedelta(rng.randint(0, 2)))
    events.append(
        _event(assigned, "status", f"已交办{kind.lead_unit}，协办：{assists}", status="assigned")
    )
    if p.status == "assigned":
        return events
    working = min(today, assigned + timedelta(rng.randint(1, 7)))
    events.append(
        _event(working, "status", f"{kind.lead_unit}已现场踏勘，正在办理", status="in_progress")
    )
    extend = rng.random() < 0.2
    if p.status == "in_progress":
        if rng.random() < 0.5:
            events.append(_event(z.day(working, today), "note", "跟进：已电话回访企业了解进展"))
        if extend:
            # an open problem keeps its place: overdue stays overdue, in time stays in time
            new = p.deadline + timedelta(rng.choice((15, 30)))
            if (new < today) == (p.deadline < today):
                events.append(extension(z, p, z.day(working, today), new))
        return sorted(events, key=lambda e: e.on or raised)
    late = rng.random() < 0.15
    done = raised + timedelta(span + rng.randint(3, 30) if late else rng.randint(5, span))
    p.resolved_on = max(working, min(done, today - timedelta(1)))
    if extend and p.resolved_on > working:
        new = p.deadline + timedelta(rng.choice((15, 30)))
        events.append(extension(z, p, z.day(working, p.resolved_on), new))
    if p.status == "unresolvable":
        p.resolution = rng.choice(dd.UNRESOLVABLE_NOTES)
        events.append(_event(p.resolved_on, "status", p.resolution, status="unresolvable"))
        p.resolved_on = None
        return sorted(events, key=lambda e: e.on or raised)
    p.resolution = kind.resolution
    p.satisfaction = dd.SATISFACTION_WEIGHTS.pick(rng)
    events.append(_event(p.resolved_on, "status", kind.resolution, status="resolved"))
    called = min(today, p.resolved_on + timedelta(rng.randint(1, 7)))
    note = rng.choice(dd.FOLLOW_UP_NOTES)
    events.append(_event(called, "follow_up", note, satisfaction=p.satisfaction))
    return sorted(events, key=lambda e: e.on or raised)


def extension(z: Zone, p: rec.Problem, on: date, new: date) -> rec.ProblemEvent:
    """The deadline moved to ``new`` on ``on``, with a reason."""
    p.deadline = new
    return _event(on, "extension", z.rng.choice(dd.EXTENSION_REASONS), deadline=new)


def add_meetings(z: Zone, problems: list[PlannedProblem]) -> None:
    """Coordination meetings on single problems (construction ones first), quarterly-ish
    joint meetings over what is still open, and one forum with the larger enterprises."""
    z.stage("meetings")
    rng, today = z.rng, z.today
    if not z.leaders or not problems:
        return
    pool = [p for p in problems if p.record.status != "new"]
    first = [p for p in pool if p.kind.needs_project]
    rest = [p for p in pool if not p.kind.needs_project]
    rng.shuffle(first)
    rng.shuffle(rest)
    for p in (first + rest)[: z.count(32, 4)]:
        r = p.record
        assert r.raised_on
        lo = min(today, r.raised_on + timedelta(2))
        day = z.day(lo, max(lo, min(today, r.resolved_on or today)))
        subject = z.project_names[p.project] if p.project is not None else z.brands[p.ent]
        units = list(dict.fromkeys(["投资促进服务中心", p.kind.lead_unit, *r.assist_units]))
        decisions = (
            f"明确由{p.kind.lead_unit}牵头办理，{'、'.join(units[2:]) or '相关部门'}配合，"
            f"{rng.choice((5, 10, 15))}个工作日内办结并反馈企业"
        )
        projects = [] if p.project is None else [z.project_ids[p.project]]
        topic = f"{subject}{p.kind.keyword}问题专题协调会"
        meeting(
            z, day, "coordination", topic, units, decisions, [z.ent_ids[p.ent]], projects, [r.id]
        )
    n_joint = z.count(7, 2)
    period = (today - z.start).days
    held: dict[int, int] = {}
    for i in range(n_joint):
        mid = z.start + timedelta(period * (i + 1) // (n_joint + 1))
        day = z.day(mid, min(today, mid + timedelta(6)))
        still_open = [
            p
            for p in pool
            if p.record.raised_on
            and p.record.raised_on < day
            and (p.record.resolved_on is None or p.record.resolved_on > day)
        ]
        picked = rng.sample(still_open, min(5, len(still_open)))
        units = ["投资促进服务中心", *rng.sample(dd.JOINT_DEPARTMENTS[1:], rng.randint(4, 7))]
        ents = list(dict.fromkeys(z.ent_ids[p.ent] for p in picked))
        held[day.year] = held.get(day.year, 0) + 1
        topic = f"{day.year}年首席服务官工作联席会议（第{held[day.year]}次）"
        decisions = "逐项梳理未办结诉求，明确责任单位和办理时限"
        meeting(z, day, "joint", topic, units, decisions, ents, [], [p.record.id for p in picked])
    day = z.day(date(z.year1, 9, 1), date(z.year1, 9, 30))
    named = list(range(min(len(dd.NAMED_ENTERPRISES), len(z.ent_ids))))
    guests = named + rng.sample(z.zone, min(len(z.zone), 4))
    ents = list(dict.fromkeys(z.ent_ids[i] for i in guests))
    decisions = f"收集企业意见建议{rng.randint(12, 30)}条，会后逐条交办并限时反馈"
    meeting(
        z, day, "forum", "党政企沟通座谈会", list(dd.JOINT_DEPARTMENTS), decisions, ents, [], []
    )


def meeting(
    z: Zone,
    day: date,
    kind: str,
    topic: str,
    departments: list[str],
    decisions: str,
    enterprises: list[str],
    projects: list[str],
    problems: list[str],
) -> None:
    k = z.rng.randrange(len(z.leaders))
    chair = f"{z.leaders[k].name}（{dd.CHAIR_TITLES[k % len(dd.CHAIR_TITLES)]}）"
    record = rec.Meeting(date=day, kind=kind, topic=topic, chair=chair)
    record.departments, record.decisions = departments, decisions
    meeting_id = z.add(z.s.meetings, record).id
    for enterprise_id in enterprises:
        z.link(z.s.meeting_enterprises, meeting_id, enterprise_id)
    for project_id in projects:
        z.link(z.s.meeting_projects, meeting_id, project_id)
    for problem_id in problems:
        z.link(z.s.meeting_problems, meeting_id, problem_id)


def add_duty_answers(z: Zone) -> None:
    """Each officer answers the duty list once for every finished month of the period."""
    z.stage("duty lists")
    rng, month = z.rng, z.start
    while (month.year, month.month) < (z.today.year, z.today.month):
        label = f"{month.year:04d}-{month.month:02d}"
        for officer in z.officers:
            for item_id in z.items["duty"]:
                answer = rec.ChecklistAnswer(item_id=item_id, officer_id=officer.id)
                answer.id = month_answer_id(officer.id, label, item_id)
                answer.month, answer.answer = label, "done"
                if rng.random() < 0.02:
                    answer.answer, answer.note = "not_done", rng.choice(dd.DUTY_MISS_NOTES)
                z.add(z.s.checklist_answers, answer)
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
