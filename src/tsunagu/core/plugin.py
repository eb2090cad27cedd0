"""How the shared core plugs into the project: the API's sign-in (token) endpoints, the job
pages under /jobs/, and the operator's commands (``tsunagu backup`` / ``tsunagu restore`` and
``tsunagu worker``)."""

import datetime

from django.utils.translation import gettext_lazy

from tsunagu.core.jobs.registry import JobKind, Periodic, register_job_kind, register_periodic
from tsunagu.core.plugins import ApiMount, AppPlugin, CommandLine, UrlMount, register_app


def add_commands(cli: CommandLine) -> None:
    """The operator's commands, each from its feature package."""
    from tsunagu.core.jobs.cli import add_commands as add_job_commands
    from tsunagu.core.operations.cli import register as add_operation_commands

    add_operation_commands(cli)
    add_job_commands(cli)


PLUGIN = AppPlugin(
    label="core",
    urls=(UrlMount("jobs/", "tsunagu.core.jobs.urls"),),
    api=(ApiMount("/auth/", "tsunagu.core.api.auth:router"),),
    cli="tsunagu.core.plugin:add_commands",
)


JOB_FILES_CLEANUP = "core.job_files"


def register() -> None:
    from tsunagu.core.cache_versions import install as watch_database_writes

    register_app(PLUGIN)
    # Every write through a database connection renews the data version that kept pages
    # (the dashboard's panels) are keyed by.
    watch_database_writes()
    # Files of finished jobs (uploads kept for 再実行, results to download) are removed
    # TSUNAGU_JOB_RESULT_DAYS after the job finished (core/jobs/files.py).
    register_job_kind(
        JobKind(
            code=JOB_FILES_CLEANUP,
            label=gettext_lazy("ジョブのファイルの削除（保存期間）"),
            handler="tsunagu.core.jobs.files:job_files_cleanup_run",
            resumable=True,  # removing files twice is harmless
        )
    )
    register_periodic(
        Periodic(
            kind=JOB_FILES_CLEANUP,
            at=datetime.time(2, 45),
            title="保存期間を過ぎたジョブのファイルの削除",
        )
    )
