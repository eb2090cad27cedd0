"""``tsunagu mobility legal-check PLAN.json``: print the Road Transport Act check as JSON.

Runs without Django or a database. Exit status: 0 checked, 2 the plan is unreadable or
invalid (the JSON error object is printed on stdout, the message also on stderr).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, TextIO

from tsunagu.mobility.legal.check import LegalPlanError, check_plan


def _print(obj: dict[str, Any], stream: TextIO) -> None:
    stream.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _error(message: str, errors: list[dict[str, Any]]) -> int:
    _print({"error": message, "errors": errors}, sys.stdout)
    sys.stderr.write(message + "\n")
    return 2


def cmd_legal_check(args: argparse.Namespace) -> int:
    source = str(args.plan)
    try:
        if source == "-":
            text = sys.stdin.read()
        else:
            text = Path(source).read_text(encoding="utf-8-sig")
    except OSError as exc:
        return _error(f"計画のファイル {source} を読めません: {exc.strerror or exc}", [])
    except UnicodeDecodeError:
        return _error(f"計画のファイル {source} は UTF-8 の JSON として読めません。", [])
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        return _error(
            f"計画のファイル {source} は JSON として読めません"
            f"（{exc.lineno}行目 {exc.colno}文字目: {exc.msg}）。",
            [],
        )
    try:
        result = check_plan(data)
    except LegalPlanError as exc:
        return _error(
            exc.message,
            [{"field": p.field, "message": p.message} for p in exc.problems],
        )
    _print(result, sys.stdout)
    return 0
