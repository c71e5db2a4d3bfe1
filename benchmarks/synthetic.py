"""A seeded generator of synthetic provinces, for benchmarks and scale tests.

The province is shaped like a real one, so that memory and speed figures measured
on it carry over to real accounts:

* a provincial party committee (省委) and government (省政府) with 20–30 departments
  and bureaus (厅/委/局), each with its divisions (处);
* prefecture cities (市委/市政府), each with 20–30 bureaus and their divisions (科),
  and 3–8 counties or districts (县委/县政府) with 12–18 bureaus of their own;
* 块 lines through ``parent`` (a bureau is led by its government, a county government
  by its city's) and 条 lines through ``guided_by`` (a county finance bureau is guided
  by the city finance bureau, which is guided by the provincial finance department);
* posts graded by level (provincial department head 正厅, city bureau head 正处,
  county bureau head 正科, deputies one grade below, division chiefs, staff), with
  ``reports_to`` chains inside each organisation and from each bureau head to the
  vice-governor, vice-mayor or vice county head who ``oversees`` the bureau;
* officials holding the posts: about 3 % of posts vacant, about 10 % of officials
  rotated from a previous post (the successor starts on the day the rotated official
  left, as the exclusive ``end`` convention asks);
* informal ties, :data:`TIES_PER_OFFICIAL` tie records per official: classmates
  clustered by school and class year, colleagues from shared organisations
  (including the one a rotated official came from), people from the same hometown,
  a few mentors, friends and relatives; about 10 % with confidence below 1;
* our owners from executive down to account reps with their ``manager`` line, their
  relationships with officials (six scores, dates), opportunities at bureaus with
  decision chains of 3–6 steps, and a few interactions.

At small sizes the number of departments, bureaus and counties shrinks so that the
number of officials still matches the request; from about 3,000 officials on, the
number of cities grows with the size (one per ~3,000 posts). Everything is drawn
from one :class:`random.Random` seeded by ``seed``, so a seed always gives the same
workspace.

Usage::

    python -m benchmarks.synthetic OUT --officials 10000 [--seed 0] [--format yaml]
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import random
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from stakegraph.graph.chains import resolve_chain
from stakegraph.records.model import (
    Action,
    ActionStatus,
    Assessment,
    Background,
    Interaction,
    InteractionKind,
    Level,
    Opportunity,
    Organisation,
    OrgKind,
    Owner,
    Person,
    Post,
    Relationship,
    RelationshipLevel,
    RoleKind,
    Stage,
    Stance,
    Survey,
    Tie,
    TieKind,
)
from stakegraph.records.workspace import Workspace

#: Tie records per official (each tie joins two officials, so an official takes
#: part in about twice as many).
TIES_PER_OFFICIAL = 5.0
#: Share of posts left without a current holder.
VACANT_SHARE = 0.03
#: Share of officials who held a previous post, left by a rotation.
ROTATED_SHARE = 0.10
#: Share of ties and relationships whose confidence is below 1.
UNSURE_SHARE = 0.10
#: Posts per prefecture city (with its counties) once the province is large.
POSTS_PER_CITY = 3000
#: The day the synthetic data describes; every date lies before it.
TODAY = dt.date(2026, 11, 1)

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏"
    "魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵"
    "万钱严覃武戴莫孔向汤"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华建国志红文斌辉鹏飞玉兰宇浩凯晨瑞博海峰"
    "云龙春林波宁鑫婷雪梅丹颖新亮俊佳琳晓东光荣鸿德胜福永庆祥嘉欣怡悦雨泽睿哲彬昊然思源诚毅"
)
PLACE_FIRST = (
    "安宁江川云岭青山临海长平东阳西河南浦北原金华玉清崇德永丰丰泽宝鸡吉安泰和瑞昌恒远汉中兴隆"
    "凤鸣龙泉武陵桃源沧澜白水黄石紫阳"
)
PLACE_SECOND = "州阳宁安山川江城原平乡丰水林陵湖溪源河浦口"
SCHOOLS = (
    "中央党校",
    "省委党校",
    "北京大学",
    "清华大学",
    "中国人民大学",
    "武汉大学",
    "复旦大学",
    "浙江大学",
    "南京大学",
    "中山大学",
    "四川大学",
    "吉林大学",
    "华中科技大学",
    "西安交通大学",
    "山东大学",
    "厦门大学",
    "湖南大学",
    "东北师范大学",
    "华东政法大学",
    "中南财经政法大学",
)
COMPETITORS = ("华为", "阿里云", "腾讯云", "浪潮", "中国电信", "中国移动", "神州数码", "东软")
PROJECTS = (
    "城市大脑",
    "一网通办平台",
    "数据共享交换平台",
    "智慧交通",
    "雪亮工程",
    "智慧医保",
    "财政一体化系统",
    "电子政务外网升级",
    "应急指挥平台",
    "不动产登记系统",
    "智慧教育云",
    "政务云扩容",
)
SOURCES = ("公开履历", "客户访谈", "行业活动", "同事介绍", "新闻报道")

#: Lines (条): key, provincial name, city name, county name, kind of org.
LINES: tuple[tuple[str, str, str, str, OrgKind], ...] = (
    ("fgw", "发展和改革委员会", "发展和改革委员会", "发展和改革局", OrgKind.COMMITTEE),
    ("cz", "财政厅", "财政局", "财政局", OrgKind.DEPARTMENT),
    ("cg", "政府采购中心", "政府采购中心", "政府采购中心", OrgKind.AGENCY),
    ("sjj", "数据局", "数据局", "数据局", OrgKind.BUREAU),
    ("gxt", "工业和信息化厅", "工业和信息化局", "工业和信息化局", OrgKind.DEPARTMENT),
    ("jyt", "教育厅", "教育局", "教育局", OrgKind.DEPARTMENT),
    ("kjt", "科学技术厅", "科学技术局", "科学技术局", OrgKind.DEPARTMENT),
    ("gat", "公安厅", "公安局", "公安局", OrgKind.DEPARTMENT),
    ("mzt", "民政厅", "民政局", "民政局", OrgKind.DEPARTMENT),
    ("sft", "司法厅", "司法局", "司法局", OrgKind.DEPARTMENT),
    (
        "rst",
        "人力资源和社会保障厅",
        "人力资源和社会保障局",
        "人力资源和社会保障局",
        OrgKind.DEPARTMENT,
    ),
    ("zrt", "自然资源厅", "自然资源和规划局", "自然资源局", OrgKind.DEPARTMENT),
    ("sthj", "生态环境厅", "生态环境局", "生态环境分局", OrgKind.DEPARTMENT),
    ("zjt", "住房和城乡建设厅", "住房和城乡建设局", "住房和城乡建设局", OrgKind.DEPARTMENT),
    ("jtt", "交通运输厅", "交通运输局", "交通运输局", OrgKind.DEPARTMENT),
    ("slt", "水利厅", "水务局", "水利局", OrgKind.DEPARTMENT),
    ("nyt", "农业农村厅", "农业农村局", "农业农村局", OrgKind.DEPARTMENT),
    ("swt", "商务厅", "商务局", "商务局", OrgKind.DEPARTMENT),
    ("wlt", "文化和旅游厅", "文化广电旅游局", "文化和旅游局", OrgKind.DEPARTMENT),
    ("wjw", "卫生健康委员会", "卫生健康委员会", "卫生健康局", OrgKind.COMMITTEE),
    ("yjt", "应急管理厅", "应急管理局", "应急管理局", OrgKind.DEPARTMENT),
    ("sjt", "审计厅", "审计局", "审计局", OrgKind.DEPARTMENT),
    ("scj", "市场监督管理局", "市场监督管理局", "市场监督管理局", OrgKind.BUREAU),
    ("ybj", "医疗保障局", "医疗保障局", "医疗保障局", OrgKind.BUREAU),
    ("tjj", "统计局", "统计局", "统计局", OrgKind.BUREAU),
    ("lyj", "林业局", "林业局", "林业局", OrgKind.BUREAU),
    ("tyjr", "退役军人事务厅", "退役军人事务局", "退役军人事务局", OrgKind.DEPARTMENT),
    (
        "gzw",
        "国有资产监督管理委员会",
        "国有资产监督管理委员会",
        "国有资产服务中心",
        OrgKind.COMMITTEE,
    ),
    ("xfj", "信访局", "信访局", "信访局", OrgKind.BUREAU),
    ("zwfw", "政务服务管理局", "政务服务管理局", "政务服务中心", OrgKind.BUREAU),
    ("mzw", "民族宗教事务委员会", "民族宗教事务局", "民族宗教事务局", OrgKind.COMMITTEE),
    ("jgsw", "机关事务管理局", "机关事务管理局", "机关事务服务中心", OrgKind.BUREAU),
)
#: Lines every government has: the opportunity chains need them.
CORE_LINES = ("fgw", "cz", "cg", "sjj")
#: Lines the executive deputy (常务副省长/市长/县长) oversees.
EXECUTIVE_LINES = ("fgw", "cz", "cg", "sjt", "gzw", "tjj")
DIVISIONS = (
    "办公室",
    "政策法规",
    "规划发展",
    "财务审计",
    "人事",
    "信息化",
    "综合业务",
    "项目管理",
    "监督检查",
    "科技与标准",
    "安全管理",
    "统计分析",
)


@dataclass(frozen=True)
class _Tier:
    """How one level of government is titled and graded."""

    level: Level
    short: str  # 省, 市, 县, 区
    secretary: int
    head: int
    vice: int
    secretary_general: int
    bureau_head: int
    division_chief: int | None  # None: no divisions at this level
    division_unit: str  # 处 or 科
    staff: tuple[int, ...]


PROVINCE = _Tier(Level.PROVINCIAL, "省", 9, 9, 8, 7, 7, 5, "处", (1, 2, 3))
CITY = _Tier(Level.MUNICIPAL, "市", 7, 7, 6, 5, 5, 3, "科", (1, 2))
COUNTY = _Tier(Level.COUNTY, "县", 5, 5, 4, 3, 3, None, "", (1,))
DISTRICT = _Tier(Level.DISTRICT, "区", 5, 5, 4, 3, 3, None, "", (1,))

_STAFF_TITLES = {1: "科员", 2: "副主任科员", 3: "主任科员"}


@dataclass
class _Bureau:
    """What the chains need to know of one bureau."""

    id: str
    gov: str  # id of its government
    head: str
    deputies: list[str]
    chiefs: list[str]
    overseer: str = ""


@dataclass
class _Government:
    id: str
    tier: _Tier
    city: int  # index of the city it belongs to; -1 for the province
    lines: dict[str, str] = field(default_factory=dict)  # line key -> bureau id
    head: str = ""


@dataclass
class _Unit:
    """Somewhere staff posts are added: a division, or a county bureau."""

    org: str
    leader: str  # the post staff report to
    tier: _Tier
    group: str  # the bureau whose people are colleagues
    city: int
    weight: float


class _Province:
    """Builds the organisations and posts; staff posts are added by :meth:`fill`."""

    def __init__(self, rng: random.Random, cities: int, scale: float) -> None:
        self.rng = rng
        self.scale = scale
        self.orgs: list[Organisation] = []
        self.posts: list[Post] = []
        self.post_group: list[str] = []  # colleague group (a bureau id) of each post
        self.post_city: list[int] = []
        self.bureaus: dict[str, _Bureau] = {}
        self.governments: list[_Government] = []
        self.units: list[_Unit] = []
        self.counties: list[tuple[str, int]] = []  # (county name, city index)
        self._names: set[str] = set()
        name = self._place() + "省"
        self.province = self._government("p", name, PROVINCE, -1, None)
        for index in range(cities):
            city_name = self._place() + "市"
            city = self._government(f"c{index + 1}", city_name, CITY, index, self.province)
            for k in range(max(1, self._scaled(3, 8))):
                tier = DISTRICT if rng.random() < 0.3 else COUNTY
                county_name = self._place() + tier.short
                self.counties.append((county_name, index))
                self._government(f"c{index + 1}k{k + 1}", county_name, tier, index, city)

    # --- helpers -----------------------------------------------------------------
    def _scaled(self, low: int, high: int) -> int:
        return round(self.rng.randint(low, high) * self.scale)

    def _place(self) -> str:
        rng = self.rng
        for _ in range(50):
            name = rng.choice(PLACE_FIRST) + rng.choice(PLACE_SECOND)
            if name[0] != name[1] and name not in self._names:
                self._names.add(name)
                return name
        name = f"{rng.choice(PLACE_FIRST)}{rng.choice(PLACE_SECOND)}{len(self._names)}"
        self._names.add(name)
        return name

    def _org(self, **fields: object) -> Organisation:
        org = Organisation(**fields)  # type: ignore[arg-type]
        self.orgs.append(org)
        return org

    def _post(
        self, post_id: str, org: str, title: str, grade: int, group: str, city: int, **more: object
    ) -> str:
        self.posts.append(Post(id=post_id, org=org, title=title, grade=grade, **more))  # type: ignore[arg-type]
        self.post_group.append(group)
        self.post_city.append(city)
        return post_id

    # --- governments -------------------------------------------------------------
    def _government(
        self,
        prefix: str,
        region: str,
        tier: _Tier,
        city: int,
        parent: _Government | None,
    ) -> _Government:
        rng, s = self.rng, tier.short
        pc_id, gov_id = f"{prefix}-pc", f"{prefix}-gov"
        parent_pc = parent.id.replace("-gov", "-pc") if parent else None
        self._org(
            id=pc_id,
            name=f"中共{region}委员会",
            kind=OrgKind.PARTY_COMMITTEE,
            level=tier.level,
            region=region,
            parent=parent_pc,
        )
        self._org(
            id=gov_id,
            name=f"{region}人民政府",
            kind=OrgKind.GOVERNMENT,
            level=tier.level,
            region=region,
            parent=parent.id if parent else None,
        )
        gov = _Government(gov_id, tier, city)
        self.governments.append(gov)
        up_secretary = f"{parent_pc}.sec" if parent_pc else None
        secretary = self._post(
            f"{pc_id}.sec",
            pc_id,
            f"{s}委书记",
            tier.secretary,
            pc_id,
            city,
            leadership=True,
            reports_to=up_secretary,
        )
        self._post(
            f"{pc_id}.dsec",
            pc_id,
            f"{s}委副书记",
            tier.secretary - 1,
            pc_id,
            city,
            leadership=True,
            reports_to=secretary,
        )
        head_title = {"省": "省长", "市": "市长", "县": "县长", "区": "区长"}[s]
        head = self._post(
            f"{gov_id}.head",
            gov_id,
            head_title,
            tier.head,
            gov_id,
            city,
            leadership=True,
            reports_to=secretary,
        )
        gov.head = head
        executive = self._post(
            f"{gov_id}.evice",
            gov_id,
            f"常务副{head_title}",
            tier.vice,
            gov_id,
            city,
            leadership=True,
            reports_to=head,
        )
        vices = [executive]
        vice_posts = [self.posts[-1]]
        for v in range(rng.randint(3, 5)):
            vices.append(
                self._post(
                    f"{gov_id}.vice{v + 1}",
                    gov_id,
                    f"副{head_title}",
                    tier.vice,
                    gov_id,
                    city,
                    leadership=True,
                    reports_to=head,
                )
            )
            vice_posts.append(self.posts[-1])
        office = "秘书长" if tier.division_chief is not None else "办公室主任"
        self._post(
            f"{gov_id}.sg",
            gov_id,
            f"{s}政府{office}",
            tier.secretary_general,
            gov_id,
            city,
            leadership=True,
            reports_to=executive,
        )

        # which lines this government has: the core ones, then a random share
        if tier.division_chief is not None:
            wanted = max(len(CORE_LINES), self._scaled(20, 30))
        else:
            wanted = max(len(CORE_LINES), self._scaled(12, 18))
        others = [line for line in LINES if line[0] not in CORE_LINES]
        rng.shuffle(others)
        chosen = [line for line in LINES if line[0] in CORE_LINES]
        chosen += others[: max(0, wanted - len(chosen))]
        chosen.sort(key=LINES.index)

        oversees: dict[str, list[str]] = {v: [] for v in vices}
        for key, p_name, c_name, k_name, kind in chosen:
            bureau_id = f"{prefix}-{key}"
            name = {"省": p_name, "市": c_name}.get(s, k_name)
            if kind is OrgKind.DEPARTMENT and s != "省":
                kind = OrgKind.BUREAU
            guide = parent.lines.get(key) if parent else None
            self._org(
                id=bureau_id,
                name=f"{region}{name}",
                kind=kind,
                level=tier.level,
                region=region,
                parent=gov_id,
                guided_by=[guide] if guide else [],
            )
            gov.lines[key] = bureau_id
            overseer = executive if key in EXECUTIVE_LINES else rng.choice(vices[1:])
            oversees[overseer].append(bureau_id)
            self._bureau(bureau_id, name, region, gov, overseer, city)
        # each leader's oversight is known once every bureau exists
        for post in vice_posts:
            post.oversees = oversees[post.id]
        return gov

    def _bureau(
        self, bureau_id: str, name: str, region: str, gov: _Government, overseer: str, city: int
    ) -> None:
        rng, tier = self.rng, gov.tier
        if name.endswith("厅"):
            title = "厅长"
        elif name.endswith(("委员会", "中心")):
            title = "主任"
        else:
            title = "局长"
        head = self._post(
            f"{bureau_id}.head",
            bureau_id,
            title,
            tier.bureau_head,
            bureau_id,
            city,
            leadership=True,
            reports_to=overseer,
        )
        deputies = [
            self._post(
                f"{bureau_id}.dep{d + 1}",
                bureau_id,
                f"副{title}",
                tier.bureau_head - 1,
                bureau_id,
                city,
                leadership=True,
                reports_to=head,
            )
            for d in range(
                rng.randint(1, 3) if tier.division_chief is not None else rng.randint(1, 2)
            )
        ]
        bureau = _Bureau(bureau_id, gov.id, head, deputies, [], overseer)
        self.bureaus[bureau_id] = bureau
        if tier.division_chief is None:
            self.units.append(_Unit(bureau_id, deputies[-1], tier, bureau_id, city, 1.2))
            return
        names = list(DIVISIONS)
        rng.shuffle(names)
        for d, base in enumerate(names[: max(1, self._scaled(3, 6))]):
            div_id = f"{bureau_id}-d{d + 1}"
            div_name = base if base == "办公室" else base + tier.division_unit
            self._org(
                id=div_id,
                name=f"{region}{name}{div_name}",
                kind=OrgKind.DIVISION,
                level=tier.level,
                region=region,
                parent=bureau_id,
            )
            chief_title = "主任" if base == "办公室" else f"{tier.division_unit}长"
            chief = self._post(
                f"{div_id}.chief",
                div_id,
                chief_title,
                tier.division_chief,
                bureau_id,
                city,
                leadership=True,
                reports_to=rng.choice(deputies),
            )
            deputy = self._post(
                f"{div_id}.deputy",
                div_id,
                f"副{chief_title}",
                tier.division_chief - 1,
                bureau_id,
                city,
                leadership=True,
                reports_to=chief,
            )
            bureau.chiefs.append(chief)
            weight = 1.5 if tier is PROVINCE else 1.0
            self.units.append(_Unit(div_id, deputy, tier, bureau_id, city, weight))

    def fill(self, total_posts: int) -> None:
        """Add staff posts to divisions and county bureaus until there are ``total_posts``."""
        missing = total_posts - len(self.posts)
        if missing <= 0 or not self.units:
            return
        rng = self.rng
        counts = [0] * len(self.units)
        picks = rng.choices(range(len(self.units)), [u.weight for u in self.units], k=missing)
        for index in picks:
            counts[index] += 1
        for unit, count in zip(self.units, counts, strict=True):
            for n in range(count):
                grade = rng.choice(unit.tier.staff)
                self._post(
                    f"{unit.org}.s{n + 1}",
                    unit.org,
                    _STAFF_TITLES[grade],
                    grade,
                    unit.group,
                    unit.city,
                    reports_to=unit.leader,
                )


def _person_name(rng: random.Random) -> str:
    given = rng.choice(GIVEN)
    if rng.random() < 0.7:
        given += rng.choice(GIVEN)
    return rng.choice(SURNAMES) + given


def _same_day(day: dt.date) -> dt.date:
    """A separate date object for the same day.

    The YAML writer marks an object it meets twice with an anchor (``&id001``) and
    an alias; a handover day shared by two tenures would be written that way.
    """
    return dt.date(day.year, day.month, day.day)


def _day(rng: random.Random, first: dt.date, last: dt.date) -> dt.date:
    return dt.date.fromordinal(rng.randint(first.toordinal(), last.toordinal()))


def _build_structure(seed: int, posts: int) -> tuple[random.Random, _Province]:
    """The organisations and posts, shrinking the skeleton until staff fill the rest."""
    cities = max(1, round(posts / POSTS_PER_CITY))
    scale = 1.0
    while True:
        rng = random.Random(seed)
        province = _Province(rng, cities, scale)
        if len(province.posts) <= 0.75 * posts or scale < 0.1:
            province.fill(posts)
            return rng, province
        scale *= 0.85


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Pause the cycle collector while building many small acyclic objects.

    Generation allocates millions of objects and no cycles; with the collector on,
    its repeated passes over the growing heap double the time taken.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def generate_workspace(
    officials: int,
    seed: int = 0,
    owners: int | None = None,
    opportunities: int | None = None,
) -> Workspace:
    """Generate a valid workspace of a synthetic province.

    Parameters
    ----------
    officials : int
        Number of persons (officials), each holding one current post.
    seed : int
        Seed of the random generator; the same seed gives the same workspace.
    owners : int, optional
        Number of our owners; default ``officials // 100``, at least 10.
    opportunities : int, optional
        Number of opportunities; default ``officials // 100``, at least 1.

    Returns
    -------
    Workspace
        About ``officials / 0.97`` posts (3 % vacant), ``officials`` persons,
        ``5 * officials`` ties, ``officials / 10`` relationships, the owners and
        opportunities asked for, and a few interactions.

    Examples
    --------
    >>> ws = generate_workspace(300, seed=1)
    >>> len(ws.persons)
    300
    """
    if officials < 1:
        raise ValueError("officials must be at least 1")
    with _gc_paused():
        return _generate(officials, seed, owners, opportunities)


def _generate(
    officials: int, seed: int, owners: int | None, opportunities: int | None
) -> Workspace:
    n_owners = max(10, officials // 100) if owners is None else owners
    n_opps = max(1, officials // 100) if opportunities is None else opportunities
    vacant_count = max(1, round(officials * VACANT_SHARE))
    rng, province = _build_structure(seed, officials + vacant_count)

    ws = Workspace(name=f"synthetic-{officials}")
    for org in province.orgs:
        ws.add(org)
    for post in province.posts:
        ws.add(post)

    people = _Officials(rng, province, officials)
    for person in people.records():
        ws.add(person)
    for tie in people.ties(round(officials * TIES_PER_OFFICIAL)):
        ws.add(tie)
    team = _owners(rng, n_owners)
    for owner in team:
        ws.add(owner)
    opps = _opportunities(rng, province, n_opps)
    for opp in opps:
        ws.add(opp)
    rels = _relationships(rng, people, team, opps, max(1, officials // 10))
    for rel in rels:
        ws.add(rel)
    interactions = _interactions(rng, people, rels, max(5, officials // 100))
    for item in interactions:
        ws.add(item)
    # History records come from their own generator, so adding them left every
    # record above exactly as before for the same seed.
    history_rng = random.Random(seed * 7919 + 1)
    for item in interactions:
        item.information_shared = history_rng.random() < 0.4
    for record in _history(history_rng, rels):
        ws.add(record)
    return ws


SURVEY_ITEMS = ("产品质量", "服务态度", "交付及时性", "响应速度", "技术能力")


def add_satisfaction(ws: Workspace, seed: int = 0) -> tuple[int, int]:
    """Add satisfaction surveys and the improvements they prompted; return both counts.

    One survey per five officials, dated in 2026 up to ``TODAY``, three of five items
    scored 1–5. Half are answered by an organisation (a client in half of those), half
    by a person: a third of those hold a chain role that day, so they belong to an
    account through the chain; the rest are anyone. One improvement per four surveys,
    linked to a survey, due 30 days after it was created, in any status. Kept out of
    :func:`generate_workspace` so the load figures stay comparable; the account
    benchmark adds them.
    """
    rng = random.Random(seed * 104729 + 3)
    persons = list(ws.persons)
    orgs = list(ws.organisations)
    clients = list(dict.fromkeys(o.client for o in ws.opportunities.values()))
    role_holders = [
        pid
        for opp in ws.opportunities
        for step in resolve_chain(ws, opp, TODAY)
        for role in step.roles
        for pid in role.holders
    ]
    surveys = []
    for number in range(max(1, len(persons) // 5)):
        day = _day(rng, dt.date(2026, 1, 1), TODAY)
        if number % 2 == 0:
            who = {"org": rng.choice(clients if clients and rng.random() < 0.5 else orgs)}
        elif role_holders and rng.random() < 1 / 3:
            who = {"person": rng.choice(role_holders)}
        else:
            who = {"person": rng.choice(persons)}
        scores = {item: rng.randint(1, 5) for item in rng.sample(SURVEY_ITEMS, 3)}
        surveys.append(Survey(id=f"sv{number:06d}", date=day, scores=scores, **who))
    for survey in surveys:
        ws.add(survey)
    owners = list(ws.owners)
    improvements = 0
    for number in range(len(surveys) // 4):
        survey = rng.choice(surveys)
        created = survey.date + dt.timedelta(days=rng.randint(1, 20))
        status = rng.choice(list(ActionStatus))
        ws.add(
            Action(
                id=f"imp{number:06d}",
                owner=rng.choice(owners),
                action="针对调查低分项整改",
                origin="improvement",
                survey=survey.id,
                org=survey.org,
                person=survey.person,
                created=created,
                due=created + dt.timedelta(days=30),
                status=status,
                done=created + dt.timedelta(days=25) if status is ActionStatus.DONE else None,
            )
        )
        improvements += 1
    return len(surveys), improvements


def _history(rng: random.Random, rels: list[Relationship]) -> list[Assessment | Action]:
    """Re-assessments of about a third of the relationships and plan actions for 5 %."""
    out: list[Assessment | Action] = []
    dims = ("acceptance", "participation", "information", "guidance", "support", "preference")
    for rel in rels:
        if rng.random() < 0.3:
            days = sorted({_day(rng, dt.date(2026, 1, 1), TODAY) for _ in range(rng.randint(1, 2))})
            for day in days:
                changed = rng.sample(dims, rng.randint(1, 6))
                scores = {
                    d: max(0, min(5, getattr(rel, d) + rng.choice((-2, -1, 1, 2)))) for d in changed
                }
                out.append(Assessment(owner=rel.owner, person=rel.person, date=day, **scores))
        if rng.random() < 0.05:
            created = _day(rng, dt.date(2026, 6, 1), TODAY)
            status = rng.choice(list(ActionStatus))
            out.append(
                Action(
                    id=f"act-{rel.owner}-{rel.person}",
                    owner=rel.owner,
                    person=rel.person,
                    action="拜访并汇报方案",
                    created=created,
                    due=created + dt.timedelta(days=30),
                    status=status,
                    done=created + dt.timedelta(days=20) if status is ActionStatus.DONE else None,
                    baseline_cover=round(rng.random(), 3),
                )
            )
    return out


class _Officials:
    """The persons: who holds which post, since when, and their informal ties."""

    def __init__(self, rng: random.Random, province: _Province, count: int) -> None:
        self.rng = rng
        self.province = province
        posts = province.posts
        total = len(posts)
        vacant = set(rng.sample(range(total), min(total - 1, max(1, total - count))))
        held = [i for i in range(total) if i not in vacant]
        rng.shuffle(held)
        held = held[:count]
        self.count = len(held)
        self.post = held  # post index of each person's current post
        first, last = dt.date(2015, 1, 1), dt.date(2026, 6, 30)
        self.start = [_day(rng, first, last) for _ in held]
        self.grade = [posts[i].grade for i in held]
        self.born = [2026 - (24 + 3 * g + rng.randint(-3, 8)) for g in self.grade]
        self.previous: dict[int, tuple[int, dt.date]] = {}  # person -> (post, start)
        self.holder = {post: person for person, post in enumerate(held)}
        self._rotate(sorted(vacant))

    def _rotate(self, vacant: list[int]) -> None:
        """Give ~10 % of officials a previous post; successors start the day they left."""
        rng, grades = self.rng, [p.grade for p in self.province.posts]
        by_grade: dict[int, list[int]] = {}
        for post in self.post:
            by_grade.setdefault(grades[post], []).append(post)
        rng.shuffle(vacant)
        wanted = round(self.count * ROTATED_SHARE)
        candidates = [p for p in range(self.count) if self.start[p] >= dt.date(2018, 1, 1)]
        rotated = rng.sample(candidates, min(wanted, len(candidates)))
        rotated_set = set(rotated)
        successors: set[int] = set()
        for person in rotated:
            left = self.start[person]
            began = dt.date.fromordinal(left.toordinal() - rng.randint(700, 2600))
            if vacant and rng.random() < 0.2:
                # left a post nobody has taken over yet
                self.previous[person] = (vacant.pop(), began)
                continue
            pool = by_grade.get(self.grade[person] - 1) or by_grade[self.grade[person]]
            if rng.random() < 0.4:
                pool = by_grade[self.grade[person]]
            for _ in range(20):
                post = rng.choice(pool)
                successor = self.holder[post]
                if successor in rotated_set or successor in successors:
                    continue
                successors.add(successor)
                self.start[successor] = _same_day(left)
                self.previous[person] = (post, began)
                break

    def records(self) -> list[Person]:
        rng, posts = self.rng, self.province.posts
        backgrounds = (
            [Background.CAREER] * 60
            + [Background.RECRUITED] * 12
            + [Background.ROTATION] * 8
            + [Background.MILITARY] * 6
            + [Background.ACADEMIA] * 6
            + [Background.BUSINESS] * 4
            + [None] * 4
        )
        out = []
        for person in range(self.count):
            tenures = []
            if person in self.previous:
                post, began = self.previous[person]
                left = _same_day(self.start[person])
                tenures.append({"post": posts[post].id, "start": began, "end": left})
            tenures.append({"post": posts[self.post[person]].id, "start": self.start[person]})
            out.append(
                Person(
                    id=f"o{person + 1:06d}",
                    name=_person_name(rng),
                    background=rng.choice(backgrounds),
                    born=self.born[person],
                    tenures=tenures,  # type: ignore[arg-type]
                )
            )
        return out

    def person_id(self, person: int) -> str:
        return f"o{person + 1:06d}"

    def ties(self, wanted: int) -> list[Tie]:
        """Ties drawn inside clusters: class years, organisations, hometowns."""
        rng, province, n = self.rng, self.province, self.count
        if n < 2:
            return []
        groups_of = province.post_group
        schools = max(3, min(len(SCHOOLS), n // 2500))
        cohort = [(rng.randrange(schools), (self.born[p] + 22) // 2) for p in range(n)]
        hometown = []
        counties_by_city: dict[int, list[int]] = {}
        for index, (_, city) in enumerate(province.counties):
            counties_by_city.setdefault(city, []).append(index)
        for p in range(n):
            city = province.post_city[self.post[p]]
            local = counties_by_city.get(city)
            if local and rng.random() < 0.6:
                hometown.append(rng.choice(local))
            else:
                hometown.append(rng.randrange(max(1, len(province.counties))))
        by_cohort: dict[tuple[int, int], list[int]] = {}
        by_org: dict[str, list[int]] = {}
        by_home: dict[int, list[int]] = {}
        for p in range(n):
            by_cohort.setdefault(cohort[p], []).append(p)
            by_org.setdefault(groups_of[self.post[p]], []).append(p)
            by_home.setdefault(hometown[p], []).append(p)
        for p, (post, _) in self.previous.items():
            by_org.setdefault(groups_of[post], []).append(p)

        kinds = (
            TieKind.CLASSMATE,
            TieKind.FORMER_COLLEAGUE,
            TieKind.HOMETOWN,
            TieKind.MENTOR,
            TieKind.FRIEND,
            TieKind.FAMILY,
        )
        weights = (40, 35, 18, 4, 2, 1)
        strength = {
            TieKind.CLASSMATE: (0.3, 0.8),
            TieKind.FORMER_COLLEAGUE: (0.4, 0.9),
            TieKind.HOMETOWN: (0.2, 0.6),
            TieKind.MENTOR: (0.6, 0.95),
            TieKind.FRIEND: (0.4, 0.9),
            TieKind.FAMILY: (0.7, 1.0),
        }
        kind_number = {kind: number for number, kind in enumerate(kinds)}
        seen: set[int] = set()
        out: list[Tie] = []
        attempts = 0
        kind_draws = rng.choices(kinds, weights, k=wanted * 2)
        while len(out) < wanted and attempts < wanted * 10:
            kind = kind_draws[attempts % len(kind_draws)]
            attempts += 1
            a = rng.randrange(n)
            if kind is TieKind.CLASSMATE:
                group = by_cohort[cohort[a]]
            elif kind in (TieKind.FORMER_COLLEAGUE, TieKind.MENTOR):
                org = groups_of[self.post[a]]
                if a in self.previous and rng.random() < 0.5:
                    org = groups_of[self.previous[a][0]]
                group = by_org[org]
            elif kind in (TieKind.HOMETOWN, TieKind.FAMILY):
                group = by_home[hometown[a]]
            else:
                group = None
            b = rng.randrange(n) if group is None else group[rng.randrange(len(group))]
            if a == b:
                continue
            directed = kind is TieKind.MENTOR
            if directed:
                # the junior defers to the senior
                if self.grade[a] == self.grade[b]:
                    continue
                if self.grade[a] > self.grade[b]:
                    a, b = b, a
            elif a > b:
                a, b = b, a
            key = (a * n + b) * 8 + kind_number[kind]
            if key in seen:
                continue
            seen.add(key)
            low, high = strength[kind]
            since = None
            if kind is TieKind.CLASSMATE:
                since = dt.date(min(2025, cohort[a][1] * 2 + 1), 7, 1)
            elif kind in (TieKind.FORMER_COLLEAGUE, TieKind.MENTOR):
                since = _same_day(max(self.start[a], self.start[b]))
            unsure = rng.random() < UNSURE_SHARE
            out.append(
                Tie(
                    a=self.person_id(a),
                    b=self.person_id(b),
                    kind=kind,
                    strength=round(rng.uniform(low, high), 2),
                    directed=directed,
                    since=since,
                    confidence=rng.choice((0.3, 0.5, 0.6, 0.7, 0.8, 0.9)) if unsure else 1.0,
                    source=rng.choice(SOURCES) if rng.random() < 0.1 else None,
                )
            )
        return out


_TIER_TITLES = {5: "总裁", 4: "副总裁", 3: "销售总监", 2: "客户经理", 1: "客户代表"}
_TIER_CAPACITY = {5: (2, 3), 4: (3, 5), 3: (4, 8), 2: (6, 10), 1: (8, 15)}
_TIER_GRADE = {5: 7, 4: 6, 3: 5, 2: 4, 1: 3}


def _owners(rng: random.Random, count: int) -> list[Owner]:
    """Our people: one executive, then VPs, directors, managers and reps under them."""
    count = max(1, count)
    sizes = {5: 1}
    sizes[4] = max(1, round(count * 0.04)) if count > 1 else 0
    sizes[3] = max(1, round(count * 0.12)) if count > 2 else 0
    sizes[2] = max(1, round(count * 0.25)) if count > 3 else 0
    sizes[1] = max(0, count - sum(sizes.values()))
    out: list[Owner] = []
    above: list[str] = []
    number = 0
    for tier in (5, 4, 3, 2, 1):
        current = []
        for _ in range(sizes[tier]):
            if len(out) >= count:
                break
            number += 1
            owner_id = f"w{number:05d}"
            low, high = _TIER_CAPACITY[tier]
            out.append(
                Owner(
                    id=owner_id,
                    name=_person_name(rng),
                    title=_TIER_TITLES[tier],
                    tier=tier,
                    capacity=rng.randint(low, high),
                    manager=rng.choice(above) if above else None,
                )
            )
            current.append(owner_id)
        above = current or above
    return out


def _opportunities(rng: random.Random, province: _Province, count: int) -> list[Opportunity]:
    """Projects at bureaus, each with a 3–6-step chain over the posts that decide it."""
    govs = {g.id: g for g in province.governments}
    clients = [b for b in province.bureaus.values() if not b.id.endswith(("-cz", "-cg", "-fgw"))]
    clients = clients or list(province.bureaus.values())
    stances = (Stance.CHAMPION, Stance.SUPPORTER, Stance.NEUTRAL, Stance.SKEPTIC, Stance.OPPONENT)
    out = []
    for number in range(1, count + 1):
        client = rng.choice(clients)
        gov = govs[client.gov]
        finance = province.bureaus[gov.lines["cz"]]
        reform = province.bureaus[gov.lines["fgw"]]
        procurement = province.bureaus[gov.lines["cg"]]
        working = rng.choice(client.chiefs) if client.chiefs else rng.choice(client.deputies)
        template = [
            (
                "需求立项",
                [(client.head, RoleKind.DECISION_MAKER, 1.0), (working, RoleKind.USER, 0.5)],
            ),
            ("立项审批", [(reform.head, RoleKind.APPROVER, 0.8)]),
            ("技术评审", [(rng.choice(client.deputies), RoleKind.EVALUATOR, 0.6)]),
            (
                "预算审批",
                [
                    (finance.head, RoleKind.BUDGET_HOLDER, 0.9),
                    (rng.choice(finance.deputies), RoleKind.EVALUATOR, 0.4),
                ],
            ),
            ("分管领导审批", [(client.overseer, RoleKind.APPROVER, 0.9)]),
            ("招标采购", [(procurement.head, RoleKind.GATEKEEPER, 0.6)]),
        ]
        keep = sorted(rng.sample(range(1, len(template)), rng.randint(2, 5)))
        competitors = rng.sample(COMPETITORS, rng.randint(0, 3))
        chain = []
        for index in [0, *keep]:
            name, roles = template[index]
            items = []
            for post, role, weight in roles:
                item: dict[str, object] = {
                    "post": post,
                    "role": role,
                    "weight": weight,
                    "stance": rng.choices(stances, (10, 25, 40, 15, 10))[0],
                }
                if competitors and rng.random() < 0.15:
                    item["competitor_leaning"] = rng.choice(competitors)
                items.append(item)
            chain.append({"name": name, "roles": items})
        out.append(
            Opportunity(
                id=f"opp{number:05d}",
                name=rng.choice(PROJECTS),
                client=client.id,
                stage=rng.choice(list(Stage)),
                value=float(rng.randint(5, 500) * 100_000),
                close=_day(rng, dt.date(2026, 12, 1), dt.date(2028, 6, 30)),
                competitors=competitors,
                chain=chain,  # type: ignore[arg-type]
            )
        )
    return out


def _relationships(
    rng: random.Random,
    people: _Officials,
    team: list[Owner],
    opps: list[Opportunity],
    count: int,
) -> list[Relationship]:
    """Owners' relationships, at grades that suit their tier; half the chain holders first."""
    by_grade: dict[int, list[int]] = {}
    for person, grade in enumerate(people.grade):
        by_grade.setdefault(grade, []).append(person)
    post_ids = {p.id: i for i, p in enumerate(people.province.posts)}
    targets: list[int] = []
    for opp in opps:
        for step in opp.chain:
            for role in step.roles:
                holder = people.holder.get(post_ids[role.post or ""])
                if holder is not None and rng.random() < 0.5:
                    targets.append(holder)
    levels = list(RelationshipLevel)
    pairs: set[tuple[int, int]] = set()
    responsible: set[int] = set()
    out: list[Relationship] = []
    attempts = 0
    while len(out) < count and attempts < count * 10:
        attempts += 1
        owner = rng.randrange(len(team))
        if attempts <= len(targets):
            person = targets[attempts - 1]
        else:
            grade = _TIER_GRADE[team[owner].tier] + rng.randint(-2, 1)
            pool = by_grade.get(grade) or by_grade[rng.choice(list(by_grade))]
            person = rng.choice(pool)
        if (owner, person) in pairs:
            continue
        pairs.add((owner, person))
        base = rng.uniform(0.5, 4.5)
        scores = {
            name: min(5.0, max(0.0, round((base + rng.uniform(-1.2, 1.2)) * 2) / 2))
            for name in (
                "acceptance",
                "participation",
                "information",
                "guidance",
                "support",
                "preference",
            )
        }
        since = _day(rng, dt.date(2017, 1, 1), dt.date(2026, 6, 30))
        is_responsible = person not in responsible and rng.random() < 0.7
        if is_responsible:
            responsible.add(person)
        unsure = rng.random() < UNSURE_SHARE
        out.append(
            Relationship(
                owner=team[owner].id,
                person=people.person_id(person),
                **scores,
                level=rng.choice(levels) if rng.random() < 0.3 else None,
                target_level=rng.choice(levels[1:]) if rng.random() < 0.2 else None,
                responsible=is_responsible,
                since=since,
                last_contact=_day(rng, since, TODAY),
                confidence=rng.choice((0.4, 0.6, 0.8)) if unsure else 1.0,
                source=rng.choice(SOURCES) if rng.random() < 0.2 else None,
            )
        )
    return out


def _interactions(
    rng: random.Random, people: _Officials, rels: list[Relationship], count: int
) -> list[Interaction]:
    """Visits, meetings and calls between owners and persons they relate to."""
    if not rels:
        return []
    posts = people.province.posts
    person_org = {people.person_id(p): posts[people.post[p]].org for p in range(people.count)}
    kinds = [k for k in InteractionKind if k is not InteractionKind.AGREEMENT]
    out = []
    for number in range(1, count + 1):
        rel = rng.choice(rels)
        persons = [rel.person]
        if rng.random() < 0.3:
            other = rng.choice(rels).person
            if other != rel.person:
                persons.append(other)
        owners = [rel.owner]
        if rng.random() < 0.3:
            other = rng.choice(rels).owner
            if other != rel.owner:
                owners.append(other)
        out.append(
            Interaction(
                id=f"int{number:05d}",
                date=_day(rng, dt.date(2025, 1, 1), TODAY),
                kind=rng.choices(kinds, (40, 25, 10, 20, 2, 2, 1))[0],
                owners=owners,
                persons=persons,
                orgs=[person_org[rel.person]] if rng.random() < 0.5 else [],
            )
        )
    return out


def main(argv: list[str] | None = None) -> int:
    """Command line: write a synthetic workspace to OUT in the chosen format."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.synthetic",
        description="Write a seeded synthetic province as a stakegraph workspace.",
    )
    parser.add_argument("out", type=Path, help="folder (yaml, csv) or .xlsx file to write")
    parser.add_argument("--officials", type=int, required=True, help="number of officials")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default 0)")
    parser.add_argument("--owners", type=int, default=None, help="number of owners")
    parser.add_argument("--opportunities", type=int, default=None, help="number of opportunities")
    parser.add_argument("--format", choices=("yaml", "csv", "xlsx"), default=None)
    args = parser.parse_args(argv)

    from stakegraph.io import save_workspace

    fmt = args.format or ("xlsx" if args.out.suffix.lower() == ".xlsx" else "yaml")
    began = time.perf_counter()
    ws = generate_workspace(args.officials, args.seed, args.owners, args.opportunities)
    generated = time.perf_counter() - began
    try:
        save_workspace(ws, args.out, fmt)
    except NotImplementedError:
        print(f"the {fmt} writer is not available yet; use --format yaml", file=sys.stderr)
        return 2
    counts = ", ".join(f"{n} {c}" for c, n in ws.counts().items() if n)
    print(
        f"wrote {args.out} ({fmt}): {counts}; generated in {generated:.1f} s, "
        f"written in {time.perf_counter() - began - generated:.1f} s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
