"""How the directory plugs into the project: its pages (signed-in, import/export, public),
the API, ``tsunagu hsds`` and ``tsunagu directory``, the site's landing page, panels, and
its background job kinds (the import)."""

from django.utils.translation import gettext_lazy

from tsunagu.core.history import FIELD_MASK_HOOK, VERSION_FILTER_HOOK
from tsunagu.core.jobs.registry import JobKind, register_job_kind
from tsunagu.core.plugins import ApiMount, AppPlugin, UrlMount, register_app, register_hook
from tsunagu.directory import jobs, panels, permissions
from tsunagu.directory.views import public as public_views

PLUGIN = AppPlugin(
    label="directory",
    urls=(
        UrlMount("directory/io/", "tsunagu.directory.imports.urls"),
        UrlMount("directory/", "tsunagu.directory.urls"),
        UrlMount("public/", "tsunagu.directory.urls_public"),
    ),
    api=(ApiMount("/directory/", "tsunagu.directory.api:router"),),
    cli="tsunagu.directory.cli:add_commands",
)


def register() -> None:
    register_app(PLUGIN)
    register_job_kind(
        JobKind(
            code="directory.import",
            label=gettext_lazy("地域資源の取り込み"),
            handler="tsunagu.directory.imports.jobs:import_job_run",
            resumable=True,  # validation reads; the commit is all or nothing
        )
    )
    jobs.register()  # the search-index rebuild and HSDS imports
    # "/" leads residents to the public directory (the project's urls.py asks for this hook).
    register_hook("landing_page", "directory", public_views.landing)
    panels.register()
    # The dashboard's kept directory figures end with any write of the records they count.
    from django.db.models.signals import post_delete, post_save

    from tsunagu.directory.counts import changed
    from tsunagu.directory.models import Organisation, Resource

    for model in (Organisation, Resource):
        post_save.connect(
            changed, sender=model, dispatch_uid=f"directory-counts-save-{model.__name__}"
        )
        post_delete.connect(
            changed, sender=model, dispatch_uid=f"directory-counts-delete-{model.__name__}"
        )
    # Which past versions and values of its records a reader sees (core.history asks).
    register_hook(VERSION_FILTER_HOOK, "directory", permissions.history_version_filter)
    register_hook(FIELD_MASK_HOOK, "directory", permissions.history_field_mask)
