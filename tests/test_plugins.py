"""Each app plugs itself in (issue 13 §3): URLs, API routers and CLI commands come from the
apps' plugins registered in ``AppConfig.ready()``, never from a central list."""

from __future__ import annotations

import ast
from pathlib import Path

from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, resolve

from tests.source_code import SRC, nodes
from tsunagu.api import api
from tsunagu.core.plugins import UrlMount, _specific_first, api_mounts, registered_apps, url_mounts

# The API as it was when the routers were still listed in api.py: the move to plugins keeps it.
API_OPERATIONS = [
    "DELETE /api/v1/account/tokens/{token_id}",
    "DELETE /api/v1/transit/feeds/{feed_id}",
    "GET /api/v1/account/tokens",
    "GET /api/v1/auth/me",
    "GET /api/v1/bodies",
    "GET /api/v1/bodies/action-items",
    "GET /api/v1/bodies/action-items/{item_id}",
    "GET /api/v1/bodies/meetings/{meeting_id}",
    "GET /api/v1/bodies/{body_id}",
    "GET /api/v1/bodies/{body_id}/meetings",
    "GET /api/v1/care/referrals",
    "GET /api/v1/care/referrals/inbox",
    "GET /api/v1/care/referrals/inbox/{referral_id}",
    "GET /api/v1/care/referrals/{referral_id}",
    "POST /api/v1/care/referrals/inbox/{referral_id}/accept",
    "POST /api/v1/care/referrals/inbox/{referral_id}/decline",
    "POST /api/v1/care/referrals/inbox/{referral_id}/start",
    "GET /api/v1/care/courses/outcomes",
    "GET /api/v1/care/residents",
    "GET /api/v1/care/residents/{resident_id}",
    "PATCH /api/v1/care/residents/{resident_id}",
    "POST /api/v1/care/residents",
    "GET /api/v1/directory/organisations",
    "GET /api/v1/directory/organisations/{organisation_id}",
    "GET /api/v1/directory/people",
    "GET /api/v1/directory/people/{person_id}",
    "GET /api/v1/directory/public/categories",
    "GET /api/v1/directory/public/eligibility",
    "GET /api/v1/directory/public/resources",
    "GET /api/v1/directory/public/resources/{resource_id}",
    "GET /api/v1/directory/resources",
    "GET /api/v1/directory/resources/{resource_id}",
    "GET /api/v1/engagements",
    "GET /api/v1/engagements/insights",
    "GET /api/v1/engagements/roadmaps",
    "GET /api/v1/engagements/roadmaps/{roadmap_id}",
    "GET /api/v1/engagements/{engagement_id}",
    "GET /api/v1/engagements/{engagement_id}/visits",
    "GET /api/v1/issues",
    "GET /api/v1/issues/themes",
    "GET /api/v1/issues/{issue_id}",
    "GET /api/v1/programs/catalog",
    "GET /api/v1/programs/catalog/{code}",
    "GET /api/v1/programs/instances",
    "GET /api/v1/programs/instances/participation",
    "GET /api/v1/programs/instances/{instance_id}",
    "GET /api/v1/programs/instances/{instance_id}/counts",
    "POST /api/v1/programs/instances/{instance_id}/counts",
    "GET /api/v1/programs/instances/{instance_id}/participants",
    "GET /api/v1/issues/{issue_id}/stage-changes",
    "GET /api/v1/mobility/services/{service_id}/requests",
    "GET /api/v1/transit/feeds",
    "GET /api/v1/transit/feeds/{feed_id}",
    "GET /api/v1/transit/feeds/{feed_id}/routes",
    "GET /api/v1/transit/feeds/{feed_id}/stops",
    "PATCH /api/v1/bodies/action-items/{item_id}",
    "PATCH /api/v1/bodies/meetings/{meeting_id}",
    "PATCH /api/v1/bodies/{body_id}",
    "PATCH /api/v1/directory/organisations/{organisation_id}",
    "PATCH /api/v1/directory/people/{person_id}",
    "PATCH /api/v1/directory/resources/{resource_id}",
    "PATCH /api/v1/issues/{issue_id}",
    "POST /api/v1/auth/token",
    "POST /api/v1/bodies",
    "POST /api/v1/bodies/meetings/{meeting_id}/decisions",
    "POST /api/v1/bodies/members/{member_id}/end",
    "POST /api/v1/bodies/{body_id}/action-items",
    "POST /api/v1/bodies/{body_id}/meetings",
    "POST /api/v1/bodies/{body_id}/meetings/series",
    "POST /api/v1/bodies/{body_id}/members",
    "POST /api/v1/directory/organisations",
    "POST /api/v1/directory/organisations/{organisation_id}/verify",
    "POST /api/v1/directory/people",
    "POST /api/v1/directory/resources",
    "POST /api/v1/directory/resources/{resource_id}/verify",
    "POST /api/v1/engagements/{engagement_id}/insights",
    "POST /api/v1/engagements/{engagement_id}/transitions",
    "POST /api/v1/engagements/{engagement_id}/visits",
    "POST /api/v1/issues",
    "POST /api/v1/issues/executing-actors/{actor_id}/end",
    "POST /api/v1/issues/ideas/{idea_id}/adopt",
    "POST /api/v1/issues/{issue_id}/comments",
    "POST /api/v1/issues/{issue_id}/executing-actors",
    "POST /api/v1/issues/{issue_id}/ideas",
    "POST /api/v1/issues/{issue_id}/stage",
    "POST /api/v1/mobility/legal-check",
    "GET /api/v1/programs/service-b/groups",
    "GET /api/v1/programs/service-b/groups/{group_id}",
    "GET /api/v1/programs/service-b/groups/{group_id}/periods",
    "POST /api/v1/programs/service-b/periods/{period_id}/count-from-residents",
    "GET /api/v1/programs/service-b/periods/{period_id}/applications",
    "GET /api/v1/programs/service-b/applications/{application_id}",
    "POST /api/v1/mobility/services/{service_id}/requests",
    "POST /api/v1/transit/coexistence",
    "POST /api/v1/transit/feeds",
    "PUT /api/v1/bodies/meetings/{meeting_id}/attendance",
]


def test_every_tsunagu_app_registers_a_plugin():
    installed = {c.label for c in apps.get_app_configs() if c.name.startswith("tsunagu.")}

    assert len(installed) >= 11
    assert {plugin.label for plugin in registered_apps()} == installed


def test_the_project_modules_name_no_app():
    labels = {c.label for c in apps.get_app_configs() if c.name.startswith("tsunagu.")}
    assert len(labels) >= 11
    for name in ("urls.py", "api.py", "api_urls.py", "cli.py"):
        imported = _imported_modules(SRC / name)
        named = {module.split(".")[1] for module in imported if module.startswith("tsunagu.")}
        assert named & labels <= {"core"}, (name, named & labels)


def _imported_modules(path: Path) -> set[str]:
    found: set[str] = set()
    for node in nodes(path):  # parsed once per test process
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_no_app_cli_module_imports_the_project_command():
    """The project's ``tsunagu`` command asks the apps for their commands, not the reverse."""
    app_modules = [p for p in SRC.glob("*/**/*.py") if "migrations" not in p.parts]

    assert len(app_modules) > 50
    importing = [
        str(p.relative_to(SRC))
        for p in app_modules
        if any(m == "tsunagu.cli" or m.startswith("tsunagu.cli.") for m in _imported_modules(p))
    ]
    assert importing == []


def _literal_patterns(patterns: list, prefix: str = ""):
    """(path, pattern) of every URL without a converter, descending into includes."""
    for pattern in patterns:
        route = str(pattern.pattern)
        if "<" in route or "^" in route:
            continue
        if isinstance(pattern, URLResolver):
            yield from _literal_patterns(pattern.url_patterns, prefix + route)
        elif isinstance(pattern, URLPattern):
            yield prefix + route, pattern


def test_every_registered_url_module_is_mounted_and_resolves_unshadowed():
    mounted = {
        (str(p.pattern), p.urlconf_module.__name__)
        for p in get_resolver().url_patterns
        if isinstance(p, URLResolver) and not isinstance(p.urlconf_module, list)
    }
    mounts = url_mounts()

    # Every app's URL modules, each once, and no two under one prefix.
    assert sorted(mounts, key=str) == sorted(
        {mount for app in registered_apps() for mount in app.urls}, key=str
    )
    for mount in mounts:
        assert (mount.prefix, mount.module) in mounted
        literal = list(_literal_patterns(get_resolver(mount.module).url_patterns))
        assert literal, mount
        for path, pattern in literal:
            match = resolve("/" + mount.prefix + path)
            # Not shadowed by another app's pages mounted earlier under a shorter prefix.
            assert match.func == pattern.callback, (mount, path, match.route)


def test_transit_mounts_its_own_pages_under_mobility():
    by_app = {plugin.label: plugin for plugin in registered_apps()}

    assert {m.module for m in by_app["transit"].urls} == {
        "tsunagu.transit.urls",
        "tsunagu.transit.gap.urls",
    }
    assert all(m.module.startswith("tsunagu.mobility.") for m in by_app["mobility"].urls)
    assert resolve("/mobility/transit/").namespace == "transit"
    assert resolve("/mobility/gap/").namespace == "transit_gap"


def test_a_longer_prefix_is_mounted_before_the_shorter_one_it_extends_whatever_the_order():
    public = UrlMount("public/", "tsunagu.directory.urls_public")
    bodies = UrlMount("public/bodies/", "tsunagu.bodies.urls_public")
    areas = UrlMount("areas/", "tsunagu.areas.urls")

    assert _specific_first([public, areas, bodies]) == [bodies, public, areas]
    assert _specific_first([bodies, areas, public]) == [bodies, areas, public]
    prefixes = [m.prefix for m in url_mounts()]
    assert prefixes.index("directory/io/") < prefixes.index("directory/")
    assert prefixes.index("public/bodies/") < prefixes.index("public/")
    api_prefixes = [m.prefix for m in api_mounts()]
    assert api_prefixes.index("/mobility/legal-check") < api_prefixes.index("/mobility")


def test_the_api_has_the_same_operations_as_before():
    schema = api.get_openapi_schema()
    operations = sorted(
        f"{method.upper()} {path}" for path, item in schema["paths"].items() for method in item
    )

    assert operations == sorted(API_OPERATIONS)
