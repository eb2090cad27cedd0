"""How the shared core plugs into the project: the API's sign-in (token) endpoints, the job
pages under /jobs/, and the operator's commands (``tsunagu backup`` / ``tsunagu restore`` and
``tsunagu worker``)."""

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


def register() -> None:
    register_app(PLUGIN)
