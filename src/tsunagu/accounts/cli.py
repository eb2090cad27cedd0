"""``tsunagu createadmin [--username NAME]``: a system administrator (password from the
prompt or ``TSUNAGU_ADMIN_PASSWORD``)."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from tsunagu.accounts.models import Membership, Role
from tsunagu.core.plugins import CommandLine


def add_commands(cli: CommandLine) -> None:
    admin = cli.command("createadmin", help="システム管理者を作成", handler=cmd_createadmin)
    admin.add_argument("--username")


def cmd_createadmin(args: argparse.Namespace) -> int:
    User = get_user_model()
    username = args.username or input("ユーザー名: ").strip()
    password = os.environ.get("TSUNAGU_ADMIN_PASSWORD") or getpass.getpass("パスワード: ")
    try:
        validate_password(password)
    except ValidationError as error:
        print("パスワードが条件を満たしていません: " + " ".join(error.messages), file=sys.stderr)
        return 2
    user, _ = User.objects.get_or_create(username=username)
    user.is_staff = True
    user.is_active = True
    user.set_password(password)
    user.save()
    Membership.objects.get_or_create(user=user, role=Role.SYSTEM_ADMIN)
    print(f"システム管理者 {username} を作成しました。")
    return 0
