"""Consultative bodies, meetings and regional issues the seed report describes, as pure data.

Conventions as in report_data.py and report_directory.py: only what the report says, each
record with its source (case sheet or section of the report, as users cite it). The report
prints no person's name, so there are no people: bodies have no coordinator, meetings no
facilitator, members and attendance are organisations of the demo directory.

* Organisations and resources are referred to by their ``key`` in report_directory.py; the
  loader finds them by scope (municipality, prefecture or national) and name.
* Areas are referred to by name within the record's municipality (report_data.py).
* Dates: where the report prints a day, that day. Where it prints only a month, the 1st;
  only a fiscal year (年度), April 1; both are said in the record's source or reason.
* Times: the report prints no time of day. Meetings need one, so they start at 10:00
  with a note in the minutes that the time is a placeholder (「（仮）」).
* Counts without names (鹿児島市's 17 圏域, 佐伯市's 9 第2層 areas) get generic names
  (第1圏域 …, 第1地域 …) with a source saying so.
* Who sat on a body is only recorded where the report names the organisation and the
  directory has it. Participants the directory does not have (鹿児島市's 民生委員 and
  自治会長, four of the six members of 吉野地域支えあい座談会) are described in the body's
  purpose instead; a member marked ``optional`` is added only once the directory has it.
* Stage paths list the stages an issue went through as the report tells it; ``on`` is the
  date the report supports (or None when it gives none). The services record a stage
  change at the time of loading unless they accept a past date (see bodies_loader.py).

Shapes
------
BODIES:               {"key", "municipality" (code), "name", "kind", "layer", "daily_life_area"
                       (name) | None, "district" (name) | None, "parent" (body key) | None,
                       "host_organisation" (org key) | None, "secretariat" (org key) | None,
                       "purpose", "meeting_frequency", "is_resident_led", "status",
                       "established_on" (ISO) | None, "source",
                       "members": [{"organisation" (org key), "role", "starts_on", "optional"}]}
CERTIFICATION_RULES:  {"municipality", "name", "effective_from", requirement fields, "note"}
CERTIFICATIONS:       {"body", "rules" (name), "submitted_on", "decided_on", "reason"}
MEETINGS:             {"body", "title", "starts_at" (ISO local), "place", "agenda", "minutes",
                       "status", "attendance": [{"organisation", "note"}]}
MEETING_SERIES:       {"body", "first_starts_at", "covered_until", "place", "first": {...},
                       "later_title_suffix", "later_minutes", "later_minutes_held"}
ISSUES:               {"key", "municipality", "title", "description", "themes" [codes],
                       "daily_life_areas" [names], "districts" [names], "body" | None,
                       "source_kind", "source_note", "raised_on", "raised_by_organisation",
                       "target", "plan", "started_on", "resources" [keys],
                       "organisations" [keys], "source",
                       "executing_actors": [{"organisation", "role", "agreed_on"}],
                       "stages": [{"to", "on", "reason"}], "ideas": [{"text", "proposer"}]}
"""

from __future__ import annotations

from typing import Any

KAWARA = "406015"
KURUME = "402036"
SAIKI = "442054"
KAGOSHIMA = "462012"
IZUMI = "462080"

# The last month the report covers (令和7年7月 publication, report.txt 6行; 情報収集の期間
# 令和7年4月〜同年7月, report.txt 62–64行): a monthly series is not extended past it.
REPORT_COVERS_UNTIL = "2025-07-31"
PLACEHOLDER_TIME_NOTE = "※開始時刻は報告書に記載がないため仮の時刻（10:00）（仮）。"


def _member(
    organisation: str, role: str = "member", starts_on: str | None = None, optional: bool = False
) -> dict[str, Any]:
    return {
        "organisation": organisation,
        "role": role,
        "starts_on": starts_on,
        "optional": optional,
    }


def _body(
    key: str,
    municipality: str,
    name: str,
    kind: str,
    *,
    source: str,
    purpose: str,
    layer: int | None = None,
    daily_life_area: str | None = None,
    district: str | None = None,
    parent: str | None = None,
    host_organisation: str | None = None,
    secretariat: str | None = None,
    meeting_frequency: str = "",
    is_resident_led: bool = False,
    status: str = "active",
    established_on: str | None = None,
    members: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    return {
        "key": key,
        "municipality": municipality,
        "name": name,
        "kind": kind,
        "layer": layer,
        "daily_life_area": daily_life_area,
        "district": district,
        "parent": parent,
        "host_organisation": host_organisation,
        "secretariat": secretariat,
        "purpose": purpose,
        "meeting_frequency": meeting_frequency,
        "is_resident_led": is_resident_led,
        "status": status,
        "established_on": established_on,
        "source": source,
        "members": list(members),
    }


# ---------------------------------------------------------------------------------------
# 鹿児島市: 17 地域ケア推進会議, one 地域ケア分科会議 under each, 吉野地域支えあい座談会
# ---------------------------------------------------------------------------------------

# 郡山地域's 分科会議 is one of the 17 (「このうち、郡山地域では」, report.txt 1440行), but
# the report does not say in which 圏域 郡山地域 lies: it is put under the generic 第1圏域.
KORIYAMA_AREA_NUMBER = 1

_PROMOTION_PURPOSE = (
    "長寿あんしん課が日常生活圏域ごとに開催し、地域包括（鹿児島市では「長寿あんしん相談センター」"
    "と呼称）が主催する地域ケア推進会議。介護支援専門員、サービス事業者、民生委員、住民組織代表者"
    "等で構成され、各圏域における地域包括支援ネットワークの構築、地域課題の発見、地域づくり・資源"
    "開発、政策の形成を目的として各圏域で地域課題を把握する。令和2年度以前から地域課題として"
    "「買い物・移動支援」に関する意見が多く、令和3年度には「支えあいによる移動支援」をメインテーマ"
    "として開催した。対象とする圏域が広すぎること、アイディアは出るものの実際に解決を図る担い手"
    "（実行部隊）が存在しないことから、令和6年度から下に地域ケア分科会議を設置。"
    "（構成員の団体名は報告書に記載がないため構成員は未登録）"
)
_PROMOTION_SRC = (
    "圏域名は汎用名（報告書は17圏域とのみ記載）。事例表№3 鹿児島市 1(1), 1(2); II 1 ②《鹿児島市》"
)
_SUBCOMMITTEE_PURPOSE = (
    "日常生活圏域よりも小さい中学校区域等の範囲に絞って、地域の関係者と共に地域包括ケアシステム"
    "の構築に関する課題抽出や解決に向けた検討を行う場。地域包括（長寿あんしん相談センター）が開催"
    "し、地域住民が自ら地域課題を検討し、認知症対策や高齢者の見守りなど地域ごとの課題をテーマに"
    "設定して解決の方向性等を検討する。"
)
_SUBCOMMITTEE_SRC = (
    "圏域名は汎用名。令和6年度設置（年度のみ記載のため4月1日）。事例表№3 鹿児島市 2(1) "
    "; II 1 ②《鹿児島市》"
)


def _kagoshima_care_bodies() -> list[dict[str, Any]]:
    bodies: list[dict[str, Any]] = []
    for number in range(1, 18):
        area = f"第{number}圏域"
        bodies.append(
            _body(
                f"kagoshima-promotion-{number}",
                KAGOSHIMA,
                f"地域ケア推進会議（{area}）",
                "care_promotion",
                daily_life_area=area,
                host_organisation="kagoshima-houkatsu",
                purpose=_PROMOTION_PURPOSE,
                meeting_frequency="年2回（令和6年度から。令和5年度までは年3回）",
                source=_PROMOTION_SRC,
            )
        )
    for number in range(1, 18):
        area = f"第{number}圏域"
        if number == KORIYAMA_AREA_NUMBER:
            bodies.append(
                _body(
                    "kagoshima-koriyama-subcommittee",
                    KAGOSHIMA,
                    "地域ケア分科会議（郡山地域）",
                    "care_subcommittee",
                    daily_life_area=area,
                    district="郡山地域",
                    parent=f"kagoshima-promotion-{number}",
                    host_organisation="kagoshima-houkatsu",
                    established_on="2024-04-01",
                    purpose=(
                        _SUBCOMMITTEE_PURPOSE
                        + "郡山地域では移動支援をテーマとして設定し、民生委員、自治会長と意見交換や、"
                        "SCによる支えあい活動団体の事例紹介を行うなどの取組を実施している。"
                        "（参加する民生委員・自治会長は団体・人としてディレクトリに登録がないため"
                        "構成員には未登録。郡山地域が属する圏域は報告書に記載がないため、汎用の"
                        f"{area}の推進会議の下に仮に置いている（仮））"
                    ),
                    source=(
                        f"郡山地域の属する圏域は記載なし（{area}に仮に置く（仮））。令和6年度設置"
                        "（4月1日）。事例表№3 鹿児島市 2(1); "
                        "II 1 ②《鹿児島市》"
                    ),
                )
            )
            continue
        bodies.append(
            _body(
                f"kagoshima-subcommittee-{number}",
                KAGOSHIMA,
                f"地域ケア分科会議（{area}）",
                "care_subcommittee",
                daily_life_area=area,
                parent=f"kagoshima-promotion-{number}",
                host_organisation="kagoshima-houkatsu",
                established_on="2024-04-01",
                purpose=_SUBCOMMITTEE_PURPOSE
                + "（対象とする区域・テーマ・構成員は報告書に記載なし）",
                source=_SUBCOMMITTEE_SRC,
            )
        )
    return bodies


_YOSHINO_PURPOSE = (
    "「鹿児島市第2層協議体認定要領」に基づき市が認定した地域支えあい座談会（第2層協議体）。"
    "高齢者支援を目的とする支えあいの地域づくりに意欲のある地域の多様な主体で構成され、地域"
    "コミュニティ協議会、介護サービス事業所、民間企業、地域住民などを含む地域の主体が支えあう"
    "地域づくりを目指して、情報共有、連携・協働による取組を推進するための定期的な「語り合いの場」。"
    "吉野校区コミュニティ協議会のほか自動車学校など6団体で構成（ほかの4団体は報告書に名称の記載"
    "がなく、ディレクトリに登録がないため構成員は未登録）。設立段階から地区担当の生活支援"
    "コーディネーター（SC）が支援している（SCの氏名は報告書に記載なし）。福祉や介護に関する送迎・"
    "移動支援のドライバー等向けに、運転スキルや介護技術を学べるセミナーを自動車学校で開催。"
)

KAGOSHIMA_BODIES: list[dict[str, Any]] = [
    *_kagoshima_care_bodies(),
    _body(
        "kagoshima-yoshino",
        KAGOSHIMA,
        "吉野地域支えあい座談会",
        "mutual_support_forum",
        layer=2,
        district="吉野校区",
        is_resident_led=True,
        purpose=_YOSHINO_PURPOSE,
        members=(
            _member("yoshino-council"),
            _member("yoshino-driving-school"),
            # The four members the report does not name: added once the directory has them.
            *(_member(f"yoshino-member-{n}", optional=True) for n in range(3, 7)),
        ),
        source=(
            "事例表№3 鹿児島市 2(2); II 1 ②《鹿児島市》。"
            "構成6団体のうち名称の記載は吉野校区コミュニティ協議会と自動車学校のみ"
        ),
    ),
]

# ---------------------------------------------------------------------------------------
# 香春町: the monthly 定例会 from 令和7年4月17日
# ---------------------------------------------------------------------------------------

_KAWARA_TEIREIKAI_SRC = "事例表№1 香春町 2; II 1 ①《香春町》"

KAWARA_BODIES: list[dict[str, Any]] = [
    _body(
        "kawara-teireikai",
        KAWARA,
        "定例会（採銅所地域）",
        "regular",
        district="採銅所地域",
        established_on="2025-04-17",
        meeting_frequency="原則月1回",
        purpose=(
            "採銅所地域コミュニティ協議会、香春町まちづくり課、保険健康課包括支援センター係及び"
            "社会福祉協議会（第1層生活支援コーディネーター。町全域を担当するSC）による定例会。"
            "伴走的支援が終了した令和7年度から、令和7年4月17日の1回目以降原則月1回開催し、"
            "高齢者への生活支援体制の整備を含め地域課題への対応に向けた協議を進めている。"
            "（名称は報告書の「定例会」に地域名を補ったもの）"
        ),
        members=(
            _member("saidosho-council", starts_on="2025-04-17"),
            _member("kawara-machizukuri", starts_on="2025-04-17"),
            _member("kawara-houkatsu", starts_on="2025-04-17"),
            _member("kawara-shakyo", starts_on="2025-04-17"),
        ),
        source=_KAWARA_TEIREIKAI_SRC,
    ),
]

# ---------------------------------------------------------------------------------------
# 佐伯市: 第1層 (SC 2), nine 第2層 (SC 17), 庁外・庁内連携会議
# ---------------------------------------------------------------------------------------

_SAIKI_LAYER_PURPOSE = (
    "生活支援コーディネーター（SC）と地域住民や各種団体・企業など様々な分野・関係者で構成される"
    "協議体で、地域の困りごとなどを話し合い、解決するために連携・協力しながら高齢者の生活を支援"
    "する体制の充実や社会参加の推進を図る。市が佐伯市社会福祉協議会に生活支援体制整備事業の実施"
    "を委託して設置。"
)
_SAIKI_LIAISON_PURPOSE = (
    "「第4期佐伯市地域福祉計画・地域福祉活動計画」（令和6年3月）の基本方針「『佐伯ならでは』の"
    "包括的な相談支援の推進」に基づき、各分野に横断的にまたがる課題解決のため設置した三つの協議体"
    "の一つ。庁内外の連携体制づくりと相談支援体制の強化を図る。（名称の「層」は生活支援体制整備"
    "事業の第1層・第2層とは別。三つ目の協議体の名称と各協議体の構成員は報告書に記載なし）"
)
_SAIKI_LIAISON_SRC = "事例表№2 佐伯市 2(3)"

SAIKI_BODIES: list[dict[str, Any]] = [
    _body(
        "saiki-layer1",
        SAIKI,
        "第1層協議体（市全域）",
        "layer1",
        layer=1,
        host_organisation="saiki-shakyo",
        purpose=_SAIKI_LAYER_PURPOSE
        + "市内全域を対象とし、SC2人を配置。（構成員は報告書に記載なし）",
        source="名称は報告書の記載による汎用名。事例表№2 佐伯市 2(3)",
    ),
    *[
        _body(
            f"saiki-layer2-{number}",
            SAIKI,
            f"第2層協議体（第{number}地域）",
            "layer2",
            layer=2,
            host_organisation="saiki-shakyo",
            purpose=_SAIKI_LAYER_PURPOSE
            + "市内を9地域に分けて配置した第2層協議体の一つで、地域の実情に合った話し合いの場。"
            "9地域の第2層協議体にSC計17人を配置。直川地域コミュニティ協議会の取組も同地域担当の"
            "SCが設立段階から支援している（どの第2層協議体かは記載なし）。"
            "（地域名・構成員は報告書に記載なし）",
            source=("地域名は汎用名（報告書は9地域・SC17人とのみ記載）。事例表№2 佐伯市 2(3)"),
        )
        for number in range(1, 10)
    ],
    _body(
        "saiki-external-liaison",
        SAIKI,
        "第1層会議（庁外連携会議）",
        "external_liaison",
        purpose=_SAIKI_LIAISON_PURPOSE,
        source=_SAIKI_LIAISON_SRC,
    ),
    _body(
        "saiki-internal-liaison",
        SAIKI,
        "第2層会議（庁内連携会議）",
        "internal_liaison",
        purpose=_SAIKI_LIAISON_PURPOSE,
        source=_SAIKI_LIAISON_SRC,
    ),
]

# ---------------------------------------------------------------------------------------
# 出水市: SC定例会 (monthly) and the いきいき長寿課 検討チーム
# ---------------------------------------------------------------------------------------

IZUMI_BODIES: list[dict[str, Any]] = [
    _body(
        "izumi-sc-teireikai",
        IZUMI,
        "SC定例会",
        "regular",
        meeting_frequency="毎月",
        purpose=(
            "生活支援コーディネーター（SC）の定例会（毎月実施）。伴走的支援を受けて、SCとの連携強化"
            "を目的に、いきいき長寿課の保健師、認知症地域支援推進員もSC定例会に参加し、情報交換等を"
            "実施している。（SCの所属団体は、伴走的支援の意見交換に参加した「SC（社会福祉法人に"
            "配置）」と「社会福祉協議会第1層SC担当者」の記載による。認知症地域支援推進員の所属は"
            "記載なし）"
        ),
        members=(
            _member("izumi-ikiiki-chouju"),
            _member("izumi-shakyo"),
            _member("izumi-swc-sc"),
        ),
        source=("事例表№5 出水市 2, 1(2); II 1 ③《出水市》"),
    ),
    _body(
        "izumi-kento-team",
        IZUMI,
        "検討チーム（いきいき長寿課）",
        "working_group",
        purpose=(
            "伴走的支援を受けて整理した令和5年度以降の取組の方向性に基づき、いきいき長寿課内の地域"
            "包括ケア推進係、介護保険係、地域包括職員で構成して立ち上げた検討チーム。支援対象となる"
            "高齢者像の確立や、通所型サービスCによる支援卒業後の受皿まで見据えた支援の在り方などを"
            "検討する。（名称は報告書の「検討チーム」に課名を補ったもの。立ち上げ日は記載なし）"
        ),
        members=(
            _member("izumi-suishin-kakari"),
            _member("izumi-kaigo-hoken-kakari"),
            _member("izumi-houkatsu"),
        ),
        source="事例表№5 出水市 2; II 1 ③《出水市》",
    ),
]

# ---------------------------------------------------------------------------------------
# 久留米市: 総合事業見直し作業部会, and the 連絡会 its roadmap plans
# ---------------------------------------------------------------------------------------

KURUME_BODIES: list[dict[str, Any]] = [
    _body(
        "kurume-sagyo-bukai",
        KURUME,
        "久留米市総合事業見直し作業部会",
        "working_group",
        purpose=(
            "介護保険課、長寿支援課、地域包括支援センターで構成。通所型サービスCによる支援対象者像"
            "の決定、通所型サービスCのモデル事業の仕様検討・作成を進め、関係機関との作業分担を"
            "進めていく。"
        ),
        members=(
            _member("kurume-kaigo-hoken"),
            _member("kurume-chouju-shien"),
            _member("kurume-houkatsu"),
        ),
        source="事例表№4 久留米市 2, 4",
    ),
    _body(
        "kurume-renrakukai",
        KURUME,
        "庁内関係課・地域包括との連絡会",
        "internal_liaison",
        status="preparing",
        purpose=(
            "伴走的支援後に作成したロードマップ（令和6年度から9年度）の取組の一つ「庁内関係課や"
            "地域包括との連絡会の実施」。（名称は報告書の記載による汎用名。開催の有無・構成員は"
            "報告書に記載なし）"
        ),
        source="事例表№4 久留米市 2",
    ),
]

BODIES: list[dict[str, Any]] = [
    *KAGOSHIMA_BODIES,
    *KAWARA_BODIES,
    *SAIKI_BODIES,
    *IZUMI_BODIES,
    *KURUME_BODIES,
]

# ---------------------------------------------------------------------------------------
# Certification (鹿児島市第2層協議体認定要領) and the certification of 吉野
# ---------------------------------------------------------------------------------------

CERTIFICATION_RULES: list[dict[str, Any]] = [
    {
        "municipality": KAGOSHIMA,
        "name": "鹿児島市第2層協議体認定要領（令和6年10月）",
        "effective_from": "2024-10-01",
        "min_member_organisations": 2,
        "require_resident_organisation": True,
        "require_mutual_support_purpose": True,
        "require_supporting_coordinator": False,
        "note": (
            "令和6年10月に制定（月のみ記載のため施行日は10月1日（仮））。認定の対象は「高齢者支援を"
            "目的とする支えあいの地域づくりに意欲のある地域の多様な主体で構成される団体」（地域"
            "コミュニティ協議会、介護サービス事業所、民間企業、地域住民などを含む）。報告書には要領の"
            "個々の要件の記載がないため、本システムの設定は次のとおり（仮）: 構成団体は「多様な主体」"
            "から2以上、住民組織を含む、目的に支えあいを掲げる。座談会は地域包括やSCが支援するが、"
            "担当SCの氏名は報告書に記載がなく登録できないため、「支援するSCがいる」は自動確認の対象"
            "外とした。有効期間・認定番号の形式は本システムの既定値（仮）。"
            "出典: 事例表№3 鹿児島市 2(2); II 1 ②《鹿児島市》"
        ),
    },
]

CERTIFICATIONS: list[dict[str, Any]] = [
    {
        "body": "kagoshima-yoshino",
        "rules": "鹿児島市第2層協議体認定要領（令和6年10月）",
        "submitted_on": "2025-01-01",
        "decided_on": "2025-01-01",
        "reason": (
            "令和7年1月認定（令和7年5月現在、市が認定した唯一の協議体）。認定日は月のみの記載のため"
            "1月1日とし、申請日は報告書に記載がないため認定日と同日とした（仮）。認定番号は本システム"
            "の採番。出典: 事例表№3 鹿児島市 2(2); "
            "II 1 ②《鹿児島市》"
        ),
    },
]

# ---------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------

MEETINGS: list[dict[str, Any]] = [
    {
        "body": "kagoshima-yoshino",
        "title": "送迎ドライバー向けセミナー（運転スキル・介護技術）",
        "starts_at": "2025-05-15T10:00",
        "place": "自動車学校（吉野地域支えあい座談会の構成団体）（仮）",
        "status": "held",
        "agenda": (
            "福祉や介護に関する送迎・移動支援のドライバーや、これから福祉や介護に関する送迎に興味の"
            "ある住民向けに、運転スキルや介護技術を学べるセミナー"
        ),
        "minutes": (
            "吉野地域支えあい座談会が、福祉や介護に関する送迎・移動支援のドライバーやこれから福祉や"
            "介護に関する送迎に興味のある住民向けに、運転スキルや介護技術を学べるセミナーを自動車学校"
            "で開催した（令和7年5月15日）。参加者・内容の詳細は報告書に記載なし。\n\n"
            f"{PLACEHOLDER_TIME_NOTE}会場の自動車学校の名称は報告書に記載なし（仮）。\n\n"
            "出典: 事例表№3 鹿児島市 2(2); II 1 ②《鹿児島市》"
        ),
        "attendance": [],
    },
]

MEETING_SERIES: list[dict[str, Any]] = [
    {
        "body": "kawara-teireikai",
        "first_starts_at": "2025-04-17T10:00",
        "covered_until": REPORT_COVERS_UNTIL,
        "place": "",
        "first": {
            "title": "定例会（採銅所地域） 第1回",
            "status": "held",
            "agenda": "高齢者への生活支援体制の整備を含めた地域課題への対応",
            "minutes": (
                "採銅所地域コミュニティ協議会、香春町まちづくり課、保険健康課包括支援センター係及び"
                "社会福祉協議会（第1層SC）が参加して1回目の定例会を開催した。以後原則月1回開催し、"
                "高齢者への生活支援体制の整備を含め地域課題への対応に向けた協議を進める。"
                "議事の詳細は報告書に記載なし。\n\n"
                f"{PLACEHOLDER_TIME_NOTE}\n\n出典: {_KAWARA_TEIREIKAI_SRC}"
            ),
            "attendance": [
                {"organisation": "saidosho-council", "note": ""},
                {"organisation": "kawara-machizukuri", "note": ""},
                {"organisation": "kawara-houkatsu", "note": "保険健康課包括支援センター係"},
                {"organisation": "kawara-shakyo", "note": "第1層生活支援コーディネーター（SC）"},
            ],
        },
        "later_title_suffix": "（仮）",
        "later_minutes": (
            "※この回の日付は報告書に記載がない。「原則月1回」から、第1回（令和7年4月17日・木曜）と"
            "同じ第3木曜に置いた予定（仮）。報告書の対象期間（令和7年7月まで）の回のみ登録。\n\n"
            f"出典: {_KAWARA_TEIREIKAI_SRC}"
        ),
        # The same meeting once its date has passed: held, as the report says 「以後原則月1回開催」.
        "later_minutes_held": (
            "報告書には「以後原則月1回開催」とあり、開催済みとして記録。この回の日付・議事は報告書に"
            "記載がない。日付は第1回（令和7年4月17日・木曜）と同じ第3木曜に置いた（仮）。報告書の"
            "対象期間（令和7年7月まで）の回のみ登録。\n\n"
            f"出典: {_KAWARA_TEIREIKAI_SRC}"
        ),
    },
]

# ---------------------------------------------------------------------------------------
# Regional issues
# ---------------------------------------------------------------------------------------


def _issue(
    key: str,
    municipality: str,
    title: str,
    *,
    description: str,
    themes: tuple[str, ...],
    raised_on: str,
    source: str,
    source_kind: str = "meeting",
    source_note: str = "",
    daily_life_areas: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    body: str | None = None,
    raised_by_organisation: str | None = None,
    target: str = "",
    plan: str = "",
    started_on: str | None = None,
    resources: tuple[str, ...] = (),
    organisations: tuple[str, ...] = (),
    executing_actors: tuple[dict[str, Any], ...] = (),
    stages: tuple[dict[str, Any], ...] = (),
    ideas: tuple[dict[str, Any], ...] = (),
) -> dict[str, Any]:
    return {
        "key": key,
        "municipality": municipality,
        "title": title,
        "description": description,
        "themes": list(themes),
        "daily_life_areas": list(daily_life_areas),
        "districts": list(districts),
        "body": body,
        "source_kind": source_kind,
        "source_note": source_note,
        "raised_on": raised_on,
        "raised_by_organisation": raised_by_organisation,
        "target": target,
        "plan": plan,
        "started_on": started_on,
        "resources": list(resources),
        "organisations": list(organisations),
        "source": source,
        "executing_actors": list(executing_actors),
        "stages": list(stages),
        "ideas": list(ideas),
    }


def _stage(to: str, on: str | None, reason: str) -> dict[str, Any]:
    return {"to": to, "on": on, "reason": reason}


def _idea(text: str, proposer: str | None = None) -> dict[str, Any]:
    return {"text": text, "proposer": proposer}


_KAWARA_SERVICE_B = (
    "ゴミ出し等の軽度の介護サービスを求めて要介護（要支援）認定を申請している高齢者が増加して"
    "いる。町は住民主体による高齢者への日常生活支援（見守り活動、ゴミ出し支援など）を行うサービス"
    "Bの必要性が高いと考え、令和6年度の伴走的支援を受けてサービスB及び生活支援体制整備事業の実装"
    "に取り組むこととした。住民主体の生活支援サービスは元々地域がやりたいと思っていることを行政が"
    "応援する姿勢が大切との気づきから、地域運営組織として活動する採銅所地域コミュニティ協議会との"
    "協働に着手し、令和7年4月17日からの定例会で協議を進めている（実施主体・内容は未定）。"
)
_KAWARA_SERVICE_B_SRC = (
    "事例表№1 香春町 1(1), 1(2), 2; "
    "II 1 ①《香春町》。提起日は令和6年度のため4月1日（仮）。地区は協働先の地域"
)
_KAWARA_SERVICE_B_STAGE = _stage(
    "planning",
    None,
    "伴走的支援を受けて住民主体サービス（サービスB）及び生活支援体制整備事業の実装に向け取り組む"
    "ことを決定（日付は報告書に記載なし）。出典: II 1 ①《香春町》",
)
# What the two 香春町 service-B issues (ゴミ出し, 見守り) share: one report passage.
_KAWARA_SERVICE_B_ISSUE: dict[str, Any] = {
    "description": _KAWARA_SERVICE_B,
    "districts": ("採銅所地域",),
    "body": "kawara-teireikai",
    "source_kind": "other",
    "source_note": "要介護（要支援）認定の申請状況と令和6年度の伴走的支援",
    "raised_on": "2024-04-01",
    "raised_by_organisation": "kawara-hoken-kenko",
    "organisations": (
        "kawara-hoken-kenko",
        "kawara-machizukuri",
        "saidosho-council",
        "kawara-shakyo",
    ),
    "source": _KAWARA_SERVICE_B_SRC,
    "stages": (_KAWARA_SERVICE_B_STAGE,),
}

ISSUES: list[dict[str, Any]] = [
    # --- 鹿児島市 ----------------------------------------------------------------------
    _issue(
        "kagoshima-shopping-mobility",
        KAGOSHIMA,
        "買い物・移動支援",
        description=(
            "日常生活圏域ごとの地域ケア推進会議で、令和2年度以前から地域課題として「買い物・移動"
            "支援」に関する意見が多かった。令和3年度には「支えあいによる移動支援」をメインテーマと"
            "して同会議を開催したが、道路運送法に基づく許可等に関する理解の不足や、ボランティアや"
            "地域住民による「互助」の範囲内でできる移動支援をどのように推進すればよいか分からない"
            "といった課題があった。令和4年度の伴走的支援では参加者（市、地域包括、地域ケア会議委員"
            "等）から様々な意見や提案（アイディア）が出され、企画段階の検討まで進んだ。しかし、"
            "どのような主体がどのような役割で、どのような対象者・対象地域に対し、どの程度の支援を"
            "担うのかという準備段階以降の検討で、推進会議の圏域が広すぎること、各地域のニーズの把握"
            "が重要であること、アイディアを基に実際に解決を図る担い手（実行部隊）が存在しないことが"
            "顕在化した。市は体制整備を優先し、令和6年度から地域ケア分科会議を設置し、地域支えあい"
            "座談会（第2層協議体）を認定する仕組みを構築した。"
        ),
        themes=("mobility", "shopping", "workforce"),
        source_kind="meeting",
        source_note="17日常生活圏域ごとの地域ケア推進会議（令和2年度以前から意見が多い）",
        raised_on="2020-04-01",
        organisations=(
            "kagoshima-chouju-anshin",
            "kagoshima-houkatsu",
            "kagoshima-koutsu-seisaku",
            "zenkoku-ido-service-net",
            "kyushu-kouseikyoku",
            "kagoshima-pref",
        ),
        resources=("miya-shopping-rides", "miya-hospital-escort", "kagoshima-community-bus"),
        source=(
            "事例表№3 鹿児島市 1(1), 1(2); "
            "II 1 ②《鹿児島市》。提起日は「令和2年度以前」のため同年度の4月1日（仮）"
        ),
        stages=(
            _stage(
                "discussing",
                "2021-04-01",
                "令和3年度に「支えあいによる移動支援」をメインテーマとして地域ケア推進会議を開催し、"
                "長寿あんしん課が移動支援について検討（交通政策や移動販売を所管する部署とも課題等を"
                "情報共有）。年度のみ記載のため4月1日（仮）。出典: 事例表№3 鹿児島市 1(1) "
                ", 1(2)",
            ),
            _stage(
                "planning",
                "2023-01-27",
                "令和4年度の伴走的支援（第1回 令和4年9月27日、第2回 同年11月28日、第3回 令和5年1月"
                "27日）で企画段階の検討まで進んだ（日付は第3回目支援の日）。どのような主体がどのような"
                "役割で支援を担うのかが決まらず、準備段階には進めていない。出典: 事例表№3 鹿児島市 "
                "1(2)",
            ),
        ),
        ideas=(
            _idea(
                "移動支援のニーズ調査を実施する意向がある地域包括の担当地域をモデル地域として取組を"
                "進める（伴走的支援の時点の予定。同地域包括担当者の異動等により継続的な協議ができず"
                "進展しなかった）（出典: 事例表№3 鹿児島市 1(2)）",
                "kagoshima-houkatsu",
            ),
            _idea(
                "総合事業のサービス・活動Dではなく、サービス・活動Bを始めとした地域住民等の活動により"
                "高齢者を支える体制を構築する（Dは支援対象が要支援者限定になり、交通政策課との調整や"
                "財源の確保も必要で難しい一方、Bは対象者の制約が少ない）（出典: 事例表№3 鹿児島市 "
                "2(3)）",
                "kagoshima-city",
            ),
        ),
    ),
    # The model area the city planned at the time of the support: stalled by a transfer,
    # while the city's own work (分科会議, 座談会) went ahead (see the engagement).
    _issue(
        "kagoshima-model-area-mobility",
        KAGOSHIMA,
        "モデル地域での移動支援の取組（ニーズ調査を行う意向のあった地域包括の担当地域）",
        description=(
            "伴走的支援を受けた時点では、移動支援のニーズ調査を実施する意向がある地域包括があった"
            "ため、同地域包括の担当地域をモデル地域として取組を進める予定であったが、同地域包括"
            "担当者の異動等により継続的な協議ができず進展しなかった。"
        ),
        themes=("mobility",),
        source_kind="meeting",
        source_note="令和4年度の伴走的支援の時点の予定",
        raised_on="2022-09-27",
        organisations=("kagoshima-houkatsu", "kagoshima-chouju-anshin"),
        source=(
            "事例表№3 鹿児島市 1(2)。提起日は報告書に記載がないため、伴走的支援の第1回目支援の日"
            "（令和4年9月27日）として記録（仮）"
        ),
        stages=(
            _stage(
                "discussing",
                None,
                "モデル地域として取組を進める予定とした（伴走的支援の時点。日付は報告書に記載なし）。"
                "出典: 事例表№3 鹿児島市 1(2)",
            ),
            _stage(
                "on_hold",
                None,
                "同地域包括担当者の異動等により継続的な協議ができず進展しなかった（人事異動。時期は"
                "報告書に記載なし）。出典: 事例表№3 鹿児島市 1(2)",
            ),
        ),
    ),
    _issue(
        "kagoshima-koriyama-mobility",
        KAGOSHIMA,
        "郡山地域の移動支援",
        description=(
            "地域ケア分科会議（郡山地域）で移動支援をテーマとして設定し、民生委員、自治会長と意見"
            "交換や、生活支援コーディネーター（SC）による支えあい活動団体の事例紹介を行うなどの取組"
            "を実施している。"
        ),
        themes=("mobility",),
        districts=("郡山地域",),
        body="kagoshima-koriyama-subcommittee",
        source_kind="meeting",
        source_note="地域ケア分科会議（郡山地域）で設定したテーマ",
        raised_on="2024-04-01",
        organisations=("kagoshima-houkatsu",),
        source=(
            "事例表№3 鹿児島市 2(1)。提起日は報告書に記載がないため"
            "分科会議を設置した令和6年度の4月1日（仮）"
        ),
        stages=(
            _stage(
                "discussing",
                None,
                "移動支援をテーマとして設定し、民生委員、自治会長と意見交換やSCによる支えあい活動"
                "団体の事例紹介を実施（日付は報告書に記載なし）。出典: 事例表№3 鹿児島市 2(1)",
            ),
        ),
    ),
    # --- 香春町 ------------------------------------------------------------------------
    _issue(
        "kawara-gomidashi",
        KAWARA,
        "ゴミ出し等の日常生活支援（サービスB）",
        themes=("daily-life",),
        resources=("kawara-service-b",),
        **_KAWARA_SERVICE_B_ISSUE,
    ),
    _issue(
        "kawara-mimamori",
        KAWARA,
        "高齢者の見守り（サービスB）",
        themes=("watching",),
        resources=("kawara-service-b", "kawara-watching"),
        **_KAWARA_SERVICE_B_ISSUE,
    ),
    _issue(
        "kawara-town-services-unknown",
        KAWARA,
        "町の見守り支援が地域に知られていない",
        description=(
            "一人暮らし高齢者向けの緊急通報装置の貸与や見守り活動など町が現に実施している支援が、"
            "地域コミュニティ協議会側に十分に知られていないことが伴走的支援の取組を通じて判明した。"
            "地域の主体が行政側のサービス内容を把握した上で活用し、行政サービスが届かない部分に"
            "ついては主体的に対応する状態が理想的で、そのためには地域の主体と行政が互いの取組（強み）"
            "や課題を把握・理解することが重要と町は考えている。"
        ),
        themes=("information-sharing", "watching"),
        districts=("採銅所地域",),
        source_kind="other",
        source_note="令和6年度の伴走的支援（令和6年10月2日〜7年1月30日）の取組を通じて判明",
        raised_on="2024-10-02",
        organisations=("saidosho-council", "kawara-hoken-kenko", "kawara-machizukuri"),
        resources=("kawara-emergency-alarm", "kawara-watching"),
        source=(
            "事例表№1 香春町 3(1); II 2 図表3 香春町。"
            "判明した日は報告書に記載がないため伴走的支援の初日（仮）"
        ),
    ),
    _issue(
        "kawara-kenko-soudan",
        KAWARA,
        "住民を対象とした健康相談（採銅所地域）",
        description=(
            "採銅所地域コミュニティ協議会には、以前から住民を対象とした健康相談を開催したい意向が"
            "あった。第3回目の伴走的支援（令和7年1月30日）で同協議会と「採銅所地域づくり夢プラン」"
            "に基づく地域内での健康相談、高齢者見守り、防災等に向けた取組に関する連携について意見"
            "交換し、伴走的支援を通じて保険健康課との関係構築が進んだ結果、同課保健師の派遣支援等に"
            "より令和7年5月14日に健康相談が実現した。"
        ),
        themes=("prevention-health",),
        districts=("採銅所地域",),
        source_kind="other",
        source_note="第3回目の伴走的支援（令和7年1月30日）での意見交換",
        raised_on="2025-01-30",
        raised_by_organisation="saidosho-council",
        target="採銅所地域の住民",
        started_on="2025-05-14",
        organisations=("saidosho-council", "kawara-hoken-kenko"),
        resources=("saidosho-health-consultation",),
        executing_actors=(
            {"organisation": "saidosho-council", "role": "健康相談の開催", "agreed_on": None},
            {
                "organisation": "kawara-hoken-kenko",
                "role": "保健師の派遣支援等",
                "agreed_on": None,
            },
        ),
        source=(
            "事例表№1 香春町 1(2), 2。提起日は報告書で最初に"
            "日付とともに記載された第3回目支援の日（意向は「以前から」）"
        ),
        stages=(
            _stage(
                "running",
                "2025-05-14",
                "令和7年5月14日に健康相談が実現（保険健康課保健師の派遣支援等）。出典: 事例表№1 "
                "香春町 2",
            ),
        ),
    ),
    # --- 佐伯市 ------------------------------------------------------------------------
    _issue(
        "saiki-naokawa-demand-bus-stop",
        SAIKI,
        "デマンドバス停までの移動手段の確保（直川地域）",
        description=(
            "直川地域コミュニティ協議会が地域住民を対象に実施した高齢者の移動に関するアンケート"
            "調査では、地域課題として買い物や通院の際の交通の利便が悪いことが最多で、ボランティア"
            "送迎があればすぐにでも利用したいと11人から回答があった。令和5年3月策定の「直川地域"
            "まちづくり計画」に基づき、福祉・生活支援部会（みまもり隊）と防災・交通・環境部会"
            "（おたすけ隊）が連携し、デマンドバスの利用促進に向けた広報・周知、デマンドバス停までの"
            "移動手段の確保に向けた調査・研究及び具体策の検討、通院や日用品の買い物など地域外への"
            "移動手段の確保に取り組む。直川地域は公共交通事業者の空白地域。"
        ),
        themes=("mobility", "shopping"),
        districts=("直川地域",),
        source_kind="survey",
        source_note="直川地域コミュニティ協議会による高齢者の移動に関するアンケート調査",
        raised_on="2023-03-01",
        raised_by_organisation="naokawa-council",
        target=(
            "直川地域の高齢者など、デマンドバス停までの移動や通院・日用品の買い物など地域外への移動"
            "に困っている住民（対象者の範囲は本格実施に向けて検討中、令和7年5月時点）"
        ),
        plan=(
            "生活支援ボランティアによる移動支援。伴走的支援の助言も踏まえて料金・保険・対象者等を"
            "検討し、大分運輸支局への相談、地元公共交通事業者への説明を行い、運転ボランティア養成"
            "講座（令和5年12月）と運転ボランティア向けの介助講習（令和6年2月）に参加。令和6年度に"
            "実証実験を3回実施し、県や市の地域コミュニティ協議会への補助金を活用して、総合事業の"
            "サービス・活動Bを活用した本格実施に向けて対象者の範囲や実施形態、経費・補助金の活用など"
            "細部を検討中（令和7年5月時点）。"
        ),
        started_on="2024-04-01",
        organisations=(
            "naokawa-mimamori",
            "naokawa-otasuke",
            "saiki-koureisha-fukushi",
            "saiki-community-sousei",
            "saiki-chiiki-shinko",
            "saiki-shakyo",
            "oita-unyu-shikyoku",
            "zenkoku-ido-service-net",
            "oita-pref",
        ),
        resources=(
            "naokawa-volunteer-rides",
            "saiki-demand-bus",
            "naokawa-demand-bus-video",
            "saiki-driver-course",
            "saiki-helper-training",
        ),
        executing_actors=(
            {
                "organisation": "naokawa-council",
                "role": "生活支援ボランティアによる移動支援の実施主体（実証実験・本格実施の検討）",
                "agreed_on": None,
            },
        ),
        source=(
            "事例表№2 佐伯市 2(1), 2(2); "
            "II 1 ①《佐伯市》; 事例表№6。提起日は計画策定の令和5年3月"
            "（月のみ記載のため1日）"
        ),
        stages=(
            _stage(
                "discussing",
                "2023-03-01",
                "令和5年3月策定の「直川地域まちづくり計画」に基づき、みまもり隊とおたすけ隊が連携して"
                "デマンドバス停までの移動手段の確保に向けた調査・研究及び具体策の検討に着手（月のみ"
                "記載のため1日）。出典: 事例表№2 佐伯市 2(1)",
            ),
            _stage(
                "planning",
                "2023-10-20",
                "大分県の伴走的支援の第2回目支援（令和5年10月20日）で創出する取組内容を検討（事例"
                "把握やイメージの具体化）。料金・保険・対象者等を検討。出典: 事例表№2 佐伯市 1(2) "
                ", 2(1)",
            ),
            _stage(
                "preparing",
                "2023-12-12",
                "第3回目支援（令和5年12月12日）で創出の準備（講習、実証実験、組織化等）について助言を"
                "受け、運転ボランティア養成講座（令和5年12月）・介助講習（令和6年2月）に参加。出典: "
                "事例表№2 佐伯市 1(2), 2(1)",
            ),
            _stage(
                "running",
                "2024-04-01",
                "伴走的支援後の令和6年度に移動支援の実証実験を3回実施（年度のみ記載のため開始日は"
                "4月1日（仮））。本格実施に向けて細部を検討中（令和7年5月時点）。出典: 事例表№2 "
                "佐伯市 2(2)",
            ),
        ),
        ideas=(
            _idea(
                "自家用車による移動支援（SCの支援で立ち上げた地域組織が検討したが、地元交通事業者の"
                "理解を得られるか不透明、道路運送法等関係制度の知識不足、事故発生時の補償問題、"
                "燃料代や保険料の負担等から一度は足踏み状態となった）（出典: 事例表№2 佐伯市 1(1)）",
                "naokawa-mimamori",
            ),
            _idea(
                "デマンドバスの乗り方（委託先タクシー会社への予約、コミュニティバスへの乗り継ぎ、"
                "乗継乗車券の利用方法等）に関するYouTube動画を作成して利用を促進する（作成済み）"
                "（出典: 事例表№2 佐伯市 2(4)）",
                "naokawa-council",
            ),
            _idea(
                "総合事業のサービス・活動Bを活用して本格実施する（出典: 事例表№6 大分県 1）",
            ),
        ),
    ),
    _issue(
        "saiki-bus-stop-distance",
        SAIKI,
        "バス停までの距離があり、デマンドバスを利用できない",
        description=(
            "令和3年10月に民間バス事業者が大分佐伯線を除く路線を廃止し、市が廃止路線を引き継いで"
            "コミュニティバスを運行するほか、一部路線を定時定路線からデマンド型運行に切り替えた。"
            "しかし、地域ケア会議で挙げられる地域課題の多くは「バス停までの距離があり、デマンドバス"
            "を利用できない」など移動支援に関すること。地域によって課題も様々で、直川地域は公共交通"
            "事業者の空白地域である一方、その隣接地域では医療機関の送迎サービス等が利用でき要望が"
            "少なく、他の地域には公共交通事業者があり営業を圧迫しないよう配慮が必要。弥生地域では"
            "社会福祉法人の地域貢献事業（法人車両の空き時間で高齢者の移動支援）として総合事業に"
            "当たらない「互助」の取組が本稼働している（開始日は報告書に記載なし）。市は、地域公共"
            "交通との共存を図る方策について国に助言を求めている。"
        ),
        themes=("mobility",),
        source_kind="meeting",
        source_note="地域ケア会議で挙げられる地域課題の多く",
        raised_on="2021-10-01",
        organisations=(
            "saiki-koureisha-fukushi",
            "saiki-houkatsu",
            "saiki-community-sousei",
            "saiki-chiiki-shinko",
            "naokawa-council",
            "yayoi-swc",
            "saiki-taxi",
        ),
        resources=("saiki-community-bus", "saiki-demand-bus", "yayoi-idle-vehicle-rides"),
        source=(
            "事例表№2 佐伯市 1(1), 2(2), 3, "
            "4。提起日は記載なし: 路線廃止・デマンド型運行への切替えの令和3年10月の"
            "1日（仮）"
        ),
        stages=(
            _stage(
                "discussing",
                None,
                "地域ごとに課題や対応策が異なるため、まずは住民主体の地域づくりを進めつつ、地域の様々な"
                "主体、市の各担当部署が情報を共有し、得意分野ごとに課題に対応する方が効果的との市の"
                "考え（日付は報告書に記載なし）。出典: 事例表№2 佐伯市 3",
            ),
        ),
    ),
    # --- 久留米市 ----------------------------------------------------------------------
    _issue(
        "kurume-day-c-review",
        KURUME,
        "通所型サービスCの見直し",
        description=(
            "市内の介護度別の新規認定者のうち要支援1〜要介護1の軽度の者が大半で、介護給付費が増加"
            "し、支援を受けることで自立した元の生活に戻る（戻す）という認識が薄いと感じていた。"
            "令和6年度の伴走的支援を受けて令和6年度から9年度のロードマップを作成し、久留米市総合事業"
            "見直し作業部会で通所型サービスCによる支援対象者像の決定、モデル事業の仕様検討・作成を"
            "進めている。関係機関からのヒアリングでは、同サービス卒業後も健康な状態を維持できる環境"
            "がないと悪化して再びサービス利用者として戻ってくるとの意見があり、受皿づくりの必要性も"
            "改めて認識した。"
        ),
        themes=("prevention-health", "gathering"),
        body="kurume-sagyo-bukai",
        source_kind="other",
        source_note="令和6年度 地域づくり加速化事業の伴走的支援",
        raised_on="2024-04-01",
        plan=(
            "ロードマップ（令和6年度から9年度）: ①住民向けの啓発活動やケアマネジャーなど関係機関への"
            "研修、②通所型サービスCの実施に向けた対象者像の整理とモデル事業の仕様の検討、③庁内関係"
            "課や地域包括との連絡会の実施、④通所型サービスC卒業後に通う受皿の設置"
        ),
        organisations=(
            "kurume-kaigo-hoken",
            "kurume-chouju-shien",
            "kurume-houkatsu",
            "kurume-chiiki-fukushi",
            "kurume-kenko-fukushi-somu",
        ),
        resources=("kurume-day-c-model",),
        source=("事例表№4 久留米市 1(1), 1(2), 2。提起日は令和6年度のため4月1日（仮）"),
        stages=(
            _stage(
                "planning",
                None,
                "伴走的支援を受けてロードマップを作成し、作業部会でモデル事業の仕様検討・作成を進めて"
                "いる（日付は報告書に記載なし）。出典: 事例表№4 久留米市 2",
            ),
        ),
        ideas=(
            _idea(
                "通所型サービスC卒業後も高齢者が健康な状態を維持するため、地域福祉課が所管する生活"
                "支援体制整備事業を活用して、社会参画できる機会や場所（通いの場など）の受皿をつくる"
                "（出典: 事例表№4 久留米市 1(2)）",
            ),
        ),
    ),
    # --- 出水市 ------------------------------------------------------------------------
    _issue(
        "izumi-day-c-ukezara",
        IZUMI,
        "通所型サービスCの見直しと卒業後の受皿（居場所）づくり",
        description=(
            "総合事業の事業対象者、要支援者が増加する中、地域包括（いきいき長寿課内）の職員数"
            "（令和4年度27人）では対応に限界があった。伴走的支援の第1回目支援（令和4年10月6日）を"
            "受けて、通所型サービスCの見直しと支援卒業後の受皿（居場所）づくりに取り組む方向性と"
            "なり、出水市総合事業等実施行程表を作成した。意見交換を通じて、地域住民のニーズを組織と"
            "して具体的に把握できていないこと、住民を含めた関係者との合意形成が足りていないこと、"
            "地域資源を把握できていないことを改めて認識した。"
        ),
        themes=("prevention-health", "gathering"),
        body="izumi-kento-team",
        source_kind="other",
        source_note="第1回目の伴走的支援（令和4年10月6日）",
        raised_on="2022-10-06",
        organisations=(
            "izumi-ikiiki-chouju",
            "izumi-suishin-kakari",
            "izumi-kaigo-hoken-kakari",
            "izumi-houkatsu",
        ),
        resources=("izumi-day-c",),
        source=("事例表№5 出水市 1(1), 1(2), 2; II 1 ③《出水市》"),
        stages=(
            _stage(
                "discussing",
                None,
                "令和5年度以降の取組の方向性を整理し、検討チームで支援対象となる高齢者像の確立や卒業後"
                "の受皿まで見据えた支援の在り方などを検討（日付は報告書に記載なし）。出典: 事例表№5 "
                "出水市 2",
            ),
        ),
    ),
]
