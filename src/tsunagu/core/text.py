"""Japanese text normalisation and search terms (表記ゆれ).

The search index stores, for each record, a space-separated list of *terms* computed here;
queries are parsed with the same functions. Both sides must agree exactly, and both
database back ends must see the same terms, so every term consists only of letters and
digits (``str.isalnum``), is lower-case and contains no spaces: the databases then only
split on spaces and never re-tokenise.

Terms of a text (see :func:`search_terms`):

- for each SudachiPy morpheme (split mode C, plus its mode-A sub-words): the NFKC surface,
  the normalised form (買物 → 買い物, 受皿 → 受け皿, 申込 → 申し込み, 一人暮らし /
  ひとり暮らし → 独り暮らし) and the reading in hiragana (ゴミ / ごみ → ごみ);
- synonyms of these from :data:`SYNONYM_GROUPS` (variants normalised forms miss);
- every character and every pair of adjacent characters of the kana/kanji runs of the
  text and of the normalised forms, so that one- and two-character queries (移動, 見守)
  match as substrings.

Queries (see :func:`parse_query`) are split into chunks at spaces and punctuation; every
chunk must match (AND), each in any of its variants (OR). A kanji query word does not
match by reading alone (移動 must not find 異動), a kana word does (いどう finds 移動).
"""

from __future__ import annotations

import re
import threading
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

MAX_TERM_LENGTH = 64  # longer "words" (URLs, runs of digits) are not worth indexing
MAX_QUERY_CHUNKS = 12
CACHED_TEXT_LENGTH = 40  # bulk indexing keeps the terms of texts up to this long whole

# Orthographic variants and near-synonyms that SudachiPy's normalised forms do not join.
# Each group is a set of interchangeable terms; an index or query term in a group brings
# the whole group. Keep it small and conservative: every entry widens every search.
SYNONYM_GROUPS: list[tuple[str, ...]] = [
    ("ごみ", "ゴミ", "塵"),
    ("ごみ出し", "ゴミ出し", "塵出し"),
    ("一人暮らし", "ひとり暮らし", "独り暮らし", "独居"),
    ("見守り", "見守る", "みまもり"),
    ("買い物", "買物"),
    ("申し込み", "申込", "申込み"),
    ("受け皿", "受皿"),
    ("送迎", "送り迎え"),
    ("付き添い", "付添", "付添い", "つきそい"),
    ("お年寄り", "高齢者"),
    ("デイサービス", "ディサービス", "通所介護"),
    ("コミュニティ", "コミュニティー"),
    ("サロン", "さろん"),
    ("ボランティア", "ボランティヤ"),
]

_SKIPPED_POS = frozenset({"補助記号", "空白"})
_FUNCTION_POS = frozenset({"助詞", "助動詞"})
_WHITESPACE = re.compile(r"\s+")


# --- normalisation ---------------------------------------------------------------------


def normalize(text: str) -> str:
    """NFKC (ｶﾀｶﾅ → カタカナ, ＡＢＣ → ABC), lower case, runs of spaces → one space."""
    if not text:
        return ""
    return _WHITESPACE.sub(" ", unicodedata.normalize("NFKC", text).lower()).strip()


_HIRAGANA = str.maketrans({chr(c): chr(c - 0x60) for c in range(ord("ァ"), ord("ヶ") + 1)})


def katakana_to_hiragana(text: str) -> str:
    return text.translate(_HIRAGANA)


@lru_cache(maxsize=50_000)
def _normalized_form(text: str) -> str:
    return normalize(text)


def is_japanese_char(char: str) -> bool:
    """Kana or kanji (the characters whose runs get uni- and bigrams)."""
    code = ord(char)
    return (
        0x3041 <= code <= 0x309F  # hiragana
        or (0x30A1 <= code <= 0x30FF and code != 0x30FB)  # katakana (not ・)
        or 0x3400 <= code <= 0x4DBF  # CJK extension A
        or 0x4E00 <= code <= 0x9FFF  # CJK unified ideographs
        or 0xF900 <= code <= 0xFAFF  # CJK compatibility ideographs
        or 0x20000 <= code <= 0x3FFFF  # CJK extensions B..
        or code in (0x3005, 0x3006, 0x3007)  # 々 〆 〇
    )


def _is_kana(text: str) -> bool:
    return bool(text) and all(
        0x3041 <= ord(c) <= 0x309F or 0x30A1 <= ord(c) <= 0x30FF for c in text
    )


# Anything but letters and digits (str.isalnum) separates words; so do "_" and marks.
_NON_WORD = re.compile(r"[\W_]+")
# Runs of kana and kanji (the ranges of is_japanese_char).
_JAPANESE_RUN = re.compile(
    "[\u3041-\u309f\u30a1-\u30fa\u30fc-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uf900-\ufaff\U00020000-\U0003ffff\u3005-\u3007]+"
)


def _pieces(text: str) -> list[str]:
    """Split normalised text into runs of letters and digits (the only term characters)."""
    return [p for p in _NON_WORD.split(text) if p and len(p) <= MAX_TERM_LENGTH]


def _japanese_runs(text: str) -> list[str]:
    return _JAPANESE_RUN.findall(text)


def _ngrams(text: str) -> list[str]:
    """Characters and adjacent pairs of the kana/kanji runs of ``text``.

    Katakana is folded to hiragana, so that short kana queries ignore the script (ゴミ, ごみ).
    """
    grams: list[str] = []
    for run in _japanese_runs(katakana_to_hiragana(text)):
        grams.extend(run)
        grams.extend(run[i : i + 2] for i in range(len(run) - 1))
    return grams


@lru_cache(maxsize=1)
def _synonyms() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for group in SYNONYM_GROUPS:
        members = tuple(dict.fromkeys(normalize(m) for m in group))
        for member in members:
            table[member] = tuple(dict.fromkeys((*table.get(member, ()), *members)))
    return table


# --- SudachiPy -------------------------------------------------------------------------

_dictionary: Any = None
_dictionary_lock = threading.Lock()
_local = threading.local()


def _tokenizer() -> Any:
    """One SudachiPy dictionary per process (slow to load), one tokenizer per thread.

    A SudachiPy tokenizer must not be shared between threads (the WSGI server runs several).
    """
    global _dictionary
    tokenizer = getattr(_local, "tokenizer", None)
    if tokenizer is None:
        with _dictionary_lock:
            if _dictionary is None:
                from sudachipy import Dictionary

                _dictionary = Dictionary(dict="core")
        from sudachipy import SplitMode

        tokenizer = _local.tokenizer = _dictionary.tokenizer(mode=SplitMode.C)
    return tokenizer


def _split_a(morpheme: Any) -> list[Any]:
    from sudachipy import SplitMode

    return list(morpheme.split(SplitMode.A))


@dataclass(frozen=True)
class _Word:
    """One morpheme's variants, as index or query terms."""

    surface: str
    normalized: str  # SudachiPy's normalised form, NFKC and lower case
    pos: str
    variants: tuple[str, ...]
    sub_words: tuple[_Word, ...] = ()


def _variants(morpheme: Any, *, for_query: bool) -> tuple[str, ...]:
    return _form_variants(
        morpheme.surface(),
        morpheme.normalized_form(),
        morpheme.reading_form(),
        morpheme.is_oov(),
        for_query,
    )


@lru_cache(maxsize=100_000)
def _form_variants(
    raw_surface: str, normalized_form: str, reading_form: str, oov: bool, for_query: bool
) -> tuple[str, ...]:
    surface = _normalized_form(raw_surface)
    found = [surface, _normalized_form(normalized_form)]
    # Readings join kana and kanji spellings (ゴミ/ごみ, みまもり/見守り). A kanji query word
    # must not match by sound alone (移動/異動, 配食/配色), so queries use the reading only
    # for words typed in kana; the index always stores it.
    if not oov and (not for_query or _is_kana(surface)):
        if _JAPANESE_RUN.search(surface):
            found.append(katakana_to_hiragana(_normalized_form(reading_form)))
    synonyms = _synonyms()
    for term in list(found):
        found.extend(synonyms.get(term, ()))
    terms: list[str] = []
    for term in found:
        terms.extend(_pieces(term))
    return tuple(dict.fromkeys(t for t in terms if t))


# Words by (surface, dictionary id, for_query): a dictionary word's forms, reading, part
# of speech and mode-A parts are the dictionary's, so each is worked out once per process
# (most words of a bulk run repeat). Unknown words: by surface, form and part of speech.
_known_words: dict[tuple[Any, ...], _Word | None] = {}
KNOWN_WORDS_KEPT = 200_000
_UNSEEN: Any = object()


def _words(text: str, *, for_query: bool) -> list[_Word]:
    words = []
    known = _known_words
    for morpheme in _tokenizer().tokenize(text):
        if morpheme.is_oov():
            # unknown words (numbers mostly) have no reading or parts: their surface,
            # normalised form and part of speech are all there is
            key: tuple[Any, ...] = (
                morpheme.surface(),
                morpheme.normalized_form(),
                morpheme.part_of_speech_id(),
                for_query,
            )
        else:
            key = (morpheme.surface(), morpheme.word_id(), for_query)
        word = known.get(key, _UNSEEN)  # one look-up: another thread may clear the dict
        if word is not _UNSEEN:
            if word is not None:
                words.append(word)
            continue
        word = _word(morpheme, for_query=for_query)
        if len(known) >= KNOWN_WORDS_KEPT:
            known.clear()
        known[key] = word
        if word is not None:
            words.append(word)
    return words


def _word(morpheme: Any, *, for_query: bool) -> _Word | None:
    """A morpheme as a word with its variants (and sub-words for the index); None for the
    parts of speech and symbols that are never terms."""
    pos = morpheme.part_of_speech()[0]
    if pos in _SKIPPED_POS or not _pieces(morpheme.surface()):
        return None
    sub_words: tuple[_Word, ...] = ()
    if not for_query:
        # Sub-words go into the index only: a query's compound (mode C) then matches
        # a text's compound or its parts, and 見守り is never searched as 見 AND 守り.
        subs = _split_a(morpheme)
        if len(subs) > 1:
            sub_words = tuple(
                _Word(
                    _normalized_form(s.surface()),
                    _normalized_form(s.normalized_form()),
                    pos,
                    _variants(s, for_query=False),
                )
                for s in subs
                if _pieces(s.surface())
            )
    return _Word(
        _normalized_form(morpheme.surface()),
        _normalized_form(morpheme.normalized_form()),
        pos,
        _variants(morpheme, for_query=for_query),
        sub_words,
    )


# --- index terms -----------------------------------------------------------------------

# Sentences and phrases are analysed apart (and cached): they repeat across records.
_SEGMENT_BREAK = re.compile(r"[。、，,．！？!?\s・「」『』（）()［］\[\]【】]+")


def _analyse_segment(segment: str) -> tuple[str, ...]:
    terms: list[str] = []
    for word in _words(segment, for_query=False):
        terms.extend(word.variants)
        for sub in word.sub_words:
            terms.extend(sub.variants)
        if word.normalized != word.surface:
            # n-grams of the normalised form let 見守 find みまもり (normalised 見守る)
            terms.extend(_ngrams(word.normalized))
    terms.extend(_ngrams(segment))
    return tuple(dict.fromkeys(terms))


# Small, for the web processes; bulk indexing passes its own, larger cache.
_segment_terms = lru_cache(maxsize=4096)(_analyse_segment)


def search_terms(text: str, *, cache: dict[str, tuple[str, ...]] | None = None) -> list[str]:
    """Index terms of ``text``, without duplicates.

    Phrases (between punctuation) are analysed separately and cached, so repeated
    phrases cost nothing; ``cache`` (a dict kept by the caller) replaces the small
    process-wide cache for bulk indexing.
    """
    whole = len(text) <= CACHED_TEXT_LENGTH
    if cache is not None and whole:
        # short texts repeat whole (category, area and provider names, fees): keyed apart
        # from the phrases, which are normalised and never start with NUL
        known = cache.get("\0" + text)
        if known is not None:
            return list(known)
    normalised = normalize(text)
    terms: dict[str, None] = {}
    for segment in _SEGMENT_BREAK.split(normalised):
        if not segment:
            continue
        if cache is None:
            found = _segment_terms(segment)
        else:
            found = cache.get(segment)
            if found is None:
                found = cache[segment] = _analyse_segment(segment)
        terms.update(dict.fromkeys(found))
    if cache is not None and whole:
        cache["\0" + text] = tuple(terms)
    return list(terms)


# --- queries ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Term:
    text: str


@dataclass(frozen=True)
class AnyOf:
    items: tuple[Node, ...]


@dataclass(frozen=True)
class AllOf:
    items: tuple[Node, ...]


Node = Term | AnyOf | AllOf


def _flatten(items: list[Node], kind: type) -> list[Node]:
    flat: list[Node] = []
    for item in items:
        flat.extend(item.items if isinstance(item, kind) else (item,))  # type: ignore[attr-defined]
    return list(dict.fromkeys(flat))


def _any(items: list[Node]) -> Node | None:
    unique = _flatten(items, AnyOf)
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else AnyOf(tuple(unique))


def _all(items: list[Node]) -> Node | None:
    unique = _flatten(items, AllOf)
    if not unique:
        return None
    return unique[0] if len(unique) == 1 else AllOf(tuple(unique))


def _word_node(word: _Word) -> Node | None:
    return _any([Term(v) for v in word.variants])


def _chunk_node(chunk: str) -> Node | None:
    words = _words(chunk, for_query=True)
    kana = _is_kana(chunk)
    content = [w for w in words if w.pos not in _FUNCTION_POS]
    if content and not kana:
        words = content  # 通いの場 also finds 通い場; a lone particle is still searched
    options: list[Node] = []
    if len(chunk) <= 2 and all(is_japanese_char(c) for c in chunk):
        # One or two kana/kanji match as a substring (the index holds uni- and bigrams);
        # SudachiPy's analysis of so short a text adds only the variants of a whole word.
        options.append(Term(katakana_to_hiragana(chunk)))
        if len(words) == 1 and words[0].surface == chunk:
            options.append(_word_node(words[0]) or Term(chunk))
        return _any(options)
    if not kana or len(words) == 1:
        analysed = _all([n for n in (_word_node(w) for w in words) if n is not None])
        if analysed is not None:
            options.append(analysed)
    if kana:
        # The whole reading (ゴミ → ごみ; はいしょく → 配食 by its reading)
        hiragana = katakana_to_hiragana(chunk)
        options.append(Term(hiragana))
        if len(words) > 1:
            # SudachiPy often misreads kana text it splits into several words (はいしょく
            # → は + 移植): match as a substring of kana text (よみがな: さいどうしょ)
            # by all of its bigrams instead.
            options.append(
                _all([Term(hiragana[i : i + 2]) for i in range(len(hiragana) - 1)])
                or Term(hiragana)
            )
    return _any(options)


def parse_query(text: str) -> list[Node]:
    """The query as a list of nodes that must all match (AND); empty for an empty query."""
    nodes: list[Node] = []
    for chunk in _pieces(normalize(text))[:MAX_QUERY_CHUNKS]:
        node = _chunk_node(chunk)
        if node is not None and node not in nodes:
            nodes.append(node)
    return nodes


def node_terms(node: Node) -> list[str]:
    """Every term mentioned in ``node`` (for ranking)."""
    if isinstance(node, Term):
        return [node.text]
    terms: list[str] = []
    for item in node.items:
        terms.extend(node_terms(item))
    return list(dict.fromkeys(terms))


def query_terms(text: str) -> list[str]:
    """Every term of a parsed query, flat (what the query may match)."""
    terms: list[str] = []
    for node in parse_query(text):
        terms.extend(node_terms(node))
    return list(dict.fromkeys(terms))


def matches(nodes: list[Node], terms: set[str] | frozenset[str]) -> bool:
    """Evaluate a parsed query against a set of index terms (what the databases compute)."""

    def check(node: Node) -> bool:
        if isinstance(node, Term):
            return node.text in terms
        if isinstance(node, AnyOf):
            return any(check(item) for item in node.items)
        return all(check(item) for item in node.items)

    return all(check(node) for node in nodes)
