"""How plans, shared goals, indicators and PDCA plug into the project."""

from tsunagu.core.plugins import AppPlugin, UrlMount, register_app, register_hook
from tsunagu.plans import figures
from tsunagu.plans.agreements import jobs as review_jobs
from tsunagu.plans.casesheets import jobs as casesheet_jobs

PLUGIN = AppPlugin(
    label="plans",
    # Two URL modules under one prefix: plans, agreements and PDCA (namespace "plans");
    # indicators, money, councils and prefecture case sheets (their own namespaces).
    urls=(
        UrlMount("plans/", "tsunagu.plans.urls"),
        UrlMount("plans/", "tsunagu.plans.urls_figures"),
    ),
    cli="tsunagu.plans.cli:add_commands",
)


def register() -> None:
    from tsunagu.core.context_processors import MAIN_NAV_HOOK
    from tsunagu.plans import nav
    from tsunagu.plans.records import sections

    register_app(PLUGIN)
    review_jobs.register()  # the daily check for role agreements due for review
    casesheet_jobs.register()  # the prefectures' case-sheet PDF / .xlsx
    register_hook(MAIN_NAV_HOOK, "plans", nav.main_nav_items)
    sections.register()
    figures.register()  # 指標・財政 menu entry, `tsunagu case-sheet --prefecture`
