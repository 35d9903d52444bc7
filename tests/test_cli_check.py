"""`septfois check`: inputs, formats, exit codes and bad input, through the real command line."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from conftest import DATA

RISKY = "Les prix vont exploser en 2027, je vous le garantis mdr"
INPUTS = DATA / "inputs"


def test_the_issue_example_reports_humour_and_market_findings_with_offsets(run_cli) -> None:
    result = run_cli(["check", "-", "--format", "json"], RISKY)
    assert result.code == 1
    data = json.loads(result.out)
    (report,) = data["results"]
    by_category = {f["category"]: f for f in report["findings"]}
    assert {"humour", "sensitive:market"} <= set(by_category)
    humour = by_category["humour"]
    assert RISKY[humour["start"] : humour["end"]] == humour["match"] == "mdr"
    assert (humour["line"], humour["column"]) == (1, RISKY.index("mdr") + 1)
    market = by_category["sensitive:market"]
    assert "je vous le garantis" in RISKY[market["start"] : market["end"]] == market["match"]


def test_json_output_follows_the_documented_schema(run_cli) -> None:
    data = json.loads(run_cli(["check", "--format", "json", "--platform", "x"], RISKY).out)
    assert data["version"] == 1
    (report,) = data["results"]
    assert set(report) == {"source", "lang", "analysis", "verdict", "findings", "platforms"}
    assert (report["source"], report["lang"], report["verdict"]) == ("-", "fr", "error")
    assert report["analysis"] == "spacy fr_core_news_sm"
    assert report["platforms"]["x"]["limit"] == 280
    for finding in report["findings"]:
        assert {
            "rule",
            "category",
            "level",
            "message",
            "why",
            "suggestion",
            "start",
            "end",
            "line",
            "column",
            "match",
        } <= set(finding)


def test_a_clean_post_exits_0_and_says_so(run_cli) -> None:
    result = run_cli(["check", "-"], "Merci à toute l'équipe pour ce beau lancement à Lyon.")
    assert result.code == 0
    assert "no findings" in result.out


def test_fail_on_sets_the_level_that_fails(run_cli) -> None:
    demo = ["--pack", str(DATA / "packs" / "valid.toml")]  # demo.ok: a warning on "zorglub"
    text = "Un zorglub est apparu."
    assert run_cli(["check", "-", *demo], text).code == 0  # a warning, below the default fail level
    assert run_cli(["check", "-", *demo, "--fail-on", "warning"], text).code == 1
    assert run_cli(["check", "-", *demo, "--fail-on", "info"], text).code == 1
    assert run_cli(["check", "-", "--fail-on", "never"], RISKY).code == 0


def test_stdin_is_read_when_no_path_is_given_and_input_is_piped(run_cli) -> None:
    assert run_cli(["check"], RISKY).code == 1


def test_nothing_to_check_from_a_terminal_is_a_usage_error(run_cli) -> None:
    result = run_cli(["check"], tty=True)
    assert result.code == 2
    assert "nothing to check" in result.err


def test_empty_input_has_no_findings(run_cli) -> None:
    result = run_cli(["check", str(INPUTS / "empty.txt"), "--format", "json"])
    assert result.code == 0
    assert json.loads(result.out)["results"][0]["findings"] == []


def test_invalid_utf8_is_an_input_error_naming_the_file(run_cli) -> None:
    result = run_cli(["check", str(INPUTS / "not_utf8.txt")])
    assert result.code == 2
    assert f"{INPUTS / 'not_utf8.txt'}: not valid UTF-8" in result.err


def test_binary_input_is_refused(run_cli) -> None:
    result = run_cli(["check", str(INPUTS / "binary.bin")])
    assert result.code == 2
    assert "binary" in result.err


def test_input_over_the_size_limit_is_refused(run_cli, tmp_path: Path) -> None:
    from septfois.sources.inputs import MAX_POST_BYTES

    big = tmp_path / "huge.txt"
    big.write_bytes(b"a " * (MAX_POST_BYTES // 2 + 1))
    result = run_cli(["check", str(big)])
    assert result.code == 2
    assert "over the limit" in result.err


def test_an_unreadable_path_is_reported_while_other_files_are_still_checked(run_cli, tmp_path: Path) -> None:
    good = tmp_path / "good.txt"
    good.write_text(RISKY, encoding="utf-8")
    result = run_cli(["check", str(tmp_path / "missing.txt"), str(good), "--format", "json"])
    assert result.code == 2
    assert "missing.txt: no such file" in result.err
    assert json.loads(result.out)["results"][0]["source"] == str(good)


def test_usage_errors_exit_2(run_cli) -> None:
    result = run_cli(["check", "--format", "yaml"])
    assert result.code == 2
    assert "invalid choice" in result.err


def test_an_unknown_rule_to_disable_is_an_error(run_cli) -> None:
    result = run_cli(["check", "-", "--disable", "humour.nope"], "texte")
    assert result.code == 2
    assert "unknown rule 'humour.nope'" in result.err


def test_disable_turns_a_rule_off(run_cli) -> None:
    result = run_cli(["check", "-", "--format", "json", "--disable", "humour.laughter-marker"], RISKY)
    rules = {f["rule"] for f in json.loads(result.out)["results"][0]["findings"]}
    assert "humour.laughter-marker" not in rules


def test_messages_follow_the_ui_language(run_cli) -> None:
    demo = ["--pack", str(DATA / "packs" / "valid.toml"), "--format", "json"]
    french = json.loads(run_cli(["check", *demo, "--ui-lang", "fr"], "Un zorglub.").out)
    english = json.loads(run_cli(["check", *demo, "--ui-lang", "en"], "Un zorglub.").out)
    assert (
        next(f for f in french["results"][0]["findings"] if f["rule"] == "demo.ok")["message"]
        == "Un zorglub : « zorglub »"
    )
    assert (
        next(f for f in english["results"][0]["findings"] if f["rule"] == "demo.ok")["message"]
        == 'A zorglub: "zorglub"'
    )


def test_text_output_names_place_level_category_rule_why_and_instead(run_cli) -> None:
    out = run_cli(["check", "-", "--pack", str(DATA / "packs" / "valid.toml")], "Un zorglub.").out
    assert '-:1:4: warning humour [demo.ok] A zorglub: "zorglub"\n    why: w\n    instead: s\n' in out


def test_sarif_output_is_sarif_2_1_0_with_regions(run_cli) -> None:
    data = json.loads(run_cli(["check", "--format", "sarif"], RISKY).out)
    assert data["version"] == "2.1.0"
    run = data["runs"][0]
    assert run["tool"]["driver"]["name"] == "septfois"
    levels = {r["level"] for r in run["results"]}
    assert levels <= {"note", "warning", "error"} and "error" in levels
    region = run["results"][0]["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == 1 and region["startColumn"] >= 1


def test_github_output_is_workflow_commands(run_cli) -> None:
    lines = run_cli(["check", "--format", "github"], RISKY).out.splitlines()
    assert lines and all(line.startswith(("::error ", "::warning ", "::notice ")) for line in lines)
    assert any("file=-,line=1,col=53" in line for line in lines)


def test_a_jsonl_batch_gives_one_object_per_line_with_its_id(run_cli) -> None:
    result = run_cli(["check", "--jsonl", str(INPUTS / "batch_with_a_malformed_line.jsonl")])
    assert result.code == 2  # one line is not JSON: reported, the others are still checked
    assert "batch_with_a_malformed_line.jsonl:3: invalid JSON" in result.err
    lines = [json.loads(line) for line in result.out.splitlines()]
    assert [line["id"] for line in lines] == ["a", "b", 7]
    assert lines[1]["verdict"] == "error"
    assert lines[2]["lang"] == "en" and lines[2]["platforms"]["x"]["limit"] == 280
    assert {"id", "source", "lang", "analysis", "verdict", "findings"} <= set(lines[0])


def test_a_jsonl_batch_from_stdin(run_cli) -> None:
    batch = json.dumps({"id": "p1", "text": RISKY}) + "\n"
    result = run_cli(["check", "--jsonl", "-"], batch)
    assert result.code == 1
    assert json.loads(result.out)["id"] == "p1"


def test_the_installed_entry_point_reads_a_pipe_and_writes_json() -> None:
    septfois = Path(sys.executable).with_name("septfois")
    done = subprocess.run(
        [str(septfois), "check", "-", "--format", "json"],
        input=RISKY.encode(),
        capture_output=True,
        timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == b""
    categories = {f["category"] for f in json.loads(done.stdout)["results"][0]["findings"]}
    assert {"humour", "sensitive:market"} <= categories


def test_python_dash_m_runs_the_same_command_line() -> None:
    done = subprocess.run([sys.executable, "-m", "septfois", "--version"], capture_output=True, timeout=60)
    assert done.returncode == 0
    assert done.stdout.startswith(b"septfois ")


def _wait_until_idle(pid: int, timeout: float = 60.0) -> None:
    """Until `pid` sleeps without using CPU for half a second: past its imports, blocked on its input.
    A fixed pause was not enough on a loaded machine, where the start-up alone can take seconds."""
    stat = Path(f"/proc/{pid}/stat")
    if not stat.exists():  # no /proc: a pause long enough for an idle machine
        time.sleep(2.0)
        return
    last, still_since = None, time.monotonic()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        fields = stat.read_text().rsplit(")", 1)[1].split()
        state, used = fields[0], int(fields[11]) + int(fields[12])  # state, utime + stime
        if state != "S" or used != last:
            last, still_since = used, time.monotonic()
        elif time.monotonic() - still_since >= 0.5:
            return
        time.sleep(0.05)
    raise AssertionError(f"process {pid} never went idle")


def test_ctrl_c_exits_130_quietly() -> None:
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    process = subprocess.Popen(
        [sys.executable, "-m", "septfois", "check", "-"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    _wait_until_idle(process.pid)  # reading stdin, which never ends
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130
    assert b"Traceback" not in err


def test_an_internal_error_exits_3_with_a_message_not_a_traceback() -> None:
    # A bug cannot be produced on demand: replace main() by one that fails, and run the real entry().
    code = (
        "import sys, septfois.cli.main as m; sys.argv[1:] = ['check', '-']; "
        "m.main = lambda argv=None: 1 / 0; m.entry()"
    )
    env = {key: value for key, value in os.environ.items() if key != "SEPTFOIS_DEBUG"}
    env["SEPTFOIS_NO_DAEMON"] = "1"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, env=env)
    assert done.returncode == 3
    assert "septfois: internal error: ZeroDivisionError" in done.stderr
    assert "Traceback" not in done.stderr


def test_a_jsonl_line_takes_what_it_leaves_out_from_the_configuration(run_cli, tmp_path: Path) -> None:
    (tmp_path / "septfois.toml").write_text('account = "brand"\n', encoding="utf-8")
    batch = json.dumps({"id": "a", "text": "À mon avis, c'est le meilleur produit du marché."}) + "\n"
    batch += json.dumps(
        {"id": "b", "text": "À mon avis, c'est le meilleur produit du marché.", "account": "personal"}
    )
    lines = [
        json.loads(line)
        for line in run_cli(["check", "--jsonl", "-", "--lang", "fr"], batch + "\n").out.splitlines()
    ]
    # The rule for a brand voicing an opinion (the learned pseudonym rule reads the text, not the account)
    brand, personal = ({f["rule"] for f in line["findings"]} for line in lines)
    assert "anonymity.brand-voices-opinion" in brand  # a brand account giving its own opinion
    assert "anonymity.brand-voices-opinion" not in personal


def test_a_finding_in_a_file_of_lone_carriage_returns_is_placed_on_its_own_line(run_cli, tmp_path) -> None:
    post = tmp_path / "old-mac.txt"
    post.write_bytes(b"Ligne un\rLe PDG de Rivalco est un abruti\r")
    result = run_cli(["check", str(post), "--format", "json"])
    (finding,) = json.loads(result.out)["results"][0]["findings"]
    assert (finding["line"], finding["column"]) == (2, len("Le PDG de Rivalco est un ") + 1)
