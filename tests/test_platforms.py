"""Tests for septfois.findings.platforms: every platform's counting rule, its limits, and the fold."""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
import regex

from septfois.findings.platforms import (
    DEFAULT_SETTINGS,
    PLATFORMS,
    Check,
    Measure,
    count,
    fold_offset,
    measure,
)

CORPUS = Path(__file__).parent / "data" / "corpus" / "posts_dev_sample.jsonl"

FAMILY = "👨‍👩‍👧‍👦"  # four people joined by three ZWJ: 7 code points, 11 UTF-16 units, 25 bytes
FRANCE = "🇫🇷"
KEYCAP_ONE = "1️⃣"
CAFE_NFD = unicodedata.normalize("NFD", "café")


# --- interface --------------------------------------------------------------------------------------
def test_every_platform_is_listed_under_its_own_name_with_a_positive_limit() -> None:
    expected = ["x", "mastodon", "bluesky", "threads", "linkedin", "instagram", "facebook", "tiktok"]
    assert list(PLATFORMS) == expected
    for name, platform in PLATFORMS.items():
        assert platform.name == name
        assert platform.limit > 0
        assert platform.unit
    assert PLATFORMS["linkedin"].fold == 210
    assert PLATFORMS["instagram"].fold == 125
    assert PLATFORMS["x"].fold is None


def test_a_check_is_over_by_the_amount_past_its_limit_and_never_negative() -> None:
    assert Check("length", 286, 280).over == 6
    assert Check("length", 12, 280).over == 0


def test_a_measure_lists_the_length_check_first_and_fits_only_when_nothing_is_exceeded() -> None:
    result = measure("bluesky", "x" * 10)
    assert isinstance(result, Measure)
    assert result.checks[0] == Check("length", 10, 300)
    assert [check.name for check in result.checks] == ["length", "bytes"]
    assert result.fits and result.exceeded() == ()


def test_an_unknown_platform_is_a_key_error_that_names_the_known_ones() -> None:
    with pytest.raises(KeyError, match="known platforms: x, mastodon"):
        count("myspace", "hello")


def test_an_unknown_kind_or_setting_is_refused_with_the_expected_values() -> None:
    with pytest.raises(ValueError, match="post, reply"):
        measure("x", "hello", kind="story")
    with pytest.raises(ValueError, match="mastodon_url_length"):
        count("mastodon", "hello", settings={"mastodon_url_lenght": 30})
    with pytest.raises(ValueError, match="positive integer"):
        count("mastodon", "hello", settings={"mastodon_limit": 0})


def test_every_platform_main_limit_can_be_overridden_by_a_setting() -> None:
    for name in PLATFORMS:
        assert measure(name, "hello", settings={f"{name}_limit": 3}).limit == 3
    assert DEFAULT_SETTINGS["mastodon_limit"] == 500
    assert DEFAULT_SETTINGS["mastodon_url_length"] == 23


@pytest.mark.parametrize("name", list(PLATFORMS))
def test_crlf_and_lone_cr_count_as_one_line_break_on_every_platform(name: str) -> None:
    assert count(name, "un\r\ndeux\rtrois") == count(name, "un\ndeux\ntrois")


# --- the exact limit and one past it, everywhere ----------------------------------------------------
@pytest.mark.parametrize("name", list(PLATFORMS))
def test_a_plain_text_exactly_at_the_limit_fits_and_one_more_character_does_not(name: str) -> None:
    limit = PLATFORMS[name].limit
    at_limit = measure(name, "a" * limit)
    assert (at_limit.length, at_limit.limit, at_limit.fits) == (limit, limit, True)
    over = measure(name, "a" * (limit + 1))
    assert not over.fits
    assert over.exceeded() == (Check("length", limit + 1, limit),)


def test_a_linkedin_comment_is_held_to_1250_characters_instead_of_3000() -> None:
    assert measure("linkedin", "a" * 1250, kind="reply").fits
    reply = measure("linkedin", "a" * 1251, kind="reply")
    assert (reply.limit, reply.fits) == (1250, False)
    assert measure("linkedin", "a" * 1251, kind="post").fits
    assert measure("linkedin", "a" * 1251, kind="reply", settings={"linkedin_reply_limit": 2000}).fits


# --- X ----------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Hello, world!", 13),
        (CAFE_NFD, 4),  # NFC first: e + combining acute becomes one é
        ("Noël à l’hôpital", 16),  # Latin-1 and ’ (U+2019) weigh 1
        ("日本語", 6),
        ("한국어", 6),
        ("…", 2),  # U+2026 is outside the light ranges
        ("\u202f", 2),  # narrow no-break space, before « ? » in French
        ("€", 2),
        ("•→", 4),
        ("\u2014", 1),  # em dash, in U+2010–U+201F
        ("©", 1),
        ("®", 1),
        ("©\ufe0f", 2),  # with the emoji selector it is an emoji
        ("™", 2),
        ("😀", 2),
        (FAMILY, 2),
        ("👍🏽", 2),
        (FRANCE, 2),
        (KEYCAP_ONE, 2),
        ("1\u20e3", 2),
        ("🏴󠁧󠁢󠁳󠁣󠁴󠁿", 2),
        ("🏳️‍🌈", 2),
        ("🏃‍♂️", 2),
        ("🏃‍♂", 5),  # ♂ without U+FE0F does not join: runner, ZWJ (1), male sign
        ("😀\ufe0f", 4),  # the selector after an emoji-style emoji stands alone
        ("🧑‍🤝‍🧑", 2),  # newer than twitter-text's emoji data; X's rule still says 2
        ("🐦‍🔥", 2),
    ],
)
def test_x_weighs_each_code_point_1_or_2_and_each_emoji_2(text: str, expected: int) -> None:
    assert count("x", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("https://example.com", 23),
        ("http://www.exemple.fr/chemin/vers/une/page-tres-longue?utm_source=x&utm_medium=y", 23),
        ("voir https://example.com/a.", 5 + 23 + 1),  # the final full stop is not part of the link
        ("(https://fr.wikipedia.org/wiki/Cha%C3%AEne_(informatique))", 23 + 2),
        ("https://café.fr/é", 23),
        ("https://t.co/abc123/more", 23 + 5),  # a t.co link stops at its slug
        ("https://localhost/", 18),  # no known TLD: plain text
        ("http://example", 14),
    ],
)
def test_a_url_with_a_scheme_counts_as_23_characters_on_x(text: str, expected: int) -> None:
    assert count("x", text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("example.com", 23),
        ("cle-dor.fr", 23),
        ("www.exemple.fr.", 24),
        ("exemple.fr/offres?ville=lyon", 23),
        ("exemple.fr?ville=lyon", 23 + 11),  # without a path the query stays text
        ("l’exemple.fr", 2 + 23),
        ("foo.comx", 8),
        ("v1.2.3", 6),
        ("_exemple.fr", 11),  # after - _ . or / a bare domain is not a link
        ("@exemple.fr", 11),
        ("a@b.com", 7),
        ("日本.jp", 7),  # only ASCII names become links without a scheme
    ],
)
def test_a_bare_domain_counts_as_a_23_character_link_on_x(text: str, expected: int) -> None:
    assert count("x", text) == expected


def test_x_reports_forbidden_characters_as_a_check_with_limit_zero() -> None:
    result = measure("x", "bon\ufeffjour\uffff")
    assert result.checks[0].name == "length"
    assert result.exceeded() == (Check("forbidden-characters", 2, 0),)
    assert measure("x", "bonjour").fits


def test_an_x_post_at_exactly_280_weighted_fits_and_281_does_not() -> None:
    assert measure("x", "日" * 140).fits
    assert not measure("x", "日" * 140 + "a").fits
    assert count("x", "😀" * 140) == 280
    assert count("x", "https://example.com/" + "a" * 500 + " " + "a" * 256) == 280


@pytest.mark.parametrize("name", ["x", "mastodon", "threads"])
def test_a_long_dotted_run_without_a_tld_is_measured(name: str) -> None:
    # A quadratic link search would take minutes here (its speed is measured in bench/bench_platforms.py).
    assert count(name, "a." * 20_000 + " a_b.com " + "1.2." * 10_000) > 40_000


# --- Mastodon ---------------------------------------------------------------------------------------
def test_mastodon_counts_grapheme_clusters() -> None:
    assert count("mastodon", CAFE_NFD) == 4
    assert count("mastodon", FAMILY + FRANCE + KEYCAP_ONE + "👍🏽") == 4
    assert count("mastodon", "日本語") == 3


def test_mastodon_counts_a_link_with_a_scheme_as_23_and_a_bare_domain_as_its_characters() -> None:
    assert count("mastodon", "https://example.com/" + "a" * 100) == 23
    assert count("mastodon", "gemini://example.com/capsule") == 23
    assert count("mastodon", "example.com") == 11
    assert count("mastodon", "voir https://example.com.") == 5 + 23 + 1


def test_mastodon_url_length_is_a_setting() -> None:
    assert count("mastodon", "https://example.com/abc", settings={"mastodon_url_length": 30}) == 30


def test_mastodon_counts_a_remote_mention_as_the_local_part_only() -> None:
    assert count("mastodon", "@alice@example.social") == len("@alice")
    assert count("mastodon", "merci @alice@example.social !") == len("merci @alice !")
    assert count("mastodon", "@alice") == 6
    assert count("mastodon", "bob@example.com") == 15  # an e-mail address is no mention


def test_a_mastodon_post_at_500_fits_and_501_does_not() -> None:
    assert measure("mastodon", "a" * 476 + " https://example.com/long/path").fits
    assert not measure("mastodon", "a" * 477 + " https://example.com/long/path").fits
    assert count("mastodon", "a" * 10 + "https://example.com") == 29  # glued to a word it is no link
    assert measure("mastodon", "a" * 600, settings={"mastodon_limit": 1000}).fits


# --- Bluesky ----------------------------------------------------------------------------------------
def test_bluesky_counts_graphemes_with_links_and_mentions_literal() -> None:
    assert count("bluesky", FAMILY) == 1
    assert count("bluesky", CAFE_NFD) == 4
    assert count("bluesky", "https://example.com") == 19
    assert count("bluesky", "@alice.bsky.social") == 18


def test_300_family_emoji_pass_the_bluesky_grapheme_limit_but_fail_the_byte_limit() -> None:
    result = measure("bluesky", FAMILY * 300)
    assert result.length == 300
    assert result.exceeded() == (Check("bytes", 25 * 300, 3000),)


def test_bluesky_allows_exactly_3000_bytes_and_not_one_more() -> None:
    assert measure("bluesky", FAMILY * 120).checks[1] == Check("bytes", 3000, 3000)
    assert measure("bluesky", FAMILY * 120).fits
    assert measure("bluesky", FAMILY * 120 + "a").exceeded() == (Check("bytes", 3001, 3000),)
    assert measure("bluesky", "é" * 300).checks[1] == Check("bytes", 600, 3000)


# --- Threads ----------------------------------------------------------------------------------------
def test_threads_counts_emoji_as_their_utf8_bytes_and_other_text_in_utf16_units() -> None:
    assert count("threads", "😀") == 4
    assert count("threads", FAMILY) == 25
    assert count("threads", FRANCE) == 8
    assert count("threads", "❤️") == 6
    assert count("threads", "©") == 1
    assert count("threads", "café 日本") == 7
    assert count("threads", "𝐁") == 2  # a mathematical bold letter is no emoji: 2 UTF-16 units


def test_threads_allows_five_distinct_links_but_not_six() -> None:
    five = " ".join(f"https://example{i}.com" for i in range(5))
    assert measure("threads", five + " https://example0.com").fits  # a repeated link counts once
    six = measure("threads", five + " www.threads.com")
    assert six.exceeded() == (Check("links", 6, 5),)


# --- LinkedIn, Instagram, Facebook, TikTok ----------------------------------------------------------
@pytest.mark.parametrize("name", ["linkedin", "instagram", "facebook", "tiktok"])
def test_platforms_without_a_documented_rule_count_utf16_code_units(name: str) -> None:
    assert count(name, CAFE_NFD) == 5
    assert count(name, FAMILY) == 11
    assert count(name, "😀") == 2
    assert count(name, "日本語") == 3


def test_instagram_allows_30_hashtags_and_20_mentions() -> None:
    assert measure("instagram", " ".join(f"#tag{i}" for i in range(30))).fits
    tags = measure("instagram", " ".join(f"#tag{i}" for i in range(31)))
    assert tags.exceeded() == (Check("hashtags", 31, 30),)
    mentions = measure("instagram", " ".join(f"@user.{i}" for i in range(21)) + " contact@exemple.fr")
    assert mentions.exceeded() == (Check("mentions", 21, 20),)
    assert measure("instagram", "#été #café C# &#39;").checks[1] == Check("hashtags", 2, 30)


# --- fold -------------------------------------------------------------------------------------------
def test_the_fold_falls_after_210_linkedin_characters_and_125_instagram_ones() -> None:
    assert fold_offset("linkedin", "a" * 210) is None
    assert fold_offset("linkedin", "a" * 211) == 210
    assert fold_offset("instagram", "a" * 300) == 125
    assert fold_offset("x", "a" * 300) is None
    assert fold_offset("facebook", "a" * 100_000) is None


def test_the_fold_offset_is_a_code_point_offset_into_the_original_text() -> None:
    text = "ab\r\n" * 100
    offset = fold_offset("instagram", text)
    # 125 units: 41 whole "ab\n" lines (123 units), then "ab" brings 125; the fold lands on the line break.
    assert offset == 41 * 4 + 2
    assert text[offset:].startswith("\r\n")


def test_the_fold_never_splits_an_emoji_sequence() -> None:
    text = "a" * 120 + FAMILY + "b"
    assert fold_offset("instagram", text) == 120


# --- the labelled corpus ----------------------------------------------------------------------------
# The counts the corpus notes quote, in each platform's own unit (Instagram: the UTF-16 figure).
NOTED_COUNTS = {
    "dev-fr-105": 286,
    "dev-fr-106": 279,
    "dev-fr-107": 280,
    "dev-fr-108": 289,
    "dev-fr-109": 310,
    "dev-fr-110": 299,
    "dev-fr-111": 509,
    "dev-fr-112": 489,
    "dev-fr-113": 3097,
    "dev-fr-114": 519,
    "dev-en-110": 285,
    "dev-en-111": 298,
    "dev-en-112": 240,
    "dev-en-113": 308,
    "dev-en-114": 300,
    "dev-en-115": 509,
    "dev-en-116": 482,
    "dev-en-117": 2253,
    "dev-en-118": 2184,
    "dev-en-119": 512,
}


@pytest.fixture(scope="module")
def corpus() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def test_a_corpus_post_is_over_its_limit_exactly_when_it_is_labelled_length(corpus: list[dict]) -> None:
    wrong = []
    for post in corpus:
        if not post.get("platform"):
            continue
        result = measure(post["platform"], post["text"], kind=post.get("kind", "post"))
        if result.fits == ("length" in post["labels"]):
            wrong.append((post["id"], result.length, result.limit, post["labels"]))
    assert wrong == []


def test_the_corpus_posts_count_what_their_notes_say(corpus: list[dict]) -> None:
    by_id = {post["id"]: post for post in corpus}
    counted = {}
    for post_id in NOTED_COUNTS:
        post = by_id[post_id]
        counted[post_id] = measure(post["platform"], post["text"], kind=post["kind"]).length
    assert counted == NOTED_COUNTS


# --- agreement with twitter-text --------------------------------------------------------------------
WORDS = ["le", "marché", "Lyon", "and", "the", "growth", "2024", "e.g.", "v1.2.3", "file.txt", "foo.comx"]
ACCENTED = ["café", "élève", "Noël", "garçon", "où", "hôpital", "ÉCOLE", "Œuvre", "déjà-vu", "naïve"]
TYPOGRAPHY = ["’", "«", "»", "…", "\u202f", "\u00a0", "€", "•", "→", "–", "—", "©", "®", "™", "°", "½"]
CJK = ["日本語", "中文", "한국어", "カタカナ", "。"]
PUNCTUATION = list(".,;:!?()'\"-/_@#&[]")
OLD_EMOJI = [
    "😀", "😂", "🙏", "❤️", "❤", "👍🏽", FAMILY, "👩‍💻", "🏳️‍🌈", "🏴‍☠️", FRANCE, "🇺🇸", "🇯🇵", KEYCAP_ONE,
    "#️⃣", "*️⃣", "🔟", "☺️", "☝🏽", "🏴󠁧󠁢󠁳󠁣󠁴󠁿", "🕵️‍♂️", "👩🏽‍💻", "✌️", "🤝", "🧑", "🥰", "🏃‍♂️", "⚕",
    "©\ufe0f", "‼", "🦸🏽‍♀️",
]  # fmt: skip
# Emoji sequences from Emoji 12.0 on, which twitter-text 3's data (Emoji 11) splits into pieces.
NEW_EMOJI = [
    "🧑‍🦰", "🧑‍🤝‍🧑", "🫱🏻‍🫲🏿", "🐦‍🔥", "🏳️‍⚧️", "🇨🇶", "❤️‍🔥", "🫶🏽", "🐈‍⬛", "😮‍💨", "🧔‍♀️", "💏🏽",
]  # fmt: skip
URLS = [
    "https://example.com", "http://www.exemple.fr/chemin?x=1&y=2", "https://t.co/abc123", "HTTPS://EXAMPLE.ORG/",
    "https://sub.domain.co.uk/a_(b)", "https://café.fr/page", "https://example.com:8080/x",
    "https://fr.wikipedia.org/wiki/Cha%C3%AEne_(informatique)", "http://localhost/", "https://exemple.fr/@alice/",
    "https://example.com/" + "segment/" * 30,
]  # fmt: skip
BARE_DOMAINS = [
    "example.com", "www.exemple.fr", "cle-dor.fr", "plannr.io", "shipnote.app", "foo.bar", "example.com/path",
    "sub.example.co.uk/x?y=z", "exemple.fr.", "example.COM", "x.рф", "exemple.fr?ville=lyon", "foo.onion",
]  # fmt: skip
SOCIAL = ["@alice", "#immo", "@alice@example.social", "$CAC"]
# Mostly spaces, but also glue and punctuation, which decide where twitter-text's links start and stop.
SEPARATORS = [" ", " ", " ", " ", "\n", "  ", "\t", "", "", ".", "/", "-", "_", "(", "?", "’", "é", ":", "@"]
POOLS = [WORDS, ACCENTED, TYPOGRAPHY, CJK, PUNCTUATION, OLD_EMOJI, NEW_EMOJI, URLS, BARE_DOMAINS, SOCIAL]
POOL_WEIGHTS = [3, 3, 2, 2, 1, 3, 0.5, 2, 2, 1]


def random_post(rng: random.Random) -> str:
    pieces = []
    for _ in range(rng.randint(1, 30)):
        token = rng.choice(rng.choices(POOLS, POOL_WEIGHTS)[0])
        if token in ACCENTED and rng.random() < 0.3:
            token = unicodedata.normalize("NFD", token)  # X normalises to NFC before counting
        pieces += [token, rng.choice(SEPARATORS)]
    return "".join(pieces)


@pytest.fixture(scope="session")
def twitter_text(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    node, npm = shutil.which("node"), shutil.which("npm")
    if not node or not npm:
        pytest.skip("node and npm are needed to compare with the twitter-text JavaScript library")
    # pytest's cache keeps the install between runs; without the cache plugin, install for this run only.
    kept = getattr(request.config, "cache", None)
    cache = Path(kept.mkdir("twitter-text")) if kept else tmp_path_factory.mktemp("twitter-text")
    if not (cache / "node_modules" / "twitter-text" / "package.json").exists():
        subprocess.run(
            [npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache), "twitter-text@3"],
            check=True,
            capture_output=True,
            timeout=600,
        )
    return cache


def twitter_text_parse(cache: Path, texts: list[str], tmp_path: Path) -> list[tuple[int, list[list[int]]]]:
    """twitter-text's weighted length of each text, and its link spans (UTF-16 offsets into the NFC text)."""
    inputs = tmp_path / "texts.json"
    inputs.write_text(json.dumps(texts), encoding="utf-8")
    script = (
        "const tt = require('twitter-text');"
        "const texts = JSON.parse(require('fs').readFileSync(process.argv[1], 'utf8'));"
        "process.stdout.write(JSON.stringify(texts.map((t) => ["
        "  tt.parseTweet(t).weightedLength,"
        "  tt.extractUrlsWithIndices(t.normalize()).map((u) => u.indices)])));"
    )
    done = subprocess.run(
        ["node", "-e", script, str(inputs)],
        cwd=cache,
        env={"NODE_PATH": str(cache / "node_modules"), "PATH": os.environ.get("PATH", "")},
        check=True,
        capture_output=True,
        text=True,
        timeout=300,
    )
    return [(length, spans) for length, spans in json.loads(done.stdout)]


def newer_emoji_outside_links(text: str, links: list[list[int]]) -> list[str]:
    """The newer emoji of `text` that twitter-text counts as emoji: those not swallowed by a link."""
    text = unicodedata.normalize("NFC", text)
    utf16_offsets, offset = [], 0
    for char in text:
        utf16_offsets.append(offset)
        offset += 2 if ord(char) > 0xFFFF else 1
    found = []
    for emoji in NEW_EMOJI:
        start = text.find(emoji)
        while start != -1:
            if not any(begin <= utf16_offsets[start] < end for begin, end in links):
                found.append(emoji)
            start = text.find(emoji, start + len(emoji))
    return found


AGREEMENT_SAMPLES = 4000


def test_x_counts_agree_with_twitter_text_except_for_emoji_newer_than_its_data(
    twitter_text: Path, tmp_path: Path
) -> None:
    rng = random.Random(20240601)
    texts = [random_post(rng) for _ in range(AGREEMENT_SAMPLES)]
    parsed = twitter_text_parse(twitter_text, texts + OLD_EMOJI + NEW_EMOJI, tmp_path)
    lengths = [length for length, _ in parsed]
    old_alone = dict(zip(OLD_EMOJI, lengths[len(texts) : len(texts) + len(OLD_EMOJI)], strict=True))
    new_alone = dict(zip(NEW_EMOJI, lengths[len(texts) + len(OLD_EMOJI) :], strict=True))
    # The allowance is only for emoji the library does not know: it must weigh the old ones 2, split the new.
    assert set(old_alone.values()) == {2}
    assert all(weight > 2 for weight in new_alone.values()), new_alone
    assert not any(a in b for a in NEW_EMOJI for b in NEW_EMOJI if a != b)  # each is found on its own

    differences, with_newer = [], 0
    for text, (reference, links) in zip(texts, parsed[: len(texts)], strict=True):
        # X's documented rule counts every emoji 2; the library counts each newer one as its pieces.
        allowance = sum(new_alone[emoji] - 2 for emoji in newer_emoji_outside_links(text, links))
        with_newer += allowance > 0
        if count("x", text) != reference - allowance:
            differences.append((text, count("x", text), reference, allowance))
    assert with_newer > 100, "the sample should exercise the newer-emoji allowance"
    assert differences == [], f"{len(differences)} of {len(texts)} strings differ"


def _fold_by_walking_the_clusters(name: str, text: str) -> int | None:
    """The fold as its definition reads: add up each grapheme cluster's UTF-16 length until past it."""
    fold = PLATFORMS[name].fold
    used = 0
    for cluster in regex.finditer(r"\X", text):
        stored = cluster.group().replace("\r\n", "\n").replace("\r", "\n")
        used += len(stored.encode("utf-16-le", "surrogatepass")) // 2
        if fold is not None and used > fold:
            return cluster.start()
    return None


def test_the_fold_shortcuts_give_what_walking_the_clusters_gives() -> None:
    folded = [name for name, platform in PLATFORMS.items() if platform.fold is not None]
    texts = [json.loads(line)["text"] for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    texts += ["é" * 400, "e\u0301" * 400, "😀" * 300, "a\r\nb" * 200, "\r" * 400, "👍🏽 ok " * 80]
    texts += ["ab\ud800" * 150, "x" * 209 + "😀", "x" * 209 + "e\u0301"]
    assert folded
    for name in folded:
        fold = PLATFORMS[name].fold
        assert fold is not None
        for text in texts:
            for cut in {fold - 1, fold, fold + 1, fold + 2, len(text)}:
                assert fold_offset(name, text[:cut]) == _fold_by_walking_the_clusters(name, text[:cut]), (
                    name,
                    text[:cut],
                )


def test_the_all_light_shortcut_of_x_agrees_with_the_weight_of_every_code_point() -> None:
    from septfois.findings.platforms import _X_ALL_LIGHT, _x_weight

    for code in range(0x110000):
        char = chr(code)
        assert (_X_ALL_LIGHT.fullmatch(char) is not None) == (_x_weight(char) == 1), hex(code)
