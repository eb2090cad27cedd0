"""The care app's ``tsunagu`` commands: the checklist's (``tsunagu checklist …``) and the
residents' retention (``tsunagu care retention``), each in its own feature module."""

from __future__ import annotations

from tsunagu.care.checklist.cli import add_commands as add_checklist_commands
from tsunagu.care.residents.retention_cli import add_commands as add_resident_commands
from tsunagu.core.plugins import CommandLine


def add_commands(cli: CommandLine) -> None:
    add_checklist_commands(cli)
    add_resident_commands(cli)
