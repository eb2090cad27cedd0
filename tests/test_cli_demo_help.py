"""`tsunagu demo --help` describes every option (issue 12 §5)."""

from __future__ import annotations

from tsunagu.cli import build_parser


def test_demo_help_describes_every_option():
    parser = build_parser()
    demo = next(
        action.choices["demo"]
        for action in parser._actions
        if getattr(action, "choices", None) and "demo" in action.choices
    )
    options = [a for a in demo._actions if a.option_strings and a.dest != "help"]
    assert {a.dest for a in options} == {"host", "port", "threads"}
    assert all(a.help for a in options)
    text = demo.format_help()
    assert "待ち受けるポート番号" in text
