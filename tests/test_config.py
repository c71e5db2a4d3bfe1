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
