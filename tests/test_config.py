"""Configuration: discovered by walking up, then the user's; validated key by key."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import DATA
from septfois.config import discover, load_config, user_config_path
from septfois.errors import ConfigError

RISKY = "Les prix vont exploser en 2027, je vous le garantis mdr"


def test_septfois_toml_is_found_by_walking_up(tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text('ui_language = "fr"\n', encoding="utf-8")
    deep = tmp_path / "a" / "b"
    deep.mkdir(parents=True)
    assert discover(deep) == (tmp_path / "septfois.toml", None)
    assert load_config(start=deep).ui_language == "fr"


def test_a_tool_table_in_pyproject_is_used(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        '[project]\nname = "x"\n\n[tool.septfois]\nfail_on = "warning"\n', encoding="utf-8"
    )
    assert load_config(start=tmp_path).fail_on == "warning"


def test_a_pyproject_without_our_table_is_passed_over(tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text('account = "brand"\n', encoding="utf-8")
    inner = tmp_path / "inner"
    inner.mkdir()
    (inner / "pyproject.toml").write_text('[project]\nname = "x"\n', encoding="utf-8")
    assert load_config(start=inner).account == "brand"


def test_the_user_config_is_the_last_resort(tmp_path: Path) -> None:
    path = user_config_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('platforms = ["x"]\n', encoding="utf-8")
    assert load_config(start=tmp_path).platforms == ("x",)


def test_no_configuration_gives_the_defaults(tmp_path: Path) -> None:
    config = load_config(start=tmp_path)
    assert (config.languages, config.default_language, config.fail_on, config.source) == (
        ("fr", "en"),
        "fr",
        "error",
        None,
    )


def test_an_unknown_key_is_an_error_naming_file_line_and_key() -> None:
    path = DATA / "config" / "unknown_key.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:2: colour: unknown key")


def test_a_bad_value_in_pyproject_names_the_tool_key(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.septfois]\nlanguages = ["de"]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(start=tmp_path)
    assert ":2: tool.septfois.languages[1]: expected one of: fr, en" in str(caught.value)


def test_a_bad_configuration_exits_2_on_the_command_line(run_cli) -> None:
    result = run_cli(["check", "-", "--config", str(DATA / "config" / "bad_fail_level.toml")], "texte")
    assert result.code == 2
    assert "bad_fail_level.toml:1: fail_on: expected one of: info, warning, error, never" in result.err


def test_rules_can_be_turned_off_or_given_another_level(run_cli, tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text(
        '[rules]\n"humour.laughter-marker" = "error"\n"sensitive.price-guarantee" = "off"\n', encoding="utf-8"
    )
    findings = json.loads(run_cli(["check", "--format", "json"], RISKY).out)["results"][0]["findings"]
    levels = {f["rule"]: f["level"] for f in findings}
    assert levels["humour.laughter-marker"] == "error"
    assert "sensitive.price-guarantee" not in levels


def test_packs_can_be_turned_off(run_cli, tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text("[packs]\nhumour = false\n", encoding="utf-8")
    findings = json.loads(run_cli(["check", "--format", "json"], RISKY).out)["results"][0]["findings"]
    assert findings and all(not f["rule"].startswith("humour.") for f in findings)


def test_project_pack_folders_are_loaded(run_cli, tmp_path: Path) -> None:
    packs = tmp_path / "packs"
    packs.mkdir()
    (packs / "demo.toml").write_text(
        (DATA / "packs" / "valid.toml").read_text(encoding="utf-8"), encoding="utf-8"
    )
    (tmp_path / "septfois.toml").write_text('pack_paths = ["packs"]\n', encoding="utf-8")
    findings = json.loads(run_cli(["check", "--format", "json"], "Un zorglub.").out)["results"][0]["findings"]
    assert "demo.ok" in {f["rule"] for f in findings}


def test_a_configured_platform_adds_length_counts(run_cli, tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text('platforms = ["bluesky"]\n', encoding="utf-8")
    report = json.loads(run_cli(["check", "--format", "json"], "Bonjour").out)["results"][0]
    assert report["platforms"] == {"bluesky": {"length": 7, "limit": 300}}


def test_an_unknown_platform_setting_is_an_error(tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text("[platform_settings]\nmastodon_limt = 1000\n", encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(start=tmp_path)
    assert ":2: platform_settings.mastodon_limt: unknown setting" in str(caught.value)


def test_a_mastodon_instance_limit_changes_the_count_limit(run_cli, tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text("[platform_settings]\nmastodon_limit = 1000\n", encoding="utf-8")
    report = json.loads(run_cli(["check", "--format", "json", "--platform", "mastodon"], "Bonjour").out)[
        "results"
    ][0]
    assert report["platforms"]["mastodon"] == {"length": 7, "limit": 1000}


def test_a_broken_pyproject_holding_our_table_is_an_error_not_skipped(tmp_path: Path) -> None:
    broken = DATA / "config" / "pyproject_broken_holding_our_table.toml"
    (tmp_path / "pyproject.toml").write_text(broken.read_text(encoding="utf-8"), encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(start=tmp_path)
    assert str(caught.value).startswith(f"{tmp_path / 'pyproject.toml'}:5: invalid TOML")


def test_invalid_toml_in_a_configuration_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "septfois.toml"
    path.write_text('fail_on = "error"\nlanguages = [,]\n', encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:2: invalid TOML")


def test_a_send_countdown_past_any_sane_wait_is_refused() -> None:
    path = DATA / "config" / "send_countdown_past_any_sane_wait.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:1: send_countdown: expected a whole number from 0 to 600")


def test_a_quiet_period_date_that_is_not_a_date_names_file_line_and_key() -> None:
    path = DATA / "config" / "quiet_period_with_a_bad_date.toml"
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert str(caught.value).startswith(f"{path}:3: quiet_period[1].end: expected a date")


def test_an_unknown_rule_in_the_rules_table_names_file_line_and_key(run_cli) -> None:
    path = DATA / "config" / "rules_naming_an_unknown_rule.toml"
    result = run_cli(["check", "-", "--config", str(path)], "Bonjour")
    assert result.code == 2
    assert f"{path}:4: rules.offence.no-such-rule: unknown rule 'offence.no-such-rule'" in result.err
