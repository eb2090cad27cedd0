"""The 総合事業 catalog (DOMAIN.md 4.2): national reference data, defined once.

The directory's service-type tag (``SogoServiceType`` on a resource) is built from this list,
and the programs app shows one page per type; neither keeps a second list. It lives in the
directory because the directory (imports, HSDS, search facets, exports) reads the tag and
sits below programs.

Each type keeps its pre-2024 name (``name``, the label the directory has always shown) and
the 2024 guideline name (``name_2024``, サービス・活動 **[S]**); both, and the aliases, are
accepted wherever a type is read from text (:func:`lookup`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

HOME = "home"
DAY = "day"
OTHER = "other"
CARE_MANAGEMENT = "care_management"
GENERAL_PREVENTION = "general_prevention"

GROUPS: tuple[tuple[str, str | Promise], ...] = (
    (HOME, _("訪問型サービス（サービス・活動事業）")),
    (DAY, _("通所型サービス（サービス・活動事業）")),
    (OTHER, _("その他の生活支援サービス")),
    (CARE_MANAGEMENT, _("介護予防ケアマネジメント")),
    (GENERAL_PREVENTION, _("一般介護予防事業")),
)


@dataclass(frozen=True)
class CatalogType:
    """One type of the 総合事業. ``parent`` is the code of the type this one is a part of."""

    code: str
    group: str
    name: str | Promise
    name_2024: str
    description: str | Promise
    aliases: tuple[str, ...] = ()
    parent: str = ""

    @property
    def group_label(self) -> str:
        return str(dict(GROUPS)[self.group])

    @property
    def all_names(self) -> tuple[str, ...]:
        names = [str(self.name), self.name_2024, *self.aliases]
        return tuple(dict.fromkeys(n for n in names if n))


# The order is the order of 4.2 and of every list and facet that shows the types.
CATALOG: tuple[CatalogType, ...] = (
    CatalogType(
        "home_equivalent",
        HOME,
        _("訪問型サービス（従前相当）"),
        "訪問型サービス・活動（従前相当）",
        _("旧介護予防訪問介護に相当する、訪問介護員による身体介護・生活援助。"),
        ("訪問型従前相当", "介護予防訪問介護相当サービス", "訪問型現行相当", "訪問介護相当"),
    ),
    CatalogType(
        "home_a",
        HOME,
        _("訪問型サービスA"),
        "訪問型サービス・活動A",
        _("緩和した基準による生活援助等（事業者によるサービス）。"),
        ("訪問A", "訪問型A", "緩和した基準による訪問型サービス"),
    ),
    CatalogType(
        "home_b",
        HOME,
        _("訪問型サービスB"),
        "訪問型サービス・活動B",
        _("住民主体の自主活動として行う生活援助等（補助等による支援）。"),
        ("訪問B", "訪問型B", "住民主体による訪問型サービス", "住民主体の訪問型サービス"),
    ),
    CatalogType(
        "home_c",
        HOME,
        _("訪問型サービスC"),
        "訪問型サービス・活動C",
        _("保健・医療の専門職が居宅で行う短期集中予防サービス（3〜6か月）。"),
        ("訪問C", "訪問型C", "短期集中予防サービス（訪問型）", "訪問型短期集中予防サービス"),
    ),
    CatalogType(
        "home_d",
        HOME,
        _("訪問型サービスD（移動支援）"),
        "訪問型サービス・活動D",
        _("移送前後の生活支援などの移動支援。"),
        ("訪問D", "訪問型D", "サービスD", "移動支援（総合事業）"),
    ),
    CatalogType(
        "day_equivalent",
        DAY,
        _("通所型サービス（従前相当）"),
        "通所型サービス・活動（従前相当）",
        _("旧介護予防通所介護に相当する、通所介護事業所での機能訓練等。"),
        ("通所型従前相当", "介護予防通所介護相当サービス", "通所型現行相当", "通所介護相当"),
    ),
    CatalogType(
        "day_a",
        DAY,
        _("通所型サービスA"),
        "通所型サービス・活動A",
        _("緩和した基準によるミニデイサービス、運動・レクリエーション等。"),
        ("通所A", "通所型A", "緩和した基準による通所型サービス"),
    ),
    CatalogType(
        "day_b",
        DAY,
        _("通所型サービスB"),
        "通所型サービス・活動B",
        _("住民主体による通いの場（体操、運動等の活動）。"),
        ("通所B", "通所型B", "住民主体による通所型サービス", "住民主体の通所型サービス"),
    ),
    CatalogType(
        "day_c",
        DAY,
        _("通所型サービスC"),
        "通所型サービス・活動C",
        _("専門職が集中して関わる短期集中予防サービス（3〜6か月）。"),
        ("通所C", "通所型C", "短期集中予防サービス（通所型）", "通所型短期集中予防サービス"),
    ),
    CatalogType(
        "other_livelihood",
        OTHER,
        _("その他の生活支援サービス"),
        "その他の生活支援サービス・活動",
        _("栄養改善を目的とした配食、住民ボランティア等が行う見守りなど。"),
        ("その他生活支援サービス", "配食", "見守り（総合事業）"),
    ),
    CatalogType(
        "care_management",
        CARE_MANAGEMENT,
        _("介護予防ケアマネジメント"),
        "介護予防ケアマネジメント",
        _("地域包括支援センター等が行う、事業対象者・要支援者のケアマネジメント。"),
        ("ケアマネジメント", "第1号介護予防支援事業"),
    ),
    CatalogType(
        "general_prevention",
        GENERAL_PREVENTION,
        _("一般介護予防事業"),
        "一般介護予防事業",
        _("すべての第1号被保険者とその支援のための活動に関わる者を対象とする事業（5事業）。"),
        ("一般介護予防",),
    ),
    CatalogType(
        "gp_identification",
        GENERAL_PREVENTION,
        _("介護予防把握事業"),
        "介護予防把握事業",
        _("閉じこもり等の何らかの支援を要する者を把握し、介護予防活動へつなげる。"),
        ("把握事業",),
        parent="general_prevention",
    ),
    CatalogType(
        "gp_awareness",
        GENERAL_PREVENTION,
        _("介護予防普及啓発事業"),
        "介護予防普及啓発事業",
        _("介護予防活動の普及・啓発（講座、パンフレット等）。"),
        ("普及啓発事業",),
        parent="general_prevention",
    ),
    CatalogType(
        "gp_community_activity",
        GENERAL_PREVENTION,
        _("地域介護予防活動支援事業"),
        "地域介護予防活動支援事業",
        _("住民主体の介護予防活動（通いの場等）の育成・支援。"),
        ("地域介護予防活動支援", "活動支援事業"),
        parent="general_prevention",
    ),
    CatalogType(
        "gp_evaluation",
        GENERAL_PREVENTION,
        _("一般介護予防事業評価事業"),
        "一般介護予防事業評価事業",
        _("介護保険事業計画の目標の達成状況等を検証し、一般介護予防事業を評価する。"),
        ("事業評価事業",),
        parent="general_prevention",
    ),
    CatalogType(
        "gp_rehabilitation",
        GENERAL_PREVENTION,
        _("地域リハビリテーション活動支援事業"),
        "地域リハビリテーション活動支援事業",
        _("通所・訪問・地域ケア会議・通いの場等へのリハビリテーション専門職等の関与を促進する。"),
        ("地域リハビリテーション活動支援", "地域リハ活動支援事業"),
        parent="general_prevention",
    ),
)

BY_CODE: dict[str, CatalogType] = {t.code: t for t in CATALOG}
GROUP_CODES: tuple[str, ...] = tuple(code for code, _label in GROUPS)


def catalog_choices() -> list[tuple[str, str | Promise]]:
    """``(code, name)`` pairs for a model field's choices, in catalog order."""
    return [(t.code, t.name) for t in CATALOG]


def get(code: str) -> CatalogType | None:
    return BY_CODE.get(code)


def parts_of(code: str) -> list[CatalogType]:
    return [t for t in CATALOG if t.parent == code]


def by_group() -> list[tuple[str, str, list[CatalogType]]]:
    """``(group code, label, types)`` in catalog order, for the catalog page."""
    return [(code, str(label), [t for t in CATALOG if t.group == code]) for code, label in GROUPS]


# --- reading a type from text ------------------------------------------------------------------

_BRACKETS = str.maketrans({"（": "(", "）": ")", "［": "(", "］": ")", "【": "(", "】": ")"})
# 「サービスB（訪問型）」「サービス・活動C(通所型)」 → 「訪問型サービスB」
_LETTER_FIRST = re.compile(r"^サービス([A-D])\((訪問型|通所型|訪問|通所)\)$")


def normalise(text: str) -> str:
    """The key a type name is compared by: NFKC, no spaces or dots, サービス・活動 = サービス."""
    key = unicodedata.normalize("NFKC", str(text)).translate(_BRACKETS)
    key = re.sub(r"[\s_\-]", "", key).upper()
    key = key.replace("サービス・活動", "サービス").replace("・活動", "")
    match = _LETTER_FIRST.match(key)
    if match:
        kind = match.group(2) if match.group(2).endswith("型") else f"{match.group(2)}型"
        key = f"{kind}サービス{match.group(1)}"
    return key


@cache
def _alias_index() -> dict[str, str]:
    index: dict[str, str] = {}
    bases: dict[str, set[str]] = {}
    for t in CATALOG:
        for text in (t.code, *t.all_names):
            key = normalise(text)
            index.setdefault(key, t.code)
            base = key.split("(")[0]
            # 「通所型サービス」 alone is the group, not 従前相当.
            if base and base != key and "従前相当" not in key:
                bases.setdefault(base, set()).add(t.code)
    # A name without its bracket (「訪問型サービスD」) only when it names one type:
    # 「短期集中予防サービス」 alone stays unknown.
    for base, codes in bases.items():
        if len(codes) == 1:
            index.setdefault(base, next(iter(codes)))
    return index


def lookup(text: str) -> CatalogType | None:
    """The type ``text`` names (code, official or 2024 name, alias; 表記ゆれ tolerated), or
    ``None``. Used by the directory's imports and HSDS reader when reading a type."""
    if not text or not str(text).strip():
        return None
    code = _alias_index().get(normalise(text))
    if code is None and str(text).strip().lower() in BY_CODE:
        code = str(text).strip().lower()
    return BY_CODE.get(code) if code else None
