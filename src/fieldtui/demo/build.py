"""Demo data: two years of one zone's work, written through the store like real work.

Every row goes through the repositories and so through the writer, which records one op per
field: a demo database then syncs, merges and reports exactly like a real one, and the screens,
reports and sync code can be tried on it. Numbers follow the published figures of one zone
(domain.md) at full scale (``size`` ≥ 3,200) and shrink with the officer count below that;
only the enterprise ledger grows with ``size`` (that is what gets big in real offices).

Output is a function of ``seed`` and ``today`` alone (row ids and ``created_at`` stamps aside):
one ``random.Random(seed)``, no global random, no clock. ``today`` defaults to the current date
so the demo always has a "this month" to report on.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from fieldtui.demo import data as dd
from fieldtui.demo import work
from fieldtui.demo.zone import PlannedActivity, PlannedProject, Progress, Zone
from fieldtui.domain import records as rec
from fieldtui.domain.enums import ProjectStage
from fieldtui.domain.milestones import project_stage
from fieldtui.domain.validators import generate_uscc
from fieldtui.store import Store
from fieldtui.store.checklists import (
    current_checklist,
    ensure_checklists,
    revise_checklist,
    seed_checklist,
)
from fieldtui.store.visit_search import refresh_visit_search

__all__ = ["DemoBuild", "build_demo"]

_IDLE_STATUSES = (("partial", 0.02), ("suspended", 0.035), ("moved", 0.045), ("closed", 0.055))
"""Enterprises that are not simply operating: a roll below each bound gets that status."""

_STAGE_STATUS = {
    ProjectStage.SIGNED: "signed",
    ProjectStage.LAND: "signed",
    ProjectStage.STARTED: "building",
    ProjectStage.COMPLETED: "building",
    ProjectStage.TRIAL: "trial",
    ProjectStage.PRODUCTION: "operating",
}
"""Status of an enterprise that exists for its project, from the project's stage."""


def build_demo(
    store: Store,
    size: int = 300,
    seed: int = 2024,
    progress: Progress | None = None,
    *,
    today: date | None = None,
) -> dict[str, int]:
    """Fill an empty database with ``size`` enterprises and a zone's work around them.

    Returns the number of rows written per synced table. Refuses a database that already
    holds work: demo names and codes would collide with it. Everything is one transaction,
    so an interrupted build leaves the database as it was.
    """
    if size < 1:
        raise ValueError("size must be at least 1")
    if not store.is_empty():
        raise ValueError(f"{store.path}: database already holds data; demo needs an empty one")
    demo = DemoBuild(store, size, seed, today or date.today(), progress)
    with store.batch():
        demo.build()
    refresh_visit_search(store.db)  # the visits' text, ready for the list's first search
    if demo.leads and store.meta("officer_id") is None:
        # The demo is used as one of its lead officers, so new visits have a default officer.
        store.set_meta("officer_id", demo.leads[0].id)
    if progress:
        progress("done", 1.0)
    return {table: demo.counts[table] for table in rec.RECORD_TYPES}


class DemoBuild(Zone):
    """One build: the plan of the zone, then the writes, in dependency order."""

    # -- the build ----------------------------------------------------------------------

    def build(self) -> None:
        self.checklist_templates()
        self.make_officers()
        n_named = min(len(dd.NAMED_ENTERPRISES), self.size)
        n_trips = self.count(21, 3)
        targets = min(self.count(40, n_trips) + self.count(17, 3), (self.size - n_named) // 3)
        self.target_range = range(n_named, n_named + targets)
        self.zone = [i for i in range(self.size) if i not in self.target_range]
        activities = self.plan_activities(n_trips)
        self.plan_projects(activities)
        self.make_enterprises(n_named)
        self.make_activities(activities)
        self.make_projects()
        self.make_assignments()
        visits = work.add_visits(self)
        problems = work.add_problems(self, visits)
        work.add_meetings(self, problems)
        work.add_duty_answers(self)

    def checklist_templates(self) -> None:
        """The seed versions (the ids every replica derives for them) and a second version
        of the negative list four months ago, so answers of both versions exist."""
        self.stage("checklists")
        for kind in ensure_checklists(self.s):
            self.counts["checklist_template"] += 1
            self.counts["checklist_item"] += len(seed_checklist(kind).items)
        self.items = {k: list(current_checklist(self.s, k).item_ids) for k in ("duty", "negative")}
        first = current_checklist(self.s, "negative")
        texts = list(first.texts)
        for position, text in dd.NEGATIVE_REVISION.items():
            if position <= len(texts):
                texts[position - 1] = text
            else:
                texts.append(text)
        revised_on = max(self.start, self.today - timedelta(days=120))
        second = revise_checklist(
            self.s,
            "negative",
            texts,
            base_template_id=first.template_id,
            effective_from=revised_on,
        )
        self.counts["checklist_template"] += 1
        self.counts["checklist_item"] += len(second.items)
        self.negative_versions = [(self.start, self.items["negative"])]
        self.negative_versions.append((revised_on, list(second.item_ids)))

    def make_officers(self) -> None:
        self.stage("officers")
        rng, used = self.rng, set[str]()
        n_leaders = max(1, self.n_officers // 10)
        n_staff = max(1, self.n_officers // 5)
        for i in range(self.n_officers):
            name = dd.person_name(rng)
            while name in used:  # officers are matched by name in sheets
                name = dd.person_name(rng)
            used.add(name)
            if i < n_leaders:
                role, unit = "leader", "投资促进服务中心"
            elif i < n_leaders + n_staff:
                role, unit = "staff", rng.choice(dd.OFFICER_UNITS[:5])
            else:
                role, unit = "cso", rng.choice(dd.OFFICER_UNITS)
            phone = dd.landline(rng) if rng.random() < 0.4 else dd.mobile(rng)
            officer = rec.Officer(name=name, phone=phone, unit=unit, role=role)
            self.officers.append(self.add(self.s.officers, officer))
        self.leaders = [o for o in self.officers if o.role == "leader"]
        self.leads = [o for o in self.officers if o.role == "cso"]

    # -- planning (indices and dates only; rows are written afterwards) -----------------

    def plan_activities(self, n_trips: int) -> list[PlannedActivity]:
        rng, acts = self.rng, []
        n_recv = self.count(17, 3)
        last = self.today - timedelta(7)
        for i in range(n_trips + n_recv):
            kind = "trip_out" if i < n_trips else "reception"
            team = [rng.choice(self.leaders).id] if kind == "trip_out" else []
            others = [o.id for o in self.officers if o.id not in team]
            team += rng.sample(others, min(len(others), rng.randint(1, 3)))
            acts.append(PlannedActivity(self.day(self.start, last), kind, team))
        acts.sort(key=lambda a: a.day)
        trips = [a for a in acts if a.kind == "trip_out"]
        receptions = [a for a in acts if a.kind == "reception"]
        targets = list(self.target_range)
        rng.shuffle(targets)
        n_trip_targets = max(0, len(targets) - len(receptions))
        for j, target in enumerate(targets[:n_trip_targets]):
            trips[j % len(trips)].targets.append(target)
        for act, target in zip(receptions, targets[n_trip_targets:], strict=False):
            act.targets.append(target)
        return acts

    def milestones(self, signed: date, gaps: list[tuple[int, int]]) -> list[date | None]:
        """Dates from signing on, each gap a (min, max) day range after the previous date;
        a gap of (0, 0) is 拿地即开工, ``(-1, -1)`` skips land supply (own land)."""
        dates: list[date | None] = [signed]
        prev = signed
        for lo, hi in gaps:
            if lo < 0:
                dates.append(None)
                continue
            prev = prev + timedelta(self.rng.randint(lo, hi))
            dates.append(prev)
        return dates

    def _finish(self, dates: list[date | None], same_year_ok: bool = False) -> list[date | None]:
        """Keep only milestones already reached; keep accidental same-year projects out so
        the published count (5) holds for any period."""
        signed, production = dates[0], dates[5]
        if not same_year_ok and signed and production and production.year == signed.year:
            dates[5] = date(signed.year + 1, 1, 5) + timedelta(self.rng.randint(0, 80))
        for i, d in enumerate(dates):
            if d is not None and d > self.today:
                return dates[:i] + [None] * (6 - i)
        return dates

    def plan_projects(self, activities: list[PlannedActivity]) -> None:
        rng, today, start = self.rng, self.today, self.start
        n_proj = min(800, max(6, self.size // 4))
        fresh = [i for i in self.zone if i >= len(dd.NAMED_ENTERPRISES)] or list(self.zone)
        rng.shuffle(fresh)
        fresh_iter = iter(fresh)

        def new_ent() -> int:
            """An enterprise set up for its project; once they run out, any zone one."""
            ent = next(fresh_iter, None)
            return rng.choice(self.zone) if ent is None else ent

        build = [(20, 200), (0, 150), (180, 600), (10, 90), (30, 150)]
        revit = [(-1, -1), (10, 60), (60, 120), (10, 30), (20, 40)]  # a plant, not land
        # 7 projects introduced from trips and receptions, 5.48 亿元 between them
        sources = [(a, t) for a in activities if a.day <= today - timedelta(40) for t in a.targets]
        n_intro = min(len(sources), self.count(7, 2))
        left = 54_800 * n_intro // 7 // 100 * 100  # whole 万元, shared out in hundreds
        weights = [rng.randint(50, 200) for _ in range(n_intro)]
        for k, (act, target) in enumerate(rng.sample(sources, n_intro)):
            share = left * weights[k] // sum(weights[k:]) // 100 * 100
            invest = Decimal(share if k < n_intro - 1 else left)
            left -= share
            signed = act.day + timedelta(rng.randint(15, min(120, (today - act.day).days - 1)))
            dates = self._finish(self.milestones(signed, build))
            origin = activities.index(act)
            self.projects.append(PlannedProject(target, "attracted", dates, invest, origin))
        # revitalised plants: 27 in the period, 5 of them signed-to-production in one year
        n_revit = self.count(27, 6)
        for k in range(n_revit):
            if k < self.count(5, 2):
                signed = self.day(date(self.year1, 1, 10), date(self.year1, 3, 31))
                dates = self._finish(self.milestones(signed, revit), same_year_ok=True)
            else:
                signed = self.day(start, today - timedelta(20))
                dates = self._finish(self.milestones(signed, revit))
            invest = Decimal(rng.randrange(5, 80) * 100)
            self.projects.append(PlannedProject(new_ent(), "revitalized", dates, invest))
        # one project from land supply to trial production in five months, 拿地即开工
        signed = date(self.year1, 7, rng.randint(1, 20))
        fast = [(20, 30), (0, 0), (120, 122), (28, 30), (60, 90)]  # land to trial: 5 months
        dates = self._finish(self.milestones(signed, fast))
        self.projects.append(PlannedProject(new_ent(), "expansion", dates, Decimal(18_000)))
        # the rest: older attracted projects and expansions of all ages
        earliest = date(self.year1 - 5, 1, 1)
        while len(self.projects) < n_proj:
            if rng.random() < 0.5:
                ent, source = new_ent(), "attracted"
                signed = self.day(earliest, start - timedelta(1))
                gaps = build.copy()
                invest = Decimal(rng.randrange(30, 1000) * 100)
            else:
                ent, source = rng.choice(self.zone), "expansion"
                signed = self.day(earliest, today)
                gaps = build.copy() if rng.random() < 0.4 else [(-1, -1), *build[1:]]
                invest = Decimal(rng.randrange(10, 300) * 100)
            if gaps[0][0] >= 0 and rng.random() < 0.15:
                gaps[1] = (0, 0)  # 拿地即开工
            dates = self.milestones(signed, gaps)
            if rng.random() < 0.03 and dates[3] and dates[4]:  # trial before acceptance
                dates[4] = dates[3] - timedelta(rng.randint(10, 40))
            dates = self._finish(dates)
            self.projects.append(PlannedProject(ent, source, dates, invest))
        self.project_ents = {p.ent for p in self.projects}
        self.status: dict[int, str] = {}
        for p in self.projects:
            if p.source != "expansion":
                self.status[p.ent] = _STAGE_STATUS.get(project_stage(*p.dates), "signed")

    # -- writing ------------------------------------------------------------------------

    def make_enterprises(self, n_named: int) -> None:
        self.stage("enterprises")
        rng, used_names, used_codes = self.rng, set[str](), set[str]()
        targets = set(self.target_range)
        for i in range(self.size):
            place, region = "", dd.ZONE_REGIONS.pick(rng)
            region_code: str | None = region
            if i in targets and i not in self.status:  # still elsewhere, being courted
                place, region_code = rng.choice(dd.ELSEWHERE)
            if i < n_named:
                name, mark, industry = dd.NAMED_ENTERPRISES[i]
                used_names.add(name)
            else:
                industry = dd.INDUSTRY_WEIGHTS.pick(rng)
                prefix = place[:2] if place else None
                name, mark = dd.enterprise_name(rng, industry, used_names, prefix)
            uscc = None
            if region_code and rng.random() < 0.93:
                uscc = generate_uscc(rng, region_code)
                while uscc in used_codes:
                    uscc = generate_uscc(rng, region_code)
                used_codes.add(uscc)
            ent = self.enterprise(name, industry, i < n_named, place)
            ent.uscc = uscc
            ent.status = self.status.get(i, "lead" if place else ent.status)
            gone_or_idle = ("closed", "moved", "suspended", "partial")
            if i < n_named or (i in self.project_ents and ent.status in gone_or_idle):
                ent.status = "operating"  # the well-known names, and anyone still investing
            if i < len(dd.ENTERPRISE_NOTES) and i < n_named:
                ent.notes = dd.ENTERPRISE_NOTES[i]
            self.ent_ids.append(self.add(self.s.enterprises, ent).id)
            self.brands.append(mark)
            self.names.append(name)
            self.contacts.append(ent.contact)
            if ent.status in ("closed", "moved"):  # no longer in the zone: nobody visits
                self.closed.add(i)

    def enterprise(self, name: str, industry: str, named: bool, place: str) -> rec.Enterprise:
        """One ledger row; employees and revenue agree with the scale (GB 2017 thresholds)."""
        rng = self.rng
        scale = rng.choice(("large", "medium")) if named else dd.SCALES.pick(rng)
        lo, hi, rev_lo, rev_hi = dd.SCALE_RANGES[scale]
        tags: list[str] = []
        if scale in ("large", "medium") or rng.random() < 0.2:
            tags.append("规上企业")
        for tag, chance in dd.TAG_CHANCES:
            if rng.random() < chance and (tag != "上市公司" or scale == "large"):
                tags.append(tag)
        if place and "外资" not in tags and place.startswith("香港"):
            tags.append("外资")
        roll = rng.random()
        status = next((s for s, upto in _IDLE_STATUSES if roll < upto), "operating")
        return rec.Enterprise(
            name=name,
            legal_rep=dd.person_name(rng),
            industry=industry,
            scale=scale,
            address=dd.elsewhere_address(rng, place) if place else dd.zone_address(rng),
            contact=dd.person_name(rng) if rng.random() < 0.95 else None,
            phone=dd.mobile(rng) if rng.random() < 0.8 else dd.landline(rng),
            employees=rng.randint(lo, hi) if rng.random() < 0.95 else None,
            revenue_wan=(
                Decimal(rng.randint(rev_lo * 100, rev_hi * 100)).scaleb(-2)
                if rng.random() < 0.9
                else None
            ),
            status=status,
            tags=tags,
            notes=rng.choice(dd.ENTERPRISE_NOTES) if rng.random() < 0.05 else None,
        )

    def make_activities(self, activities: list[PlannedActivity]) -> None:
        self.stage("activities")
        rng = self.rng
        self.activity_ids: list[str] = []
        for act in activities:
            if act.kind == "trip_out":
                place = rng.choice(dd.ELSEWHERE)[0]
                leads = dd.fill(rng, rng.choice(dd.TRIP_LEADS))
            else:
                first = act.targets[0] if act.targets else rng.choice(self.zone)
                place = f"{self.names[first]}考察团"
                leads = "客商实地考察地块和标准厂房，有意向进一步洽谈"
            record = rec.Activity(date=act.day, kind=act.kind, place=place, leads=leads)
            act.id = self.add(self.s.activities, record).id
            self.activity_ids.append(act.id)
            for officer_id in act.members:
                self.link(self.s.activity_members, act.id, officer_id)
            for target in act.targets:
                self.link(self.s.activity_enterprises, act.id, self.ent_ids[target])

    def make_projects(self) -> None:
        self.stage("projects")
        rng, used = self.rng, set[str]()
        for p in self.projects:
            kinds = dd.PROJECT_KINDS[p.source]
            name = self.brands[p.ent] + dd.fill(rng, rng.choice(kinds))
            while name in used:
                name = name.removesuffix("项目") + ("二期项目" if "期" not in name else "扩建项目")
            used.add(name)
            signed, land, started, completed, trial, production = p.dates
            record = rec.Project(
                name=name,
                enterprise_id=self.ent_ids[p.ent],
                planned_investment_wan=p.invest,
                source=p.source,
                revitalized=p.source == "revitalized",
                signed_on=signed,
                land_on=land,
                started_on=started,
                completed_on=completed,
                trial_on=trial,
                production_on=production,
                activity_id=None if p.activity is None else self.activity_ids[p.activity],
            )
            self.project_ids.append(self.add(self.s.projects, record).id)
            self.project_names.append(name)

    def make_assignments(self) -> None:
        """Two yearly plans: every enterprise officers can cover, a tenth moved in year two.

        The plan covers at most ~45 enterprises per officer (a zone's "few thousand"), so a
        100k-row ledger does not give each officer a thousand enterprises.
        """
        self.stage("assignments")
        rng = self.rng
        wanted = [p.ent for p in self.projects] + self.zone  # named ones lead the zone list
        covered = list(
            dict.fromkeys(i for i in wanted if i not in self.target_range and i not in self.closed)
        )
        covered = covered[: 45 * self.n_officers]
        plan: dict[int, tuple[str, str | None]] = {}
        for year in (self.year1, self.year1 + 1):
            for ent in covered:
                lead, helper = plan.get(ent, ("", None))
                if not lead or rng.random() < 0.1:
                    lead = rng.choice(self.leads).id
                    others = [o.id for o in self.officers if o.id != lead]
                    helper = rng.choice(others) if rng.random() < 0.25 else None
                plan[ent] = (lead, helper)
                ent_id = self.ent_ids[ent]
                record = rec.Assignment(year=year, officer_id=lead, enterprise_id=ent_id)
                self.add(self.s.assignments, record)
                if helper:
                    record = rec.Assignment(
                        year=year, officer_id=helper, enterprise_id=ent_id, role="assist"
                    )
                    self.add(self.s.assignments, record)
            self.plans[year] = dict(plan)
            end = date(year, 12, 31)
            for k, p in enumerate(self.projects):
                signed, production = p.dates[0], p.dates[5]
                if signed and signed <= end and not (production and production.year < year):
                    lead = plan[p.ent][0] if p.ent in plan else rng.choice(self.leads).id
                    project_id = self.project_ids[k]
                    record = rec.Assignment(year=year, officer_id=lead, project_id=project_id)
                    self.add(self.s.assignments, record)
