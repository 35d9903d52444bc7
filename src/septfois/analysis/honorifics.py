"""The titles written before a person's name, in French and English: one list for every name finder."""

from __future__ import annotations

# Abbreviated titles as written, before the full stop French and most English usage put after them.
ABBREVIATIONS: tuple[str, ...] = ("M", "MM", "Mme", "Mmes", "Mlle", "Mr", "Mrs", "Ms", "Dr", "Pr", "Prof")
# Every title, compared lower-cased without its full stop: the abbreviations and the words written out.
HONORIFICS: frozenset[str] = frozenset(
    {word.lower() for word in ABBREVIATIONS} | {"madame", "monsieur", "mademoiselle", "miss", "mister"}
)
# The abbreviations with their full stop, for regular expressions of names ("Mme Dupont", "Dr. Smith").
ABBREVIATED_PATTERN = rf"(?:{'|'.join(ABBREVIATIONS)})\."
