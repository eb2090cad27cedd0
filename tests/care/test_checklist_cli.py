"""``tsunagu checklist score IN.csv OUT.csv``."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tsunagu import cli
from tsunagu.care.checklist.io import REQUIRED_COLUMNS

HEADER = ",".join(REQUIRED_COLUMNS)
ANSWER_COUNT = 24


def line(id_: str, answers: list[str], height: str = "160", weight: str = "60") -> str:
    assert len(answers) == ANSWER_COUNT
    return ",".join([id_, *answers, height, weight])


def healthy() -> list[str]:
    """No item applies: いいえ where はい applies and the reverse (q1…q11, q13…q25)."""
    yes_applies = {9, 10, 11, 13, 14, 15, 17, 18, 20, 21, 22, 23, 24, 25}
    numbers = [n for n in range(1, 26) if n != 12]
    return ["いいえ" if n in yes_applies else "はい" for n in numbers]


def with_answers(**values: str) -> list[str]:
    answers = healthy()
    numbers = [n for n in range(1, 26) if n != 12]
    for key, value in values.items():
        answers[numbers.index(int(key[1:]))] = value
    return answers


def run(tmp_path: Path, text: str, *, encoding: str = "utf-8") -> tuple[int, Path]:
    source, target = tmp_path / "in.csv", tmp_path / "out.csv"
    source.write_bytes(text.encode(encoding))
    return cli.main(["checklist", "score", str(source), str(target)]), target


def read_out(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


SAMPLE = (
    "\n".join(
        [
            HEADER,
            line("healthy", healthy()),
            line("move", with_answers(q6="いいえ", q7="いいえ", q9="はい")),
            line("bmi18.5", with_answers(q11="はい"), "200", "74"),
            line("thin", with_answers(q11="はい"), "160", "45"),
            line("open", with_answers(q21="はい", q22=""), "160", ""),
            line("=cmd", with_answers(q16=" ｲｲｴ ", q1="", q2=""), "", ""),
        ]
    )
    + "\n"
)


def test_score_writes_results_for_every_row(tmp_path: Path, capsys) -> None:
    code, target = run(tmp_path, SAMPLE)
    assert code == 0
    rows = read_out(target)
    assert list(rows[0])[: len(REQUIRED_COLUMNS)] == list(REQUIRED_COLUMNS)
    assert list(rows[0])[len(REQUIRED_COLUMNS) :] == [
        "bmi", "item12", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "eligible", "reasons", "missing"
    ]  # fmt: skip
    by_id = {row["id"]: row for row in rows}
    assert by_id["healthy"]["eligible"] == "0"
    assert by_id["healthy"]["bmi"] == "23.4"
    assert (by_id["move"]["c2"], by_id["move"]["eligible"]) == ("1", "1")
    assert by_id["move"]["reasons"] == "運動機能"
    # BMI exactly 18.5 is not item 12, so item 11 alone meets nothing
    assert [by_id["bmi18.5"][k] for k in ("bmi", "item12", "c3", "eligible")] == [
        "18.5", "0", "0", "0"
    ]  # fmt: skip
    assert [by_id["thin"][k] for k in ("item12", "c3", "eligible", "reasons")] == [
        "1", "1", "1", "栄養"
    ]  # fmt: skip
    # missing weight: item 12 unknown but harmless (item 11 does not apply);
    # 21 applies and 22 is missing: c7 open, so no determination, naming 22 only
    open_row = by_id["open"]
    assert [open_row[k] for k in ("bmi", "item12", "c3", "c7", "eligible")] == ["", "", "0", "", ""]
    assert open_row["missing"] == "22"
    # ｲｲｴ (half-width, spaces) is いいえ: item 16 applies, so the missing answers do not matter
    formula = rows[-1]
    assert formula["id"] == "'=cmd"  # written with the formula-safe writer
    assert [formula[k] for k in ("c5", "eligible", "reasons", "missing")] == [
        "1", "1", "閉じこもり", ""
    ]  # fmt: skip
    assert "6 件を判定しました" in capsys.readouterr().out


@pytest.mark.parametrize("encoding", ["shift_jis", "utf-8-sig"])
def test_score_reads_shift_jis_and_utf8_with_bom(tmp_path: Path, encoding: str) -> None:
    code, target = run(tmp_path, SAMPLE, encoding=encoding)
    assert code == 0
    rows = read_out(target)
    assert rows[0]["id"] == "healthy"
    assert rows[1]["reasons"] == "運動機能"
    assert rows[3]["reasons"] == "栄養"


def test_a_bad_value_names_row_and_column_and_writes_nothing(tmp_path: Path, capsys) -> None:
    text = "\n".join(
        [HEADER, line("a", healthy()), line("b", with_answers(q7="たぶん")), line("c", healthy())]
    )
    code, target = run(tmp_path, text)
    assert code == 2
    error = capsys.readouterr().err
    assert "3行目" in error
    assert "列「q7」" in error
    assert "「たぶん」" in error
    assert not target.exists()
    assert list(tmp_path.iterdir()) == [tmp_path / "in.csv"]  # no temporary file left


def test_a_refused_file_leaves_an_existing_output_untouched(tmp_path: Path) -> None:
    (tmp_path / "out.csv").write_text("before", encoding="utf-8")
    code, target = run(tmp_path, "\n".join([HEADER, line("a", healthy(), "160", "6O")]))
    assert code == 2
    assert target.read_text(encoding="utf-8") == "before"


@pytest.mark.parametrize(
    ("height", "weight", "column", "words"),
    [
        ("abc", "60", "height_cm", "数値として読めません"),
        ("160", "1e2", "weight_kg", "数値として読めません"),
        ("1600", "60", "height_cm", "80〜250cm の範囲にありません"),
        ("160", "19", "weight_kg", "20〜250kg の範囲にありません"),
    ],
)
def test_a_bad_number_names_row_and_column(tmp_path: Path, capsys, height, weight, column, words):
    code, target = run(tmp_path, "\n".join([HEADER, line("a", healthy(), height, weight)]))
    assert code == 2
    error = capsys.readouterr().err
    assert f"2行目（データの1件目）の列「{column}」" in error
    assert words in error
    assert not target.exists()


def test_a_missing_column_is_named(tmp_path: Path, capsys) -> None:
    header = HEADER.replace(",q13,", ",")
    answers = healthy()
    del answers[11]  # q13
    code, target = run(tmp_path, "\n".join([header, ",".join(["a", *answers, "160", "60"])]))
    assert code == 2
    assert "列「q13」がありません" in capsys.readouterr().err
    assert not target.exists()


def test_full_width_headers_and_answers_and_extra_columns_are_kept(tmp_path: Path) -> None:
    header = HEADER.replace("q7", "ｑ７").replace("height_cm", " height_cm ") + ",地区"
    answers = with_answers(q6="イイエ", q7="　いいえ　", q8="いいえ")
    code, target = run(tmp_path, "\n".join([header, line("a", answers, "１６０", "６０") + ",東"]))
    assert code == 0
    [row] = read_out(target)
    assert (row["地区"], row["c2"], row["bmi"]) == ("東", "1", "23.4")
