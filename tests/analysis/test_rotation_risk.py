"""Rotation risk ahead: the hazard's numbers at each threshold, the horizon, coverage at risk."""

import dataclasses
import datetime as dt
import math

import numpy as np
import pytest

from stakegraph.analysis.rotation_risk import (
    YEAR_DAYS,
    HolderRisk,
    Horizon,
    RotationRisk,
    RotationRule,
    coverage_at_risk,
    leave_probability,
    likely_successors,
    rotation_risk,
)
from stakegraph.analysis.whatif import Change, apply_changes
from stakegraph.config import RotationSettings, Settings
from stakegraph.errors import HorizonError
from stakegraph.graph.network import build_network
from stakegraph.records.model import (
    Opportunity,
    Organisation,
    Owner,
    Person,
    Post,
    Reform,
    Relationship,
    Tenure,
)
from stakegraph.records.workspace import Workspace
from tests.builders import DAY

SIX_MONTHS = Horizon(6, "m")
#: 2026-11-28 to 2027-05-28.
H_DAYS = 181
TERM_DAYS = 5 * YEAR_DAYS
LIMIT_DAYS = 10 * YEAR_DAYS


def scores(value, **extra):
    keys = ("acceptance", "participation", "information", "guidance", "support", "preference")
    return {k: value for k in keys} | extra


def workspace(
    boss_start: dt.date | None = dt.date(2024, 1, 1),
    born: int | None = None,
    grade: int = 5,
    settings: Settings | None = None,
) -> Workspace:
    """A bureau whose head ``boss`` holds the one decision role; his deputy and clerk
    below him; the provincial bureau guides it (条) with posts of three grades."""
    w = Workspace(settings) if settings else Workspace()
    w.add(Organisation(id="prov", name="省局"))
    w.add(Organisation(id="city", name="市局", guided_by=["prov"]))
    w.add(Organisation(id="other", name="他局"))
    w.add(Post(id="boss", org="city", title="局长", grade=grade, leadership=True))
    w.add(Post(id="deputy", org="city", title="副局长", grade=grade - 1, reports_to="boss"))
    w.add(Post(id="clerk", org="city", title="科员", grade=1, reports_to="deputy"))
    w.add(Post(id="p-same", org="prov", title="处长", grade=grade))
    w.add(Post(id="p-below", org="prov", title="副处长", grade=grade - 1))
    w.add(Post(id="p-far", org="prov", title="科长", grade=grade - 2))
    w.add(Post(id="o-same", org="other", title="局长", grade=grade))
    w.add(
        Person(id="boss-p", name="王局", born=born, tenures=[Tenure(post="boss", start=boss_start)])
    )
    start = dt.date(2025, 1, 1)
    for pid, post in [
        ("dep-p", "deputy"),
        ("clerk-p", "clerk"),
        ("same-p", "p-same"),
        ("below-p", "p-below"),
        ("far-p", "p-far"),
        ("other-p", "o-same"),
    ]:
        w.add(Person(id=pid, name=pid, tenures=[Tenure(post=post, start=start)]))
    w.add(Owner(id="me", name="我", tier=3))
    w.add(Relationship(**scores(5, owner="me", person="boss-p", last_contact=DAY)))
    w.add(Relationship(**scores(4, owner="me", person="dep-p", last_contact=DAY)))
    w.add(
        Opportunity(
            id="opp",
            name="项目",
            client="city",
            chain=[
                {
                    "name": "决策",
                    "roles": [
                        {"post": "boss", "role": "decision_maker"},
                        {"post": "deputy", "role": "evaluator"},
                    ],
                }
            ],
        )
    )
    return w


def risk_of(w: Workspace, horizon: Horizon = SIX_MONTHS, person: str = "boss-p") -> HolderRisk:
    result = rotation_risk(build_network(w, DAY), "opp", horizon)
    return next(h for h in result.holders if h.person == person)


def chance(total: float) -> float:
    return 1.0 - math.exp(-total)


# --- the horizon ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("6m", dt.date(2027, 5, 28)),
        ("12m", dt.date(2027, 11, 28)),
        ("90d", dt.date(2027, 2, 26)),
        ("2w", dt.date(2026, 12, 12)),
        ("1y", dt.date(2027, 11, 28)),
        (" 6M ", dt.date(2027, 5, 28)),
    ],
)
def test_a_horizon_reads_days_weeks_months_and_years(text, end):
    assert Horizon.parse(text).end(DAY) == end
    assert (Horizon.parse("6m").end(DAY) - DAY).days == H_DAYS


def test_calendar_months_end_on_the_last_day_of_a_short_month():
    assert Horizon(1, "m").end(dt.date(2027, 1, 31)) == dt.date(2027, 2, 28)
    assert Horizon(1, "m").end(dt.date(2028, 1, 31)) == dt.date(2028, 2, 29)
    assert Horizon(1, "y").end(dt.date(2028, 2, 29)) == dt.date(2029, 2, 28)


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("", "cannot be read"),
        ("6", "cannot be read"),
        ("m6", "cannot be read"),
        ("6x", "cannot be read"),
        ("1.5m", "cannot be read"),
        ("-1m", "cannot be read"),
        ("0m", "from 1 to 120 months"),
        ("121m", "from 1 to 120 months"),
        ("3654d", "from 1 to 3653 days"),
    ],
)
def test_a_bad_horizon_says_how_to_write_one(text, says):
    with pytest.raises(HorizonError, match=says) as caught:
        Horizon.parse(text)
    assert f"horizon '{text}'" in str(caught.value)  # says which value it could not read


def test_the_longest_horizons_are_accepted():
    assert Horizon.parse("120m").amount == 120
    assert Horizon.parse("3653d").amount == 3653


# --- the hazard ---------------------------------------------------------------------------


def test_leave_probability_matches_the_integral_by_hand():
    got = leave_probability(
        np.array([4.0, 4.75, 6.0, np.nan]), 0.5, 5.0, 10.0, 0.1, 1.5, np.array([0, 0, 0, 0.25]), 0.3
    )
    expected = [
        chance(0.1 * 0.5),
        chance(0.1 * 0.25 + 1.5 * 0.25),
        chance(1.5 * 0.5),
        chance(0.1 * 0.5 + 0.3 * 0.25),
    ]
    assert got == pytest.approx(expected, abs=1e-12)


def test_term_just_below_the_expected_term_at_the_horizons_end_is_within_term():
    # served + horizon = 1645 + 181 = 1826 days < 5 × 365.25
    risk = risk_of(workspace(DAY - dt.timedelta(days=1645)))
    assert risk.rule is RotationRule.WITHIN_TERM
    assert risk.probability == pytest.approx(chance(0.1 * H_DAYS / YEAR_DAYS), abs=1e-12)


def test_term_just_above_the_expected_term_at_the_horizons_end_is_due():
    # served + horizon = 1646 + 181 = 1827 days > 5 × 365.25: 0.75 day at the higher rate
    risk = risk_of(workspace(DAY - dt.timedelta(days=1646)))
    assert risk.rule is RotationRule.TERM_DUE
    before = (TERM_DAYS - 1646) / YEAR_DAYS
    expected = chance(0.1 * before + 1.5 * (H_DAYS / YEAR_DAYS - before))
    assert risk.probability == pytest.approx(expected, abs=1e-12)


def test_a_term_served_already_runs_at_the_higher_rate_for_the_whole_horizon():
    risk = risk_of(workspace(DAY - dt.timedelta(days=1827)))
    assert risk.rule is RotationRule.TERM_DUE
    assert risk.probability == pytest.approx(chance(1.5 * H_DAYS / YEAR_DAYS), abs=1e-12)
    assert risk.probability >= 0.5  # likely, with the default threshold


def test_the_ten_year_limit_makes_leaving_sure_only_once_reached_within_the_horizon():
    below = risk_of(workspace(DAY - dt.timedelta(days=3471)))  # 3471 + 181 < 3652.5
    above = risk_of(workspace(DAY - dt.timedelta(days=3472)))  # 3472 + 181 > 3652.5
    assert (below.rule, above.rule) == (RotationRule.TERM_DUE, RotationRule.TERM_LIMIT)
    assert below.probability < 1.0
    assert above.probability == 1.0


def test_an_unknown_start_gets_the_base_rate_only():
    risk = risk_of(workspace(None))
    assert (risk.rule, risk.years, risk.start) == (RotationRule.START_UNKNOWN, None, None)
    assert risk.probability == pytest.approx(chance(0.1 * H_DAYS / YEAR_DAYS), abs=1e-12)


def test_the_expected_term_can_be_set_per_grade():
    settings = Settings(rotation=RotationSettings(terms={"正处": 3.0}))
    three_years = DAY - dt.timedelta(days=int(3 * YEAR_DAYS) + 1)
    assert risk_of(workspace(three_years, settings=settings)).rule is RotationRule.TERM_DUE
    assert risk_of(workspace(three_years)).rule is RotationRule.WITHIN_TERM


# --- age ------------------------------------------------------------------------------------


def test_at_retirement_age_leaving_is_sure():
    risk = risk_of(workspace(born=1966))  # 60 in 2026
    assert (risk.rule, risk.probability, risk.age) == (RotationRule.RETIREMENT, 1.0, 60)
    assert risk.retirement == dt.date(2026, 1, 1)


def test_just_below_retirement_age_the_horizons_edge_decides():
    w = workspace(born=1967)  # reaches 60 on 2027-01-01 at the earliest
    assert risk_of(w, Horizon(34, "d")).rule is RotationRule.RETIREMENT  # ends 2027-01-01
    edge = risk_of(w, Horizon(33, "d"))  # ends 2026-12-31
    assert edge.rule is RotationRule.WITHIN_TERM and edge.probability < 0.01
    assert risk_of(workspace(born=1968), Horizon(12, "m")).rule is RotationRule.WITHIN_TERM


def test_retirement_age_follows_the_grade():
    # 副部 (grade 8) retires at 63 by default: at 60 they stay
    assert risk_of(workspace(born=1966, grade=8)).rule is RotationRule.WITHIN_TERM
    assert risk_of(workspace(born=1963, grade=8)).rule is RotationRule.RETIREMENT
    settings = Settings(rotation=RotationSettings(retirement_age=58))
    assert risk_of(workspace(born=1968, settings=settings)).rule is RotationRule.RETIREMENT


# --- reforms ----------------------------------------------------------------------------------


def reformed(days_ago: int) -> Workspace:
    w = workspace()
    w.add(
        Reform(
            id="r",
            kind="transfer",
            of="organisations",
            day=DAY - dt.timedelta(days=days_ago),
            predecessors=["other"],
            successors=["city"],
            functions="数据管理职责",
        )
    )
    return w


def test_a_recent_reform_adds_its_rate_for_what_is_left_of_its_year():
    risk = risk_of(reformed(364))  # one day of the window left
    assert (risk.rule, risk.reform) == (RotationRule.REFORM, "r")
    expected = chance(0.1 * H_DAYS / YEAR_DAYS + 0.3 * 1 / YEAR_DAYS)
    assert risk.probability == pytest.approx(expected, abs=1e-12)
    recent = risk_of(reformed(10))
    assert recent.probability == pytest.approx(chance(0.4 * H_DAYS / YEAR_DAYS), abs=1e-12)


def test_a_reform_a_year_ago_no_longer_counts():
    risk = risk_of(reformed(365))
    assert (risk.rule, risk.reform) == (RotationRule.WITHIN_TERM, None)


def test_a_career_across_a_rename_counts_from_its_first_day():
    w = workspace(dt.date(2018, 1, 1))
    w.posts["boss"].end = dt.date(2022, 1, 1)
    w.add(Post(id="boss2", org="city", title="局长", grade=5, start=dt.date(2022, 1, 1)))
    w.persons["boss-p"].tenures = [
        Tenure(post="boss", start=dt.date(2018, 1, 1), end=dt.date(2022, 1, 1)),
        Tenure(post="boss2", start=dt.date(2022, 1, 1)),
    ]
    w.add(
        Reform(
            id="rn",
            kind="rename",
            of="posts",
            day=dt.date(2022, 1, 1),
            predecessors=["boss"],
            successors=["boss2"],
        )
    )
    risk = risk_of(w, Horizon(1, "m"))
    assert (risk.post, risk.start) == ("boss2", dt.date(2018, 1, 1))
    assert risk.rule is RotationRule.TERM_DUE


# --- likely holders, coverage at risk and successors -------------------------------------------


def test_likely_means_at_least_the_threshold():
    base = HolderRisk(
        "o",
        "s",
        "s",
        "r",
        "p",
        "x",
        False,
        None,
        None,
        5.0,
        None,
        None,
        None,
        0.5,
        RotationRule.TERM_DUE,
    )
    below = dataclasses.replace(base, person="y", probability=0.4999)
    risk = RotationRisk(DAY, SIX_MONTHS, DAY, 0.5, [base, below])
    assert [h.person for h in risk.likely_holders()] == ["x"]


def test_successors_are_the_deputies_then_the_guiding_bodys_posts_at_or_one_below_the_grade():
    network = build_network(workspace(), DAY)
    found = likely_successors(network, "boss")
    assert [(s.person, s.line) for s in found] == [
        ("dep-p", "deputy"),
        ("same-p", "guided_by"),
        ("below-p", "guided_by"),
    ]
    assert found[0].cover == pytest.approx(0.8)


def test_coverage_falls_by_the_share_of_the_holder_likely_to_leave():
    w = workspace(DAY - dt.timedelta(days=3500))  # reaches the ten-year limit
    outlook = coverage_at_risk(w, "opp", DAY, SIX_MONTHS)
    assert [(h.person, h.rule) for h in outlook.leaving] == [("boss-p", RotationRule.TERM_LIMIT)]
    before = outlook.scenario.before.holders
    weight = {h.person: h.weight * h.influence_share for h in before}
    cover = {h.person: h.cover for h in before}
    assert outlook.after == pytest.approx(weight["dep-p"] * cover["dep-p"] / sum(weight.values()))
    assert outlook.after < outlook.before
    vacant = [h for h in outlook.scenario.after.holders if h.post == "boss"]
    assert [h.person for h in vacant] == [None]
    assert [s.person for s in outlook.successors["boss"]][:1] == ["dep-p"]


def test_nobody_likely_leaves_coverage_unchanged():
    outlook = coverage_at_risk(workspace(), "opp", DAY, SIX_MONTHS)
    assert outlook.leaving == [] and outlook.successors == {}
    assert outlook.after == outlook.before


def test_leaving_a_post_keeps_the_person_and_their_ties():
    w = workspace()
    changed = apply_changes(w, [Change("leave_post", "boss-p", "boss")], DAY)
    assert "boss-p" in changed.persons
    assert changed.holders("boss", DAY) == []
    assert changed.persons["boss-p"].tenures[0].end == DAY
    assert w.holders("boss", DAY) == ["boss-p"]  # the workspace itself is untouched


# --- settings ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "line", "key", "says"),
    [
        ("[rotation]\nterm_years = 11\n", 2, "rotation.term_years", "above term_limit_years"),
        ('[rotation]\nterms = { "正处" = 12 }\n', 2, "rotation.terms", "'正处' is not within"),
        ('[rotation]\nterms = { "处级" = 4 }\n', 2, "rotation.terms", "'处级' is not a grade"),
        (
            '[rotation]\nretirement_ages = { "正部" = 120 }\n',
            2,
            "rotation.retirement_ages",
            "not between 18 and 100",
        ),
        ("[rotation]\n\nlikely = 1.5\n", 3, "rotation.likely", "less than or equal to 1"),
    ],
)
def test_bad_rotation_settings_are_located(tmp_path, text, line, key, says):
    from stakegraph.config import load_settings
    from stakegraph.errors import ConfigError

    (tmp_path / "stakegraph.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path)
    message = str(err.value)
    assert f"stakegraph.toml:{line}: setting '{key}'" in message
    assert says in message


def test_the_default_retirement_ages_need_no_default_grade_scale(tmp_path):
    from stakegraph.config import load_settings

    (tmp_path / "stakegraph.toml").write_text("[grades]\nA = 1\nB = 2\n", encoding="utf-8")
    assert load_settings(tmp_path).rotation.retirement_age == 60


def test_a_holder_of_the_post_is_never_their_own_successor():
    w = workspace()
    # the head also holds the deputy post concurrently (兼任)
    w.persons["boss-p"].tenures.append(Tenure(post="deputy", start=DAY, concurrent=True))
    w.add(w.persons["boss-p"])
    found = likely_successors(build_network(w, DAY), "boss")
    assert "boss-p" not in [s.person for s in found]
    assert [s.person for s in found][:1] == ["dep-p"]


def test_a_chain_without_posts_has_nobody_to_assess():
    w = workspace()
    w.opportunities["opp"].chain = []
    assert rotation_risk(build_network(w, DAY), "opp").holders == []
    outlook = coverage_at_risk(w, "opp", DAY)
    assert (outlook.leaving, outlook.before, outlook.after) == ([], 0.0, 0.0)
