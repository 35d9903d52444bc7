"""A broken pack is refused with its file, line and key, and the command exits 2."""

from __future__ import annotations

import pytest

from conftest import DATA
from septfois.errors import PackError
from septfois.findings.packs import builtin_pack_paths, load_pack

PACKS = DATA / "packs"


@pytest.mark.parametrize(
    ("fixture", "line", "key", "problem"),
    [
        ("terms_not_a_list.toml", 25, "rule[2].terms", "expected a list of strings"),
        ("unknown_key.toml", 11, "rule[1].colour", "unknown key"),
        ("bad_regex.toml", 10, "rule[1].pattern", "invalid regular expression"),
        ("unknown_placeholder.toml", 13, "rule[1].message.en", "unknown placeholder {platform}"),
        ("missing_must_pass.toml", 7, "rule[1].must_pass", "expected a non-empty list"),
        ("duplicate_rule_id.toml", 23, "rule[2].id", "duplicate rule id"),
        ("rule_id_outside_pack.toml", 8, "rule[1].id", "demo.kebab-case-name"),
        ("unknown_level.toml", 12, "rule[1].level", "expected one of: info, warning, error"),
        ("unknown_type.toml", 9, "rule[1].type", "expected one of: classifier, context"),
        # Packs that could hurt the host: output, placeholders, patterns that backtrack without bound.
        ("placeholder_with_format_spec.toml", 13, "rule[1].message.en", "{match:>300000000} is not a plain"),
        ("placeholder_with_nested_attribute_spec.toml", 13, "rule[1].message.en", "is not a plain name"),
        ("placeholder_with_conversion.toml", 13, "rule[1].message.en", "{match!z} is not a plain name"),
        ("placeholder_with_attribute.toml", 13, "rule[1].message.en", "{match.__class__} is not a plain"),
        ("placeholder_not_closed.toml", 13, "rule[1].message.en", "broken placeholder"),
        ("replacement_names_a_missing_group.toml", 11, "rule[1].replacement", "invalid replacement"),
        ("pattern_nested_500_deep.toml", 10, "rule[1].pattern", "nested too deep"),
        ("catastrophic_pattern.toml", 10, "rule[1].pattern", "repeats an unbounded repeat"),
    ],
)
def test_a_broken_pack_is_refused_naming_file_line_and_key(
    fixture: str, line: int, key: str, problem: str
) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(PACKS / fixture)
    error = caught.value
    assert (error.line, error.key) == (line, key)
    assert problem in error.problem
    assert str(error).startswith(f"{PACKS / fixture}:{line}: {key}: ")


def test_invalid_toml_is_refused_with_its_line() -> None:
    with pytest.raises(PackError) as caught:
        load_pack(PACKS / "invalid_toml.toml")
    assert caught.value.line == 11
    assert "invalid TOML" in caught.value.problem


def test_a_valid_pack_loads_with_rule_and_example_lines() -> None:
    pack = load_pack(PACKS / "valid.toml")
    (rule,) = pack.rules
    assert (pack.id, rule.id, rule.line) == ("demo", "demo.ok", 7)
    assert rule.must_flag[0].line == 19


def test_every_builtin_pack_loads(checker) -> None:
    names = {path.stem for path in builtin_pack_paths()}
    assert {"humour", "sensitive", "anonymity", "length"} <= names
    assert {pack.id for pack in checker.packs} >= names


def test_the_command_line_reports_a_broken_pack_with_exit_code_2(run_cli) -> None:
    result = run_cli(["check", "-", "--pack", str(PACKS / "unknown_key.toml")], "bonjour")
    assert result.code == 2
    assert f"{PACKS / 'unknown_key.toml'}:11: rule[1].colour: unknown key" in result.err
    assert result.out == ""
