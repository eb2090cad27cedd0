"""The seeded resource taxonomy and eligibility list (administrators may add more)."""

from __future__ import annotations

# (code, name, name_en, parent code or None)
CATEGORIES: list[tuple[str, str, str, str | None]] = [
    ("daily-life", "生活支援", "Daily-life support", None),
    ("watching", "見守り・安否確認", "Watching and safety checks", "daily-life"),
    ("emergency-alarm", "緊急通報装置", "Emergency call devices", "watching"),
    ("garbage", "ゴミ出し支援", "Help with taking out rubbish", "daily-life"),
    ("shopping", "買い物支援", "Shopping support", "daily-life"),
    ("housework", "家事援助", "Housework help", "daily-life"),
    ("meals", "配食", "Meal delivery", "daily-life"),
    ("mobility", "移動支援・送迎", "Mobility support and transport", None),
    ("escort", "付き添い", "Escort (outings, hospital visits)", "mobility"),
    (
        "community-bus",
        "コミュニティバス・デマンド交通",
        "Community and demand-responsive buses",
        "mobility",
    ),
    ("gathering", "通いの場・サロン", "Gathering places and salons", None),
    ("exercise", "体操・介護予防教室", "Exercise and care-prevention classes", "gathering"),
    ("dementia-cafe", "認知症カフェ", "Dementia cafés", "gathering"),
    ("health", "健康・相談", "Health and consultation", None),
    ("health-consultation", "健康相談", "Health consultation", "health"),
    ("consultation-desk", "相談窓口", "Consultation desks", "health"),
    ("outreach-lecture", "出前講座", "Outreach lectures", "health"),
    ("disaster", "防災", "Disaster preparedness", None),
    ("volunteer-training", "担い手養成・研修", "Volunteer training", None),
    ("other", "その他", "Other", None),
]

# (code, name, name_en)
ELIGIBILITY: list[tuple[str, str, str]] = [
    ("anyone", "誰でも", "Anyone"),
    ("age-65", "65歳以上", "Aged 65+"),
    ("support-required", "要支援", "Certified support required (要支援)"),
    ("program-eligible", "事業対象者", "Program-eligible (事業対象者)"),
    ("care-required", "要介護", "Certified care required (要介護)"),
    ("living-alone", "一人暮らしの方", "People living alone"),
    ("elderly-household", "高齢者のみの世帯", "Older-only households"),
    ("disability", "障害のある方", "People with disabilities"),
    ("family-carer", "家族介護者", "Family carers"),
    ("members", "会員", "Members"),
]


def seed(apps=None) -> None:  # type: ignore[no-untyped-def]
    """Create the seeded taxonomy if missing (idempotent; used by the data migration)."""
    if apps is None:
        from django.apps import apps as django_apps

        apps = django_apps
    category_model = apps.get_model("directory", "Category")
    eligibility_model = apps.get_model("directory", "Eligibility")
    by_code = {}
    for order, (code, name, name_en, parent) in enumerate(CATEGORIES):
        category, _ = category_model.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "name_en": name_en,
                "parent": by_code.get(parent),
                "sort_order": (order + 1) * 10,
            },
        )
        by_code[code] = category
    for order, (code, name, name_en) in enumerate(ELIGIBILITY):
        eligibility_model.objects.get_or_create(
            code=code, defaults={"name": name, "name_en": name_en, "sort_order": (order + 1) * 10}
        )
