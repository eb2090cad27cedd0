"""Shared helpers every importer and every distance computation goes through."""

from __future__ import annotations

import numpy as np
import pytest

from tsunagu.core.distance import great_circle_m
from tsunagu.core.encoding import decode_spreadsheet_text


@pytest.mark.parametrize(
    ("data", "label"),
    [
        ("地区,人数\n".encode(), "UTF-8"),
        ("地区,人数\n".encode("utf-8-sig"), "UTF-8（BOM付き）"),
        ("地区,人数\n".encode("cp932"), "Shift_JIS（CP932）"),
        ("地区,人数\n".encode("utf-16"), "UTF-16"),
    ],
)
def test_spreadsheet_text_in_every_encoding_excel_writes(data: bytes, label: str) -> None:
    assert decode_spreadsheet_text(data) == ("地区,人数\n", label)


def test_undecodable_bytes_raise_with_the_position() -> None:
    with pytest.raises(UnicodeDecodeError) as error:
        decode_spreadsheet_text(b"ok,\x81\xff")
    assert error.value.start == 3


def test_great_circle_one_degree_of_latitude_and_broadcasting() -> None:
    # One degree of latitude on the 6,371,008.8 m sphere: 111,195 m.
    assert float(great_circle_m(35.0, 139.0, 36.0, 139.0)) == pytest.approx(111_195.08, abs=0.1)
    many = great_circle_m(35.0, 139.0, np.array([35.0, 36.0]), np.array([139.0, 139.0]))
    assert many.shape == (2,)
    assert many[0] == 0.0
