"""The learned rule type: reproducible training, exact explanations, and model files refused clearly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from conftest import DATA
from septfois.config import Config
from septfois.errors import PackError
from septfois.findings import learned, training
from septfois.findings.engine import Checker
from septfois.findings.packs import load_pack
from septfois.model import Post

FIXTURE = DATA / "learned" / "posts_two_writers_per_language.jsonl"
CATEGORIES = ("sensitive:market", "offence")


@pytest.fixture(scope="module")
def fixture_data() -> training.Dataset:
    return training.featurise(training.read_corpus(FIXTURE))


def train_to(path: Path, data: training.Dataset) -> None:
    linear, chosen = training.train(data, CATEGORIES)
    training.save(path, linear, chosen, CATEGORIES, {"trained_on": [FIXTURE.name]})


@pytest.fixture(scope="module")
def fixture_model(tmp_path_factory: pytest.TempPathFactory, fixture_data: training.Dataset) -> Path:
    path = tmp_path_factory.mktemp("model") / "models" / "fixture.zip"
    train_to(path, fixture_data)
    return path


def pack_with(model: Path, folder: Path, threshold: str = "0.5") -> Path:
    """A pack beside `model` with one learned offence rule."""
    text = (DATA / "packs" / "classifier_model_missing.toml").read_text(encoding="utf-8")
    text = text.replace("models/no_such_model.zip", f"models/{model.name}")
    text = text.replace("threshold = 0.5", f"threshold = {threshold}")
    path = folder / "demo.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_the_fixture_posts_come_from_four_writers(fixture_data: training.Dataset) -> None:
    assert sorted(set(fixture_data.groups.tolist())) == ["en-a", "en-b", "fr-a", "fr-b"]


def test_training_twice_on_the_same_posts_writes_the_same_bytes(
    tmp_path: Path, fixture_data: training.Dataset, fixture_model: Path
) -> None:
    again = tmp_path / "again.zip"
    train_to(again, training.featurise(training.read_corpus(FIXTURE)))
    assert again.read_bytes() == fixture_model.read_bytes()
    model = learned.load_model(again)
    assert model.categories == CATEGORIES
    assert len(model.vocabulary) == model.weights.shape[0] > 0


def test_the_contributions_add_up_to_the_score(fixture_model: Path, checker: Checker) -> None:
    model = learned.load_model(fixture_model)
    post = Post(text="Le directeur de Rivalco est un abruti et un crétin.", lang="fr")
    scores = learned.score(model, checker.analyse(post), post)
    for category in CATEGORIES:
        column = model.column(category)
        total = scores.contributions(category).sum() + model.intercepts[column]
        assert total == pytest.approx(scores.raw[column], abs=1e-9)
        shares = scores.word_weights(category)
        context = scores.contributions(category)[[not owners for owners in scores.vector.owners]].sum()
        assert sum(shares.values()) + context == pytest.approx(total - model.intercepts[column], abs=1e-9)
    assert (
        scores.probabilities[model.column("offence")] > scores.probabilities[model.column("sensitive:market")]
    )


def test_a_learned_finding_points_at_the_word_that_weighed_most(fixture_model: Path, tmp_path: Path) -> None:
    (tmp_path / "models").mkdir()
    (tmp_path / "models" / fixture_model.name).write_bytes(fixture_model.read_bytes())
    pack = load_pack(pack_with(fixture_model, tmp_path, threshold="{ fr = 0.5 }"))
    checker = Checker(Config(), packs=[pack])
    report = checker.check(Post(text="Franchement, ce consultant est un abruti.", lang="fr"))
    (finding,) = report.findings
    model = learned.load_model(fixture_model)
    analysis = checker.analyse(Post(text="Franchement, ce consultant est un abruti.", lang="fr"))
    weights = learned.score(model, analysis, Post(text=analysis.text, lang="fr")).word_weights("offence")
    strongest = analysis.tokens[max(weights, key=lambda position: weights[position])]
    assert (finding.start, finding.end) == (strongest.start, strongest.end)
    assert finding.message.startswith("Words: ") and finding.match in finding.message
    english = checker.check(Post(text="Honestly that consultant is a moron.", lang="en"))
    assert english.findings == ()  # the rule's table names no English threshold


def test_a_missing_model_file_is_a_pack_error_naming_it() -> None:
    with pytest.raises(PackError) as caught:
        load_pack(DATA / "packs" / "classifier_model_missing.toml")
    assert (caught.value.line, caught.value.key) == (12, "rule[1].model")
    assert "no_such_model.zip" in caught.value.problem and "cannot read" in caught.value.problem


def test_a_corrupt_model_file_is_a_pack_error_naming_it() -> None:
    with pytest.raises(PackError) as caught:
        load_pack(DATA / "packs" / "classifier_model_corrupt.toml")
    assert caught.value.key == "rule[1].model"
    assert "corrupt_not_a_zip.zip" in caught.value.problem and "not a septfois model" in caught.value.problem


def test_a_broken_model_file_stops_the_check_with_exit_code_2(run_cli) -> None:
    result = run_cli(
        ["check", "-", "--pack", str(DATA / "packs" / "classifier_model_corrupt.toml")], "bonjour"
    )
    assert result.code == 2
    assert "corrupt_not_a_zip.zip" in result.err and "Traceback" not in result.err


@pytest.mark.parametrize(
    ("threshold", "problem"),
    [("1.5", "between 0 and 1"), ("{ de = 0.5 }", "unknown key"), ('"high"', "expected a number")],
)
def test_a_threshold_must_be_a_probability_per_known_language(
    fixture_model: Path, threshold: str, problem: str
) -> None:
    with pytest.raises(PackError) as caught:
        load_pack(pack_with(fixture_model, fixture_model.parent.parent, threshold))
    assert caught.value.key is not None and caught.value.key.startswith("rule[1].threshold")
    assert problem in caught.value.problem


def test_a_model_without_the_rules_category_is_refused(fixture_model: Path) -> None:
    path = pack_with(fixture_model, fixture_model.parent.parent)
    path.write_text(path.read_text(encoding="utf-8").replace('"offence"', '"humour"'), encoding="utf-8")
    with pytest.raises(PackError) as caught:
        load_pack(path)
    assert "has no category 'humour'" in caught.value.problem


def test_the_shipped_model_is_small() -> None:
    models = list((Path(__file__).resolve().parents[1] / "rules" / "models").glob("*.zip"))
    assert models and sum(path.stat().st_size for path in models) <= 10 * 1024 * 1024
    assert all(np.isfinite(learned.load_model(path).weights).all() for path in models)


NOTE_ON_ABRUTI = """
[[rule]]
id = "demo.abruti-note"
category = "offence"
level = "info"
type = "lexicon"
terms = ["abruti"]
message.fr = "Un mot : {match}."
message.en = "A word: {match}."
why.fr = "Pourquoi."
why.en = "Why."
suggestion.fr = "Quoi faire."
suggestion.en = "What to do."
must_flag = ["Quel abruti."]
must_pass = ["Merci."]
"""


def learned_and_lexicon_pack(fixture_model: Path, folder: Path) -> Path:
    """The demo learned offence rule (French threshold 0.5) and, in the same pack, a note on "abruti"."""
    (folder / "models").mkdir(exist_ok=True)
    (folder / "models" / fixture_model.name).write_bytes(fixture_model.read_bytes())
    path = pack_with(fixture_model, folder, threshold="{ fr = 0.5 }")
    path.write_text(path.read_text(encoding="utf-8") + NOTE_ON_ABRUTI, encoding="utf-8")
    return path


def test_a_learned_rule_stays_quiet_where_another_rule_found_its_category(
    fixture_model: Path, tmp_path: Path
) -> None:
    pack = load_pack(learned_and_lexicon_pack(fixture_model, tmp_path))
    learned_rule, note = pack.rules
    assert (learned_rule.second_opinion, note.second_opinion) == (True, False)
    report = Checker(Config(), packs=[pack]).check(
        Post(text="Franchement, ce consultant est un abruti.", lang="fr")
    )
    assert [finding.rule for finding in report.findings] == ["demo.abruti-note"]


def test_whether_a_rule_is_a_second_opinion_is_its_types_to_say(
    fixture_model: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from septfois.findings.ruletypes.classifier import ClassifierType

    monkeypatch.setattr(ClassifierType, "second_opinion", False)
    pack = load_pack(learned_and_lexicon_pack(fixture_model, tmp_path))
    assert not pack.rules[0].second_opinion
    report = Checker(Config(), packs=[pack]).check(
        Post(text="Franchement, ce consultant est un abruti.", lang="fr")
    )
    spoke = {rule for finding in report.findings for rule in (finding.rule, *finding.also)}
    assert spoke == {"demo.abruti-note", "demo.learned"}


def labelled(ident: str, text: str, lang: str) -> training.Labelled:
    return training.read_line({"id": ident, "text": text, "lang": lang, "labels": []}, "test")


def test_the_threshold_finds_the_most_posts_for_which_what_the_model_adds_stays_precise() -> None:
    # Ranked by the model: a post the rules already flag (the model adds nothing there), ten right
    # posts the rules missed, a safe post, a right one, a wrong one of another category, a right one.
    probability = np.array([0.99, *np.linspace(0.95, 0.5, 10).round(2), 0.45, 0.4, 0.35, 0.3])
    truth = np.array([1] * 11 + [0, 1, 0, 1], dtype=bool)
    rules = np.array([2] + [0] * 14, dtype=np.int8)
    safe = np.array([0] * 11 + [1, 0, 0, 0], dtype=bool)
    # One safe post in 15 is over the cap (one in 200): the ten on top, and of the thresholds that
    # find them (0.46 to 0.5) the highest.
    assert training.choose_threshold(probability, truth, rules, safe) == 0.5
    # Among 400 safe posts one may be warned: 11 right of 12 down to 0.4, then 11 of 13 is under 0.90.
    padding = 400
    many_safe = np.concatenate([safe, np.ones(padding, dtype=bool)])
    padded = (np.pad(probability, (0, padding)), np.pad(truth, (0, padding)), np.pad(rules, (0, padding)))
    assert training.choose_threshold(*padded, many_safe) == 0.4


def test_a_model_that_adds_too_few_right_posts_gets_no_threshold() -> None:
    probability = np.array([0.9, 0.8, 0.1])
    truth = np.array([1, 0, 0], dtype=bool)
    assert training.choose_threshold(probability, truth, np.zeros(3, dtype=np.int8)) is None


def test_a_threshold_is_raised_above_the_rules_must_pass_examples() -> None:
    rule = training.RuleExamples(
        "learned.offence",
        "offence",
        (),
        (labelled("flag", "Bande de nuls, vous êtes vraiment des abrutis.", "fr"),),
        (labelled("self", "I'm such an idiot, I left my badge at home.", "en"),),
    )
    limits = {"fr": 0.6, "en": 0.6}
    fitted, failing = training.fit_to_examples(rule, limits, {"flag": 0.8, "self": 0.634})
    assert fitted == {"fr": 0.6, "en": 0.64} and failing == []


def test_a_rule_whose_must_flag_example_falls_under_its_threshold_is_reported() -> None:
    rule = training.RuleExamples(
        "learned.offence",
        "offence",
        ("fr",),
        (labelled("flag", "Bande de nuls, vous êtes vraiment des abrutis.", "fr"),),
        (labelled("pass", "Quelle idiote je fais, j'ai oublié mon badge.", "fr"),),
    )
    fitted, failing = training.fit_to_examples(rule, {"fr": 0.6, "en": 0.5}, {"flag": 0.7, "pass": 0.75})
    assert fitted == {"fr": 0.76}  # the rule's `languages` keeps English out
    assert len(failing) == 1 and "Bande de nuls" in failing[0] and "0.70" in failing[0]


def test_a_rules_examples_become_training_posts_labelled_with_its_category_alone() -> None:
    pack = DATA / "packs" / "examples_for_training.toml"
    items, counts = training.pack_examples(
        exclude_texts=["Encore un zorglub au bureau ce matin."], packs=[pack]
    )
    labelled = {item.post.text: (item.lang, item.labels, item.group) for item in items}
    assert labelled == {
        "Un zorglub est apparu.": ("fr", frozenset({"humour"}), training.EXAMPLES_GROUP),
        "Le bureau ouvre à neuf heures.": ("fr", frozenset(), training.EXAMPLES_GROUP),
    }
    # A corpus post is not trained on twice; a length rule's examples teach the model nothing.
    assert counts["in corpus"] == 1
    assert counts["other category"] == 2
