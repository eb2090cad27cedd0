"""Text files from spreadsheets: which encoding they are in (pure Python, no Django).

Municipal staff save CSV from Excel: UTF-8 (with or without BOM), Shift_JIS (CP932, Excel's
「CSV（コンマ区切り）」 on Japanese Windows) or UTF-16 (「Unicode テキスト」). Every importer
(directory, surveys, gap analysis, coexistence requests, HSDS) decodes through this one function
so they accept the same files.
"""

from __future__ import annotations


def decode_spreadsheet_text(data: bytes) -> tuple[str, str]:
    """Decode bytes: UTF-16 (with BOM), UTF-8 with or without BOM, else CP932.

    Returns (text, label of the encoding used). UTF-8 is tried strictly first: Shift_JIS
    bytes are almost never valid UTF-8, while ASCII-only files read the same either way.
    Raises UnicodeDecodeError (of the CP932 attempt, so ``start`` points at the bad byte).
    """
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        text = data.decode("utf-8-sig")
        return text, "UTF-8（BOM付き）" if data.startswith(b"\xef\xbb\xbf") else "UTF-8"
    except UnicodeDecodeError:
        pass
    return data.decode("cp932"), "Shift_JIS（CP932）"
