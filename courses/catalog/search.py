"""German full-text search that behaves alike on the embedded default (SQLite) and on PostgreSQL.

PostgreSQL's ``german`` configuration stems words; SQLite's FTS5 does not. So pages index, beside their
text, a field of German Snowball stems (``search_terms``), and on SQLite a query term matches either
itself or its stem. Names such as "DCAT-AP.de" are indexed in their parts too, because PostgreSQL's
parser keeps them as one token. When nothing matches, a term with one typo is corrected against the
words of published course and lesson titles and summaries (a small vocabulary, cached until the next
publish).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

import snowballstemmer
from django.db import connection
from django.utils.html import strip_tags
from wagtail.search.query import And, Or, PlainText, SearchQuery

WORD = re.compile(r"\w+", re.UNICODE)
# Words shorter than this are neither stemmed into the index nor corrected: "de", "IT" stay as they are.
MIN_TYPO_LENGTH = 5


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("german")


def words(text: str) -> list[str]:
    """The words of a text, lower-cased; "DCAT-AP.de" gives dcat, ap, de."""
    return [word.lower() for word in WORD.findall(text) if not word.isdigit()]


def stem(word: str) -> str:
    return str(_stemmer().stemWord(word.lower()))


def index_terms(texts: Iterable[str]) -> str:
    """The text of a page's ``search_terms`` field: its words' stems and the parts of compound names."""
    terms: dict[str, None] = {}
    for text in texts:
        for word in words(strip_tags(text or "")):
            terms.setdefault(word, None)
            terms.setdefault(stem(word), None)
    return " ".join(terms)


def build_query(query: str) -> str | SearchQuery:
    """What to hand to ``QuerySet.search``: the query's words; on SQLite each matches itself or its stem."""
    terms = words(query)
    if not terms:
        return query
    if connection.vendor != "sqlite":
        # PostgreSQL stems by itself; only names such as "DCAT-AP.de" are searched by their indexed parts.
        return " ".join(terms)
    parts = [Or([PlainText(term), PlainText(stem(term))]) if stem(term) != term else PlainText(term) for term in terms]
    return parts[0] if len(parts) == 1 else And(parts)


def _within_one_edit(a: str, b: str) -> bool:
    """True when b is a with one letter changed, inserted, deleted or two neighbours swapped."""
    if a == b or abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diff = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
        if len(diff) == 1:
            return True
        return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]
    short, long = (a, b) if len(a) < len(b) else (b, a)
    i = 0
    while i < len(short) and short[i] == long[i]:
        i += 1
    return short[i:] == long[i + 1 :]


def vocabulary_words(texts: Iterable[str]) -> frozenset[str]:
    return frozenset(word for text in texts for word in words(strip_tags(text)) if len(word) >= MIN_TYPO_LENGTH - 1)


def corrected(query: str, *, known: frozenset[str]) -> str:
    """The query with each unknown word replaced by a known word one typo away; "" when nothing changes."""
    changed = False
    result = []
    for word in words(query):
        if len(word) >= MIN_TYPO_LENGTH and word not in known:
            candidates = sorted(candidate for candidate in known if _within_one_edit(word, candidate))
            if candidates:
                result.append(candidates[0])
                changed = True
                continue
        result.append(word)
    return " ".join(result) if changed else ""
