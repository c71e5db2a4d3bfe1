"""stakegraph.toml: defaults, overrides, and located errors."""

import pytest

from stakegraph.config import DEFAULT_SETTINGS, load_settings
from stakegraph.errors import ConfigError


def test_defaults_without_a_file(tmp_path):
    settings = load_settings(tmp_path)
    assert settings == DEFAULT_SETTINGS
    assert settings.coverage.max_hops == 2
    assert settings.strength.half_life_days == 180
    assert settings.grades["正处"] == 5


def test_overrides(tmp_path):
    (tmp_path / "stakegraph.toml").write_text(
        "[coverage]\nmax_hops = 3\nstale_days = 60\n\n[strength]\nsupport = 2.0\n",
        encoding="utf-8",
    )
    settings = load_settings(tmp_path)
    assert settings.coverage.max_hops == 3
    assert settings.coverage.stale_days == 60
    assert settings.strength.support == 2.0
    assert settings.coverage.weak_threshold == 0.4


@pytest.mark.parametrize(
    ("text", "line", "key"),
    [
        ("[coverage]\nweak_threshold = 1.5\n", 2, "coverage.weak_threshold"),
        ("[coverage]\nmax_hopz = 3\n", 2, "coverage.max_hopz"),
        ("# comment\n[influence]\n\ndamping = 1.2\n", 4, "influence.damping"),
        ("[tier_grade]\nintern = 2\n", None, "tier_grade"),
    ],
)
def test_bad_values_are_located(tmp_path, text, line, key):
    (tmp_path / "stakegraph.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        load_settings(tmp_path)
    message = str(err.value)
    assert f"setting '{key}'" in message
    if line:
        assert f"stakegraph.toml:{line}:" in message


def test_unparseable_toml(tmp_path):
    (tmp_path / "stakegraph.toml").write_text("[coverage\nx = 1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot be parsed as TOML"):
        load_settings(tmp_path)


def _settings_error(tmp_path, text: str) -> str | None:
    (tmp_path / "stakegraph.toml").write_text(text, encoding="utf-8")
    try:
        load_settings(tmp_path)
    except ConfigError as exc:
        return str(exc)
    return None


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        # equal thresholds: no cover lies between weak and strong, which is consistent
        ("[coverage]\nweak_threshold = 0.6\nstrong_threshold = 0.6\n", None),
        (
            "[coverage]\nweak_threshold = 0.61\nstrong_threshold = 0.6\n",
            "2: setting 'coverage.weak",
        ),
        # a key left at its default is shown at its section
        ("[coverage]\nstrong_threshold = 0.3\n", "1: setting 'coverage.weak_threshold'"),
        ("[plan]\nsenior_grade = 5\nmiddle_grade = 5\n", None),
        ("[plan]\nsenior_grade = 5\nmiddle_grade = 6\n", "3: setting 'plan.middle_grade'"),
        ("[plan]\nsenior_grade = 0\nmiddle_grade = 0\n", None),
        ("[plan]\nsenior_grade = -1\n", "2: setting 'plan.senior_grade'"),
        ("[tier_grade]\nrep = 0\nmanager = 4\n", None),
        ("[tier_grade]\nrep = -1\nmanager = 4\n", "2: setting 'tier_grade.rep'"),
        ("[grades]\nA = 1\nB = -1\n", "3: setting 'grades.B'"),
        ("[tiers]\nrep = -1\n", "2: setting 'tiers.rep'"),
        # a senior tier may share its junior's grade, not fall below it
        ("[tier_grade]\nrep = 4\nmanager = 4\n", None),
        ("[tier_grade]\nrep = 4\nmanager = 3\n", "3: setting 'tier_grade.manager'"),
        # names of one tier number may pair with different grades
        ('[tier_grade]\nmanager = 4\n"经理" = 5\ndirector = 5\n', None),
        (
            '[tier_grade]\nmanager = 4\n"经理" = 6\ndirector = 5\n',
            "4: setting 'tier_grade.director'",
        ),
    ],
)
def test_contradictory_settings_are_located(tmp_path, text: str, problem: str | None) -> None:
    message = _settings_error(tmp_path, text)
    if problem is None:
        assert message is None, message
    else:
        assert message is not None and f"stakegraph.toml:{problem}" in message, message
