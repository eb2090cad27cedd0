"""How an app plugs itself into the project (in the spirit of Decidim's ``component.rb``).

Each app describes itself once, in its ``AppConfig.ready()``, with :func:`register_app`:
its URL modules, its API routers, its CLI commands. The project's ``urls.py``, ``api.py``
and ``cli.py`` read this registry and never name an app. Adding an app is its folder plus
one line in ``INSTALLED_APPS``.

Features of one app that another, lower app shows (a body's page listing the regional
issues raised in it, say) go through named hooks: the higher app registers a function
under a name the lower app documents, and the lower app calls whatever is registered.
Dependencies so keep pointing one way: the lower app never imports the higher one.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any, Protocol, TypeVar


@dataclass(frozen=True)
class UrlMount:
    """``include(module)`` under ``prefix`` (e.g. ``"mobility/"``), in registration order."""

    prefix: str
    module: str


@dataclass(frozen=True)
class ApiMount:
    """A django-ninja router (``"module:attribute"``) under ``prefix`` of ``/api/v1/``."""

    prefix: str
    router: str


@dataclass(frozen=True)
class AppPlugin:
    label: str
    urls: tuple[UrlMount, ...] = ()
    api: tuple[ApiMount, ...] = ()
    # "module:function" taking a :class:`CommandLine` and adding the app's ``tsunagu``
    # commands; each command has a ``handler`` (a callable taking the parsed arguments).
    cli: str | None = None
    # Apps are listed lower first, then in registration order (= INSTALLED_APPS order, as
    # ``ready()`` runs in that order). Mount order does not depend on it: see url_mounts().
    order: int = 100
    extra: dict[str, Any] = field(default_factory=dict)


_APPS: dict[str, AppPlugin] = {}
_HOOKS: dict[str, dict[str, Callable[..., Any]]] = {}


def register_app(plugin: AppPlugin) -> None:
    """Register (or replace, for reloads) an app under its label."""
    _APPS[plugin.label] = plugin


def registered_apps() -> list[AppPlugin]:
    return sorted(_APPS.values(), key=lambda p: p.order)  # stable: registration order


class _Mount(Protocol):
    @property
    def prefix(self) -> str: ...


M = TypeVar("M", bound=_Mount)


def _specific_first(mounts: Iterable[M]) -> list[M]:
    """``mounts`` in order, except that a prefix goes before any shorter prefix it extends
    ("directory/io/" before "directory/", "public/bodies/" before "public/"), so no app's
    pages are shadowed by another's whatever order the apps are installed in."""
    ordered: list[M] = []
    for mount in mounts:
        shadowing = [
            i
            for i, earlier in enumerate(ordered)
            if mount.prefix != earlier.prefix and mount.prefix.startswith(earlier.prefix)
        ]
        ordered.insert(shadowing[0] if shadowing else len(ordered), mount)
    return ordered


def url_mounts() -> list[UrlMount]:
    """Every app's URL modules, in the order the project's ``urls.py`` includes them."""
    return _specific_first(mount for plugin in registered_apps() for mount in plugin.urls)


def api_mounts() -> list[ApiMount]:
    """Every app's API routers, in the order the project's API adds them."""
    return _specific_first(mount for plugin in registered_apps() for mount in plugin.api)


# Extension point of the reminder command (``tsunagu engagements send-reminders``): each sender
# is ``sender(*, today, dry_run) -> list[str]`` (lines to print). Named here because the
# command's app (engagements) is above some senders (continuity's stale digest).
REMINDER_SENDERS = "reminder_senders"


def register_hook(name: str, key: str, function: Callable[..., Any]) -> None:
    """Add ``function`` to the extension point ``name`` (``key`` makes re-registration idempotent)."""
    _HOOKS.setdefault(name, {})[key] = function


def hooks(name: str) -> list[Callable[..., Any]]:
    """The functions registered for ``name``, in key order (empty when no app provides one)."""
    registered = _HOOKS.get(name, {})
    return [registered[key] for key in sorted(registered)]


def load_callable(path: str) -> Callable[..., Any]:
    """``"package.module:attribute"`` → the attribute (for registry entries read lazily)."""
    module_name, _, attribute = path.partition(":")
    return getattr(import_module(module_name), attribute)


Handler = Callable[[argparse.Namespace], int | None]


def lazy_handler(path: str) -> Handler:
    """A command handler imported only when its command runs (``"module:function"``), so
    ``tsunagu --help`` does not import every app's tools (numpy, OR-Tools, PDF fonts …)."""

    def run(args: argparse.Namespace) -> int:
        return int(load_callable(path)(args) or 0)

    run.__qualname__ = f"lazy_handler({path!r})"
    return run


class CommandLine:
    """The ``tsunagu`` sub-commands an app's ``cli`` function adds to.

    A group (``tsunagu mobility …``) may be shared by several apps: the first to ask for it
    creates it, the others add their commands to it. The chosen sub-command of a group is in
    ``args.<group>_command`` (``args.mobility_command``).
    """

    def __init__(self, commands: argparse._SubParsersAction) -> None:
        self._commands = commands
        self._groups: dict[str, CommandLine] = {}

    def command(self, name: str, *, help: str, handler: Handler | str) -> argparse.ArgumentParser:
        """Add ``tsunagu … name``; ``handler`` is a callable or a ``"module:function"`` path."""
        parser = self._commands.add_parser(name, help=help)
        parser.set_defaults(handler=lazy_handler(handler) if isinstance(handler, str) else handler)
        return parser

    def group(self, name: str, *, help: str | None = None) -> CommandLine:
        """``tsunagu name <sub-command> …``, created on first use. The app the group belongs
        to gives its ``help``; an app adding commands to another's group gives none."""
        if name in self._groups:
            if help is not None:
                for choice in self._commands._choices_actions:  # the `tsunagu --help` listing
                    if choice.dest == name:
                        choice.help = help
            return self._groups[name]
        parser = self._commands.add_parser(name, help=help)
        sub = parser.add_subparsers(dest=f"{name.replace('-', '_')}_command", required=True)
        self._groups[name] = CommandLine(sub)
        return self._groups[name]
