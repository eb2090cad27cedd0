"""Japanese normalisation and search terms (tsunagu.core.text): no database needed."""

from __future__ import annotations

import threading
import unicodedata

import pytest

from tsunagu.core import text
from tsunagu.core.text import (
    AllOf,
    AnyOf,
    Term,
    katakana_to_hiragana,
    matches,
    node_terms,
    normalize,
    parse_query,
    query_terms,
    search_terms,
)


def test_normalize_folds_width_case_and_spaces() -> None:
    assert normalize("ｶﾀｶﾅ　ＡＢＣ  Def\t１２３") == "カタカナ abc def 123"
    assert normalize("  ") == ""
    assert normalize("") == ""


def test_katakana_becomes_hiragana_and_the_rest_stays() -> None:
    assert katakana_to_hiragana("ミマモリ・ヴァン ー 見守") == "みまもり・ゔぁん ー 見守"


# (query, text, should the query find the text)
PAIRS: list[tuple[str, str, bool]] = [
    ("買物", "買い物支援", True),
    ("買い物", "日用品の買物", True),
    ("受皿", "サービスC後の受け皿", True),
    ("受け皿", "受皿づくり", True),
    ("申込", "申し込みは電話で", True),
    ("申し込み", "申込先", True),
    ("一人暮らし", "ひとり暮らしの方", True),
    ("ひとり暮らし", "一人暮らし高齢者", True),
    ("独居", "一人暮らしの高齢者", True),
    ("ゴミ", "ごみ出し", True),
    ("ごみ", "ゴミ出し支援", True),
    ("見守り", "みまもり隊", True),
    ("みまもり", "見守り活動", True),
    ("ﾐﾏﾓﾘ", "見守り活動", True),
    ("移動", "移動支援・送迎", True),
    ("見守", "見守り活動", True),
    ("見守", "みまもり隊", True),
    ("配食", "配食サービス", True),
    ("見", "見守り", True),
    ("ｶﾀｶﾅ", "カタカナ表記", True),
    ("ＡＢＣ", "abc会", True),
    ("はいしょく", "配食サービス", True),
    ("いどう", "移動支援", True),
    ("さいどうしょ", "さいどうしょちいきこみゅにてぃきょうぎかい", True),
    ("付添", "通院の付き添い", True),
    ("香春町 見守り", "香春町保険健康課の見守り活動", True),
    # homophones and look-alikes that must not match
    ("移動", "人事異動", False),
    ("配食", "配色", False),
    ("見守", "見学と守衛", False),
    ("見守り", "見学で身を守る", False),
    ("ごみ", "こみ", False),
    # every chunk must match
    ("香春町 配食", "香春町保険健康課の見守り活動", False),
]


@pytest.mark.parametrize(("query", "document", "expected"), PAIRS)
def test_query_matches_text_variants(query: str, document: str, expected: bool) -> None:
    assert matches(parse_query(query), set(search_terms(document))) is expected


def test_terms_are_single_lower_case_words_of_letters_and_digits() -> None:
    terms = search_terms("ＮＰＯ法人「ささえあい」・TEL 0947-32-2511。65歳以上の方、ｶﾌｪへ！")
    assert terms
    for term in terms:
        assert term == term.lower()
        assert all(unicodedata.category(c)[0] in "LN" for c in term), term
    assert {"npo", "0947", "2511", "65", "歳", "以上"} <= set(terms)


def test_terms_hold_normalised_forms_readings_and_short_ngrams() -> None:
    terms = set(search_terms("買物の受皿"))
    assert {"買物", "買い物", "かいもの", "受皿", "受け皿", "うけざら"} <= terms
    assert {"買", "物", "買物", "物の", "受皿"} <= terms
    assert {"見守", "守る", "みまもり"} <= set(search_terms("みまもり"))


def test_long_runs_are_not_indexed() -> None:
    assert "a" * 100 not in search_terms("a" * 100)


def test_kanji_query_words_do_not_match_by_reading_but_kana_words_do() -> None:
    assert "いどう" not in query_terms("移動支援")
    assert "移動" in query_terms("いどう")


def test_query_chunks_are_anded_and_variants_ored() -> None:
    nodes = parse_query("買物　ゴミ")
    assert len(nodes) == 2
    assert nodes[0] == AnyOf((Term("買物"), Term("買い物")))
    assert isinstance(nodes[1], AnyOf)
    assert {Term("ごみ"), Term("ゴミ")} <= set(nodes[1].items)
    assert parse_query("") == []
    assert parse_query("・！？") == []


def test_particles_are_dropped_from_longer_queries() -> None:
    assert parse_query("通いの場") == [AllOf((Term("通い"), Term("場")))]
    assert parse_query("の") == [Term("の")]


def test_one_and_two_character_queries_are_substrings() -> None:
    assert parse_query("見守") == [Term("見守")]
    assert parse_query("移動") == [Term("移動")]
    assert set(node_terms(parse_query("ゴミ")[0])) == {"ごみ", "ゴミ", "塵"}


def test_tokenizer_is_created_once_per_thread() -> None:
    first = text._tokenizer()
    assert text._tokenizer() is first
    others: list[object] = []
    results: list[list[str]] = []

    def work() -> None:
        others.append(text._tokenizer())
        results.append(search_terms("見守り活動の申し込み"))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({id(t) for t in others} | {id(first)}) == 5
    assert all(r == results[0] for r in results)


def test_words_kept_per_process_give_the_same_terms_as_a_fresh_analysis():
    texts = [
        "高野地区で見守り訪問を行います。問い合わせ番号123番。",
        "ｶｲﾓﾉ支援 第45号",
        "ゴミ出し支援、ごみだし",
        "0947-32-0001",
    ]
    text._known_words.clear()
    cold = [text.search_terms(t, cache={}) for t in texts]
    cold_query = [text.parse_query(t) for t in texts]
    assert text._known_words  # dictionary words and unknown ones (numbers) were kept
    warm = [text.search_terms(t, cache={}) for t in texts]
    assert warm == cold
    assert [text.parse_query(t) for t in texts] == cold_query
    # queries do not take the index's variants: the kanji query 移動 has no reading
    assert "いどう" in text.search_terms("移動", cache={})
    assert "いどう" not in text.query_terms("移動")
