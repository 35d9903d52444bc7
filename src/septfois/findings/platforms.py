"""Per-platform post length: each network's own way of counting, its limits, and where "see more" folds."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import cache
from importlib import resources
from types import MappingProxyType

import regex

from septfois.analysis.textmap import GRAPHEME, one_code_point_per_cluster

__all__ = [
    "DEFAULT_SETTINGS",
    "PLATFORMS",
    "Check",
    "Measure",
    "Platform",
    "count",
    "fold_offset",
    "measure",
]


@dataclass(frozen=True)
class Platform:
    """A network a post can be written for, and how its main limit is expressed."""

    name: str
    title: str
    limit: int
    unit: str
    fold: int | None


@dataclass(frozen=True)
class Check:
    """One constraint of a platform, measured on one text."""

    name: str
    value: int
    limit: int

    @property
    def over(self) -> int:
        return max(0, self.value - self.limit)


@dataclass(frozen=True)
class Measure:
    """Every constraint of one platform measured on one text, the main length first."""

    platform: str
    length: int
    limit: int
    checks: tuple[Check, ...]

    @property
    def fits(self) -> bool:
        return not self.exceeded()

    def exceeded(self) -> tuple[Check, ...]:
        return tuple(check for check in self.checks if check.over)


_UTF16 = "UTF-16 code units"

PLATFORMS: Mapping[str, Platform] = MappingProxyType(
    {
        platform.name: platform
        for platform in (
            Platform("x", "X", 280, "weighted characters", None),
            Platform("mastodon", "Mastodon", 500, "grapheme clusters", None),
            Platform("bluesky", "Bluesky", 300, "grapheme clusters", None),
            Platform("threads", "Threads", 500, "UTF-16 code units, emoji as UTF-8 bytes", None),
            Platform("linkedin", "LinkedIn", 3000, _UTF16, 210),
            Platform("instagram", "Instagram", 2200, _UTF16, 125),
            Platform("facebook", "Facebook", 63206, _UTF16, None),
            Platform("tiktok", "TikTok", 2200, _UTF16, None),
        )
    }
)

# Everything a user may configure here; docs/platforms.md describes each key.
DEFAULT_SETTINGS: Mapping[str, int] = MappingProxyType(
    {
        **{f"{name}_limit": platform.limit for name, platform in PLATFORMS.items()},
        "linkedin_reply_limit": 1250,
        "mastodon_url_length": 23,
    }
)

# Limits that are not the main length: they are facts of the platform, not preferences.
_X_URL_LENGTH = 23
_X_EMOJI_WEIGHT = 2
_BLUESKY_MAX_BYTES = 3000
_THREADS_MAX_LINKS = 5
_INSTAGRAM_MAX_HASHTAGS = 30
_INSTAGRAM_MAX_MENTIONS = 20
_KINDS = ("post", "reply")

# twitter-text v3: code points in these ranges weigh 1, all others 2.
_X_LIGHT_RANGES = ((0x0000, 0x10FF), (0x2000, 0x200D), (0x2010, 0x201F), (0x2032, 0x2037))
# X refuses a text holding any of these (noncharacters and the byte-order mark).
_X_FORBIDDEN = frozenset("\ufffe\ufeff\uffff")


def _platform(name: str) -> Platform:
    try:
        return PLATFORMS[name]
    except KeyError:
        known = ", ".join(PLATFORMS)
        raise KeyError(f"unknown platform {name!r}; known platforms: {known}") from None


def _settings(settings: Mapping[str, int] | None) -> dict[str, int]:
    resolved = dict(DEFAULT_SETTINGS)
    for key, value in (settings or {}).items():
        if key not in DEFAULT_SETTINGS:
            known = ", ".join(sorted(DEFAULT_SETTINGS))
            raise ValueError(f"unknown platform setting {key!r}; known settings: {known}")
        # bool is an int subclass, but `mastodon_limit = true` is a mistake, not 1.
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"platform setting {key!r} must be a positive integer, not {value!r}")
        resolved[key] = value
    return resolved


def _normalise_line_endings(text: str) -> str:
    # Every platform stores a line break as one "\n" whatever the author's system typed.
    return text.replace("\r\n", "\n").replace("\r", "\n")


def _utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def _grapheme_count(text: str) -> int:
    return sum(1 for _ in GRAPHEME.finditer(text))


# --- emoji ------------------------------------------------------------------------------------------
# One emoji is what a reader sees as one picture. Sequences joined by U+200D only hold together when
# every part is fully qualified (presentation emoji, or text-default ones followed by U+FE0F): that is
# how the RGI sequences are spelt, and how twitter-text's emoji parser splits the rest.
_QUALIFIED_EMOJI = (
    r"(?:\p{Emoji_Modifier_Base}\uFE0F?\p{Emoji_Modifier}"
    r"|\p{Emoji_Presentation}"
    r"|\p{Extended_Pictographic}\uFE0F)"
)
_EMOJI = regex.compile(
    "|".join(
        (
            r"\U0001F3F4[\U000E0020-\U000E007E]+\U000E007F",  # England, Scotland, Wales
            r"[0-9#*]\uFE0F?\u20E3",  # keycaps
            r"\p{Regional_Indicator}{1,2}",  # flags; a lone letter still shows as one symbol
            rf"{_QUALIFIED_EMOJI}(?:\u200D{_QUALIFIED_EMOJI})*",
            # © and ® without U+FE0F are ordinary text, as they were long before emoji.
            r"(?![\u00A9\u00AE])\p{Extended_Pictographic}",
            r"\p{Emoji_Modifier}",
        )
    )
)


# --- links ------------------------------------------------------------------------------------------
# X turns anything twitter-text recognises as a URL into a 23-character t.co link, so this follows
# twitter-text's URL grammar (character classes, TLD rule, the quirks of what may precede a link).
_DIRECTIONAL = r"\u202A-\u202E\u061C\u200E\u200F\u2066-\u2069"
_INVALID = r"\uFFFE\uFEFF\uFFFF"
_PUNCTUATION = r"!'#%&()*+,\\\-./:;<=>?@\[\]\^_{|}~$"
_SPACES = r"\t-\r \x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000"
_LATIN_ACCENTS = (
    r"\xC0-\xD6\xD8-\xF6\xF8-\xFF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268"
    r"\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF"
)
_CYRILLIC = r"\u0400-\u04FF"

# twitter-text scans UTF-16: the first half of a character beyond U+FFFF may precede a link whose
# domain starts with the second half. In code points that is a link starting at such a character.
_BEFORE_URL = rf"(?:(?=[\U00010000-\U0010FFFF])|[^A-Za-z0-9@\uFF20$#\uFF03{_INVALID}]|[{_DIRECTIONAL}]|^)"
_DOMAIN_CHAR = rf"[^{_PUNCTUATION}{_SPACES}{_INVALID}{_DIRECTIONAL}]"
_SUBDOMAIN = rf"(?:(?:{_DOMAIN_CHAR}(?:[_-]|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_DOMAIN_NAME = rf"(?:(?:{_DOMAIN_CHAR}(?:-|{_DOMAIN_CHAR})*)?{_DOMAIN_CHAR}\.)"
_TLD_END = r"(?=[^0-9a-zA-Z@+\-]|$)"
# An ASCII TLD is the whole run of letters after the dot, compared without case. The look-behind
# compares ASCII to ASCII only: a case-blind list match alone would accept "ſ" (long s) for "s".
_TLD = (
    rf"(?:[0-9a-zA-Z]+{_TLD_END}(?<=\.(?i:\L<ascii_tlds>))"
    rf"|(?i:\L<unicode_tlds>){_TLD_END}"
    r"|[xX][nN]--[\-0-9a-zA-Z]+)"
)
_DOMAIN = rf"(?:{_SUBDOMAIN}*{_DOMAIN_NAME}{_TLD})"
_ASCII_DOMAIN = rf"(?:[\-a-zA-Z0-9{_LATIN_ACCENTS}]+\.)+{_TLD}"

_X_PATH_CHAR = rf"[a-zA-Z{_CYRILLIC}0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{_LATIN_ACCENTS}]"
_X_PARENS = rf"\((?:{_X_PATH_CHAR}+|(?:{_X_PATH_CHAR}*\({_X_PATH_CHAR}+\){_X_PATH_CHAR}*))\)"
_X_PATH_END = rf"[+\-a-zA-Z{_CYRILLIC}0-9=_#/{_LATIN_ACCENTS}]"
# As twitter-text splices it: a path segment ends on an ending character, or is one balanced "(…)".
_X_PATH = rf"(?:{_X_PATH_CHAR}*(?:{_X_PARENS}{_X_PATH_CHAR}*)*{_X_PATH_END}|{_X_PARENS}|@{_X_PATH_CHAR}+/)"
_X_QUERY = r"\?[a-zA-Z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-zA-Z0-9\-_&=#/]"
_HTTP = r"[hH][tT][tT][pP][sS]?://"

# Mastodon keeps twitter-text's domains but widens paths and queries to any non-space character.
_M_PATH_CHAR = r"[^\p{White_Space}<>()?]"
_M_PARENS = rf"\((?:{_M_PATH_CHAR}+|(?:{_M_PATH_CHAR}*\({_M_PATH_CHAR}+\){_M_PATH_CHAR}*))\)"
_M_PATH_END = rf"(?:[^\p{{White_Space}}()?!*\"'「」<>;:=,.$%\[\]~&|@]|{_M_PARENS})"
_M_PATH = rf"(?:{_M_PATH_CHAR}*(?:{_M_PARENS}{_M_PATH_CHAR}*)*{_M_PATH_END}|{_M_PATH_CHAR}+/)"
_M_UCHARS = (
    r"\xA0-\uD7FF\uF900-\uFDCF\uFDF0-\uFFEF\U00010000-\U0001FFFD\U00020000-\U0002FFFD"
    r"\U00030000-\U0003FFFD\U00040000-\U0004FFFD\U00050000-\U0005FFFD\U00060000-\U0006FFFD"
    r"\U00070000-\U0007FFFD\U00080000-\U0008FFFD\U00090000-\U0009FFFD\U000A0000-\U000AFFFD"
    r"\U000B0000-\U000BFFFD\U000C0000-\U000CFFFD\U000D0000-\U000DFFFD\U000E1000-\U000EFFFD"
    r"\uE000-\uF8FF\U000F0000-\U000FFFFD\U00100000-\U0010FFFD"
)
_M_QUERY = rf"\?[a-zA-Z0-9!?*'();:&=+$/%#\[\]\-_.,~|@^{_M_UCHARS}]*[a-zA-Z0-9_&=#/\-{_M_UCHARS}]"
_M_SCHEME = r"(?i:https?|dat|dweb|ipfs|ipns|ssb|gopher|gemini)://"


def _url_pattern(scheme: str, path: str, query: str) -> str:
    return (
        rf"(?P<before>{_BEFORE_URL})(?P<url>(?P<scheme>{scheme})?(?P<domain>{_DOMAIN})"
        rf"(?::[0-9]+)?(?P<path>/{path}*)?(?:{query})?)"
    )


@cache
def _tlds() -> tuple[tuple[str, ...], tuple[str, ...]]:
    text = resources.files("septfois").joinpath("data", "tlds.txt").read_text(encoding="utf-8")
    names = [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(n for n in names if n.isascii()), tuple(n for n in names if not n.isascii())


def _compile(pattern: str) -> regex.Pattern[str]:
    ascii_tlds, unicode_tlds = _tlds()
    return regex.compile(pattern, ascii_tlds=ascii_tlds, unicode_tlds=unicode_tlds, ignore_unused=True)


@cache
def _x_url_regex() -> regex.Pattern[str]:
    return _compile(_url_pattern(_HTTP, _X_PATH, _X_QUERY))


@cache
def _mastodon_url_regex() -> regex.Pattern[str]:
    return _compile(_url_pattern(_M_SCHEME, _M_PATH, _M_QUERY))


@cache
def _ascii_domain_regex() -> regex.Pattern[str]:
    return _compile(_ASCII_DOMAIN)


_TCO = regex.compile(rf"{_HTTP}[tT]\.[cC][oO]/(?P<slug>[a-zA-Z0-9]+)(?:{_X_QUERY})?")
_MAX_TCO_SLUG = 40
_MAX_URL_LENGTH = 4096  # UTF-16 units, scheme included
_MAX_LABEL_LENGTH = 63  # DNS, once the label is punycode


def _valid_domain(domain: str) -> bool:
    if domain.startswith("xn--") and not _ascii_domain_regex().search(domain):
        return False  # a punycode name written with non-ASCII letters is not a name
    for label in domain.split("."):
        if any(ord(char) >= 0x7F for char in label):
            label = "xn--" + label.encode("punycode").decode()
        if not 1 <= len(label) <= _MAX_LABEL_LENGTH:
            return False
    return True


_DOMAIN_CHAR_RE = regex.compile(_DOMAIN_CHAR)
_ASCII_RUN = regex.compile(r"[0-9a-zA-Z]+")
_TLD_TERMINATOR = regex.compile(_TLD_END)
_ANY_SCHEME = regex.compile(rf"{_BEFORE_URL}?{_M_SCHEME}")


@cache
def _not_domain_chars() -> frozenset[str]:
    # They all lie below U+3001 but for the three invalid ones; a set lookup beats a regex match a character.
    candidates = [*map(chr, range(0x3001)), "\ufeff", "\ufffe", "\uffff"]
    return frozenset(char for char in candidates if not _DOMAIN_CHAR_RE.match(char))


@cache
def _unicode_tld_regex() -> regex.Pattern[str]:
    return _compile(rf"(?i:\L<unicode_tlds>){_TLD_END}")


def _possible_domain_starts(text: str) -> list[bool]:
    """Where a domain could begin: before a known TLD, with nothing that breaks a domain in between.

    Only a shortcut for the link search, which retries at every position: on a long dotted run with no
    TLD ("a.a.a.a…") each try would scan to the end of the run, and the whole search would be quadratic.
    """
    length = len(text)
    not_domain = _not_domain_chars()
    is_domain_char = [char not in not_domain for char in text]
    ascii_tlds = frozenset(_tlds()[0])
    starts = [0] * (length + 1)
    breaker = -1  # last position no domain can run across
    underscore = -1  # last "_", which the label just before the TLD may not hold
    for index, char in enumerate(text):
        if char == ".":
            tld = index + 1
            run = _ASCII_RUN.match(text, tld)
            if (
                (run and run.group().lower() in ascii_tlds and _TLD_TERMINATOR.match(text, run.end()))
                or _unicode_tld_regex().match(text, tld)
                or text[tld : tld + 4].lower() == "xn--"
            ):
                first = max(breaker, underscore) + 1
                if first < index:  # the domain starts in (first … index - 1]
                    starts[first] += 1
                    starts[index] -= 1
            if index == 0 or not is_domain_char[index - 1] or tld == length or not is_domain_char[tld]:
                breaker = index  # an empty label, or one starting or ending with "-" or "_"
            underscore = -1
        elif char == "_":
            underscore = index
        elif char != "-" and not is_domain_char[index]:
            breaker = index
    possible, open_intervals = [], 0
    for index in range(length):
        open_intervals += starts[index]
        possible.append(open_intervals > 0)
    return possible


def _url_matches(text: str, pattern: regex.Pattern[str]) -> Iterator[regex.Match[str]]:
    """What `pattern.finditer(text)` finds, skipping the positions where no link can start."""
    possible = _possible_domain_starts(text)
    position, length = 0, len(text)
    while position < length:
        # The link's domain starts here or after a one-character prefix, unless a scheme comes first.
        if (
            possible[position]
            or (position + 1 < length and possible[position + 1])
            or _ANY_SCHEME.match(text, position)
        ):
            match = pattern.match(text, position)
            if match:
                yield match
                position = match.end()
                continue
        position += 1


def _url_spans(text: str, *, scheme_required: bool) -> list[tuple[int, int]]:
    """Code-point spans of the links in `text`; without a scheme, only ASCII domain names count."""
    if "." not in text:
        return []
    pattern = _mastodon_url_regex() if scheme_required else _x_url_regex()
    spans: list[tuple[int, int]] = []
    for match in _url_matches(text, pattern):
        url, scheme, domain = match["url"], match["scheme"] or "", match["domain"]
        start, end = match.span("url")
        if not _valid_domain(domain) or len(scheme or "https://") + _utf16_length(url) > _MAX_URL_LENGTH:
            continue
        if scheme:
            tco = _TCO.match(url)
            if tco:
                if len(tco["slug"]) > _MAX_TCO_SLUG:
                    continue
                end = start + tco.end()  # a t.co link stops at its slug
            spans.append((start, end))
            continue
        if scheme_required or match["before"] in ("-", "_", ".", "/"):
            continue
        # "exemple.fr" or "l'exemple.fr": only the ASCII name is a link, the path goes with the last one.
        domain_start = match.start("domain")
        names = _ascii_domain_regex().finditer(domain)
        found = [(domain_start + name.start(), domain_start + name.end()) for name in names]
        if found and match["path"]:
            found[-1] = (found[-1][0], end)
        spans.extend(found)
    return spans


# --- per-platform counts ----------------------------------------------------------------------------
def _x_weight(char: str) -> int:
    code = ord(char)
    return 1 if any(low <= code <= high for low, high in _X_LIGHT_RANGES) else 2


# Every code point of the light ranges (all in the Basic Multilingual Plane), any number of times.
_X_ALL_LIGHT = regex.compile(
    "[" + "".join(f"\\u{low:04x}-\\u{high:04x}" for low, high in _X_LIGHT_RANGES) + "]*"
)


def _x_length(text: str) -> int:
    text = unicodedata.normalize("NFC", text)
    urls = dict(_url_spans(text, scheme_required=False))
    emoji = {m.start(): m.end() for m in _EMOJI.finditer(text)}
    if not urls and not emoji and _X_ALL_LIGHT.fullmatch(text):
        return len(text)  # what the walk below gives: each code point weighs 1
    total, index = 0, 0
    # Left to right: a link swallows whatever it contains (emoji included), an emoji its code points.
    while index < len(text):
        if index in urls:
            total += _X_URL_LENGTH
            index = urls[index]
        elif index in emoji:
            total += _X_EMOJI_WEIGHT
            index = emoji[index]
        else:
            total += _x_weight(text[index])
            index += 1
    return total


_MASTODON_MENTION = regex.compile(
    r"(?<![=/\w])@(?P<user>[a-zA-Z0-9_]+(?:[.\-]+[a-zA-Z0-9_]+)*)(?:@\w+(?:[.\-]+\w+)*)?"
)
# A would-be mention running into another "@", an accented letter or "://" is no mention.
_MASTODON_MENTION_STOP = regex.compile(rf"[@\uFF20{_LATIN_ACCENTS}]|://")


def _mastodon_countable(text: str, url_length: int) -> str:
    """The text Mastodon measures: each link as `url_length` characters, each @user@domain as @user."""
    entities: list[tuple[int, int, str]] = [
        (start, end, "x" * url_length) for start, end in _url_spans(text, scheme_required=True)
    ]
    for match in _MASTODON_MENTION.finditer(text):
        if not _MASTODON_MENTION_STOP.match(text, match.end()):
            entities.append((match.start(), match.end(), "@" + match["user"]))
    pieces: list[str] = []
    position = 0
    for start, end, replacement in sorted(entities):
        if start < position:
            continue  # overlaps an entity already rewritten
        pieces += [text[position:start], replacement]
        position = end
    pieces.append(text[position:])
    return "".join(pieces)


def _threads_length(text: str) -> int:
    total = 0
    for match in GRAPHEME.finditer(text):
        cluster = match.group()
        # Meta documents emoji as their UTF-8 bytes; for everything else it says only "characters".
        total += len(cluster.encode("utf-8")) if _EMOJI.search(cluster) else _utf16_length(cluster)
    return total


# A hashtag as the platforms and the metrics count it: "#" or the full-width "＃", not inside a word, an
# HTML entity ("&#39;") or a run of signs ("##").
HASHTAG = regex.compile(r"(?<![\w&#＃])[#＃]\w+")
_INSTAGRAM_MENTION = regex.compile(r"(?<![\w@＠])[@＠][A-Za-z0-9._]*[A-Za-z0-9_]")


def _length(platform: str, text: str, settings: Mapping[str, int]) -> int:
    if platform == "x":
        return _x_length(text)
    if platform == "mastodon":
        return _grapheme_count(_mastodon_countable(text, settings["mastodon_url_length"]))
    if platform == "bluesky":
        return _grapheme_count(text)
    if platform == "threads":
        return _threads_length(text)
    return _utf16_length(text)


def _extra_checks(platform: str, text: str) -> list[Check]:
    if platform == "x":
        forbidden = sum(1 for char in unicodedata.normalize("NFC", text) if char in _X_FORBIDDEN)
        return [Check("forbidden-characters", forbidden, 0)]
    if platform == "bluesky":
        return [Check("bytes", len(text.encode("utf-8")), _BLUESKY_MAX_BYTES)]
    if platform == "threads":
        # Meta counts unique URLs, scheme or not ("www.threads.com" is one).
        links = {text[start:end] for start, end in _url_spans(text, scheme_required=False)}
        return [Check("links", len(links), _THREADS_MAX_LINKS)]
    if platform == "instagram":
        return [
            Check("hashtags", len(HASHTAG.findall(text)), _INSTAGRAM_MAX_HASHTAGS),
            Check("mentions", len(_INSTAGRAM_MENTION.findall(text)), _INSTAGRAM_MAX_MENTIONS),
        ]
    return []


# --- public interface -------------------------------------------------------------------------------
def measure(
    platform: str, text: str, *, kind: str = "post", settings: Mapping[str, int] | None = None
) -> Measure:
    """Measure `text` against every constraint `platform` puts on a post (or a reply, with kind="reply")."""
    _platform(platform)
    if kind not in _KINDS:
        raise ValueError(f"unknown kind {kind!r}; expected one of: {', '.join(_KINDS)}")
    resolved = _settings(settings)
    text = _normalise_line_endings(text)
    limit = resolved[f"{platform}_limit"]
    if platform == "linkedin" and kind == "reply":
        limit = resolved["linkedin_reply_limit"]  # a comment, not a post
    length = _length(platform, text, resolved)
    return Measure(platform, length, limit, (Check("length", length, limit), *_extra_checks(platform, text)))


def count(platform: str, text: str, *, settings: Mapping[str, int] | None = None) -> int:
    """The platform's main count of `text`, in the unit `PLATFORMS[platform].unit` names."""
    _platform(platform)
    return _length(platform, _normalise_line_endings(text), _settings(settings))


def fold_offset(platform: str, text: str) -> int | None:
    """Code-point offset in `text` where the "… see more" fold falls; None without a fold or before it."""
    fold = _platform(platform).fold
    if fold is None:
        return None
    length = _utf16_length(text)
    if length <= fold:
        return None  # normalising line endings never lengthens a text: no cluster reaches the fold
    if length == len(text) and one_code_point_per_cluster(text):
        return fold  # one code unit per cluster (nearly every post): the fold is that many in
    used = 0
    # Whole grapheme clusters only: a fold never splits a letter from its accent or an emoji sequence.
    for match in GRAPHEME.finditer(text):
        used += _utf16_length(_normalise_line_endings(match.group()))
        if used > fold:
            return match.start()
    return None
