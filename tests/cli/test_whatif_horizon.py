"""``stakegraph whatif --horizon``: rotation risk ahead and the coverage at risk."""

import json

from tests.builders import DAY, SMART_CITY, cli_runner, snapshot

run = cli_runner()


def test_horizon_json_gives_the_estimates_the_coverage_at_risk_and_the_successors():
    before = snapshot(SMART_CITY)
    result = run(
        "whatif", SMART_CITY, "-o", "smart-city", "--horizon", "6m", "--as-of", DAY, "--json"
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert (data["horizon"], data["until"], data["as_of"]) == ("6m", "2027-05-28", "2026-11-28")
    probabilities = [h["probability"] for h in data["holders"]]
    assert probabilities == sorted(probabilities, reverse=True)
    likely = {(h["person"], h["post"]) for h in data["holders"] if h["probability"] >= 0.5}
    assert {(h["person"], h["post"]) for h in data["leaving"]} == likely
    cov = data["scenario"]["coverage"]
    assert cov["after"] < cov["before"]
    assert f"{100 * cov['before']:.0f}%" in data["summary_en"]
    assert data["summary_zh"].startswith("若 2027-05-28 前可能离任的")
    assert {s["post"] for s in data["successors"]} == {post for _, post in likely}
    assert all(h["rule_label"] and h["reason_zh"] and h["reason_en"] for h in data["holders"])
    assert snapshot(SMART_CITY) == before


def test_horizon_on_the_terminal_speaks_the_workspaces_language():
    result = run("whatif", SMART_CITY, "-o", "smart-city", "--horizon", "12m", "--as-of", DAY)
    assert result.exit_code == 0, result.output
    assert "轮岗预警 rotation risk ahead" in result.output
    assert "接替人选 likely successors" in result.output
    english = run(
        "--lang", "en", "whatif", SMART_CITY, "-o", "smart-city", "--horizon", "90d", "--as-of", DAY
    )
    assert english.exit_code == 0, english.output
    assert "rotation risk ahead" in english.output and "轮岗预警" not in english.output


def test_a_bad_horizon_is_a_usage_error_that_names_the_option():
    result = run("whatif", SMART_CITY, "-o", "smart-city", "--horizon", "6 months")
    assert result.exit_code == 2
    assert "--horizon: horizon '6 months' cannot be read" in result.output
    assert "Traceback" not in result.output


def test_horizon_is_given_alone():
    result = run(
        "whatif", SMART_CITY, "-o", "smart-city", "--horizon", "6m", "--remove", "zhou-weiran"
    )
    assert result.exit_code == 1
    assert "--horizon: give it alone" in result.output
