"""Seeded issue themes (DOMAIN: 移動・交通, 買い物 …); administrators may add more."""

THEMES: list[tuple[str, str, str]] = [
    ("mobility", "移動・交通", "Mobility and transport"),
    ("shopping", "買い物", "Shopping"),
    ("watching", "見守り・安否確認", "Watching and safety checks"),
    ("dementia", "認知症", "Dementia"),
    ("prevention-health", "介護予防・健康", "Care prevention and health"),
    ("daily-life", "生活支援（ゴミ出し等）", "Daily-life support (rubbish etc.)"),
    ("gathering", "居場所・通いの場", "Places to gather"),
    ("disaster", "防災", "Disaster preparedness"),
    ("workforce", "担い手不足", "Lack of helpers"),
    ("information-sharing", "情報共有・連携", "Information sharing and cooperation"),
    ("other", "その他", "Other"),
]


def seed(apps=None) -> None:  # type: ignore[no-untyped-def]
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    theme_model = apps.get_model("regional_issues", "Theme")
    for order, (code, name, name_en) in enumerate(THEMES):
        theme_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": (order + 1) * 10}
        )
