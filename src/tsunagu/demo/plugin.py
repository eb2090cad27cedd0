"""How the demo data plugs into the project: no pages; ``tsunagu demo`` and ``load-demo``
(the project's commands, which prepare the database first) load it through two hooks;
``tsunagu demo-handover`` puts it in the second state of the 鹿児島市 transfer."""

from tsunagu.core.plugins import AppPlugin, register_app, register_hook
from tsunagu.demo.loader import DEMO_PASSWORD, DEMO_USERS, load_demo

PLUGIN = AppPlugin(label="demo", cli="tsunagu.demo.cli:add_commands")


def demo_accounts() -> list[str]:
    """The lines ``tsunagu demo`` prints to say how to sign in."""
    return [f"デモアカウント（パスワードはすべて {DEMO_PASSWORD}）:"] + [
        f"  {demo.username:<16} {DEMO_PASSWORD}  {demo.full_name}" for demo in DEMO_USERS
    ]


def register() -> None:
    register_app(PLUGIN)
    register_hook("demo_data", "demo", load_demo)
    register_hook("demo_accounts", "demo", demo_accounts)
