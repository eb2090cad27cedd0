"""Organisations, locations and resources the seed report names, as pure data.

Conventions as in report_data.py: only what the report says, each with its source (case
sheet or section of the report, as users cite it). The report prints no address, phone
number, e-mail, URL or person's name for any actor, so those fields stay empty and there
are no people. Where the report names an actor without its name (「社会福祉法人」,
「自動車学校」, 「タクシー会社」 …) the record carries a placeholder name marked 「（仮）」
and its source says so. Strengths (強み) and problems (抱えている課題) quote or closely
paraphrase what the report says about that actor, with the lines.

Scope: municipal records carry the municipality code; prefecture-level records have
municipality None and the prefecture code; national bodies have neither.

Shapes (optional keys may be left out; the loader fills the defaults shown):

ORGANISATIONS: {"key", "municipality" (code) | None, "prefecture" (code) | None, "name",
                "name_kana", "org_type", "parent" (key) | None, "description", "strengths",
                "problems", "strength_tags" [], "problem_tags" [], "districts": [district
                names], "visibility", "source"}
LOCATIONS:     {"key", "organisation" (key), "name", "district" (name) | None, "source"}
RESOURCES:     {"key", "provider" (organisation key), "name", "category" (taxonomy code),
                "description", "eligibility": [codes], "eligibility_note" "",
                "districts": [names], "serves_whole_municipality", "funding_basis",
                "sogo_service_type", "subsidy_name" "", "schedule_note" "",
                "status" "active", "visibility", "locations" [location keys],
                "sessions": [ISO dates or {"date", "note"}], "website", "source"}

The report's meetings and consultative bodies (定例会, 地域ケア推進会議, 地域ケア分科会議,
第1層・第2層協議体, SC定例会) belong to the bodies app and are not listed here; the two
standing groups that act as organisations (吉野地域支えあい座談会, which runs a seminar, and
久留米市総合事業見直し作業部会) are.
"""

from __future__ import annotations

from typing import Any

KAWARA = "406015"
KURUME = "402036"
SAIKI = "442054"
KAGOSHIMA = "462012"
IZUMI = "462080"
FUKUOKA_PREF = "400009"
OITA_PREF = "440001"
KAGOSHIMA_PREF = "460001"


def _org(
    key: str,
    name: str,
    org_type: str,
    *,
    source: str,
    municipality: str | None = None,
    prefecture: str | None = None,
    name_kana: str = "",
    parent: str | None = None,
    description: str = "",
    strengths: str = "",
    problems: str = "",
    strength_tags: tuple[str, ...] = (),
    problem_tags: tuple[str, ...] = (),
    districts: tuple[str, ...] = (),
    visibility: str = "public",
) -> dict[str, Any]:
    return {
        "key": key,
        "municipality": municipality,
        "prefecture": prefecture,
        "name": name,
        "name_kana": name_kana,
        "org_type": org_type,
        "parent": parent,
        "description": description,
        "strengths": strengths,
        "problems": problems,
        "strength_tags": list(strength_tags),
        "problem_tags": list(problem_tags),
        "districts": list(districts),
        "visibility": visibility,
        "source": source,
    }


def _resource(
    key: str,
    provider: str,
    name: str,
    category: str,
    *,
    source: str,
    description: str = "",
    eligibility: tuple[str, ...] = (),
    eligibility_note: str = "",
    districts: tuple[str, ...] = (),
    serves_whole_municipality: bool = False,
    funding_basis: str = "",
    sogo_service_type: str = "",
    subsidy_name: str = "",
    schedule_note: str = "",
    status: str = "active",
    visibility: str = "public",
    locations: tuple[str, ...] = (),
    sessions: tuple[Any, ...] = (),
    website: str = "",
) -> dict[str, Any]:
    return {
        "key": key,
        "provider": provider,
        "name": name,
        "category": category,
        "description": description,
        "eligibility": list(eligibility),
        "eligibility_note": eligibility_note,
        "districts": list(districts),
        "serves_whole_municipality": serves_whole_municipality,
        "funding_basis": funding_basis,
        "sogo_service_type": sogo_service_type,
        "subsidy_name": subsidy_name,
        "schedule_note": schedule_note,
        "status": status,
        "visibility": visibility,
        "locations": list(locations),
        "sessions": list(sessions),
        "website": website,
        "source": source,
    }


_NAME_NOT_PRINTED = "名称は報告書に記載がないため「（仮）」の名称"

# ---------------------------------------------------------------------------------------
# Organisations (parents before their children)
# ---------------------------------------------------------------------------------------

ORGANISATIONS: list[dict[str, Any]] = [
    # --- national ---------------------------------------------------------------------
    _org(
        "mhlw",
        "厚生労働省",
        "other",
        name_kana="こうせいろうどうしょう",
        description=(
            "令和4年度から地域づくり加速化事業を実施し、総合事業の実施に課題を抱える市町村へ"
            "伴走的支援（アドバイザーによる6か月程度・おおむね3回の訪問支援）等を行う。"
        ),
        source="II 制度概要等（地域づくり加速化事業等）",
    ),
    _org(
        "kyushu-kouseikyoku",
        "九州厚生局",
        "other",
        name_kana="きゅうしゅうこうせいきょく",
        parent="mhlw",
        description=(
            "厚生労働省の地方支分部局（地方厚生局）。地域づくり加速化事業の伴走的支援で"
            "アドバイザーを派遣する。鹿児島市に伴走的支援（令和4年度、移動支援）を行った。"
            "情報収集の対象機関。"
        ),
        source=("I 2 情報収集の対象; II 制度概要等; 事例表№3 鹿児島市 1(2)"),
    ),
    _org(
        "oita-unyu-shikyoku",
        "大分運輸支局",
        "other",
        name_kana="おおいたうんゆしきょく",
        description=(
            "直川地域コミュニティ協議会が移動支援（料金・保険・対象者等）について相談し、"
            "佐伯市が説明を行った相手。"
        ),
        source=("事例表№2 佐伯市 2(1); 2(4); 事例表№6 大分県 1"),
    ),
    _org(
        "zenkoku-ido-service-net",
        "特定非営利活動法人全国移動サービスネットワーク",
        "npo",
        name_kana="ぜんこくいどうさーびすねっとわーく",
        description=(
            "大分県の「生活支援体制整備事業（移動支援）を中心としたスーパーバイザー派遣推進事業」"
            "の委託先として佐伯市などを伴走的支援。鹿児島市の伴走的支援（令和4年度、移動支援）"
            "ではコーディネーター（講師）を務めた。"
        ),
        strengths=(
            "全国的に移動支援に関する取組実績があり、支援実績が豊富。経験豊富なスーパーバイザー"
            "の助言で住民アンケートから地域課題が明らかになり、住民主体で「我がまちの課題解決を"
            "推進したい。」という機運を高めることができる（大分県の認識）。"
        ),
        strength_tags=("移動支援",),
        source=("事例表№2 佐伯市 1(2); 事例表№3 鹿児島市 1(2) ; 事例表№6 大分県 1"),
    ),
    # --- prefectures ------------------------------------------------------------------
    _org(
        "fukuoka-pref",
        "福岡県",
        "department",
        prefecture=FUKUOKA_PREF,
        name_kana="ふくおかけん",
        description="県庁（部署の上位組織）。情報収集の対象県。",
        source="I 2 情報収集の対象",
    ),
    _org(
        "fukuoka-pref-care",
        "地域包括ケア推進担当課",
        "department",
        prefecture=FUKUOKA_PREF,
        name_kana="ちいきほうかつけあすいしんたんとうか",
        parent="fukuoka-pref",
        description=(
            "県内市町村における総合事業等の実施状況の把握、市町村からの地域包括ケアに関する照会"
            "への対応など、日常的に市町村への支援を実施。（課の正式名称は報告書に記載なし。"
            "報告書の表記「地域包括ケア推進担当課」による）"
        ),
        source="II 2（県の見解等）",
    ),
    _org(
        "oita-pref",
        "大分県",
        "department",
        prefecture=OITA_PREF,
        name_kana="おおいたけん",
        description=(
            "県庁（部署の上位組織）。令和5年度から県独自事業「生活支援体制整備事業（移動支援）を"
            "中心としたスーパーバイザー派遣推進事業」で高齢者の移動支援に取り組む市町村を伴走的"
            "支援（特定非営利活動法人全国移動サービスネットワークに委託）。県の留意点: 地域によって"
            "事情が様々で単純な好事例の横展開はできず、個別にカスタマイズしてきめ細かく支援する必要。"
        ),
        source=("II 制度概要等; 事例表№6 大分県 1, 2"),
    ),
    _org(
        "oita-pref-care",
        "地域包括ケア推進担当課",
        "department",
        prefecture=OITA_PREF,
        name_kana="ちいきほうかつけあすいしんたんとうか",
        parent="oita-pref",
        description=(
            "県内市町村における総合事業等の実施状況の把握、市町村からの地域包括ケアに関する照会"
            "への対応など、日常的に市町村への支援を実施。（課の正式名称は報告書に記載なし。"
            "報告書の表記「地域包括ケア推進担当課」による）"
        ),
        source="II 2（県の見解等）",
    ),
    _org(
        "kagoshima-pref",
        "鹿児島県",
        "department",
        prefecture=KAGOSHIMA_PREF,
        name_kana="かごしまけん",
        description=(
            "県庁（部署の上位組織）。かごしま介護予防（総合事業）推進事業と保険者機能強化支援事業"
            "により市町村担当者向けセミナーや伴走型個別支援（例年1〜2市町村程度）を実施。鹿児島市に"
            "伴走的支援（令和4年度）を行った。県の認識: 事業を見直すノウハウが乏しく、見直しで財源"
            "がなくなるのではと考える市町村もあり、対話を通じた個別の支援が必要。"
        ),
        strengths=(
            "地域づくり加速化事業は単年度の支援のため、県の事業でその後のフォローアップを行う"
            "（出水市に同事業のアドバイザーを令和5年度に再度派遣し、進捗確認や助言）。"
        ),
        source=("事例表№3 1(2); 事例表№7 鹿児島県 1, 2"),
    ),
    _org(
        "kagoshima-pref-care",
        "地域包括ケア推進担当課",
        "department",
        prefecture=KAGOSHIMA_PREF,
        name_kana="ちいきほうかつけあすいしんたんとうか",
        parent="kagoshima-pref",
        description=(
            "県内市町村における総合事業等の実施状況の把握、市町村からの地域包括ケアに関する照会"
            "への対応など、日常的に市町村への支援を実施。（課の正式名称は報告書に記載なし。"
            "報告書の表記「地域包括ケア推進担当課」による）"
        ),
        source="II 2（県の見解等）",
    ),
    # --- 香春町 ------------------------------------------------------------------------
    _org(
        "kawara-town",
        "香春町",
        "department",
        municipality=KAWARA,
        name_kana="かわらまち",
        description=(
            "町役場（部署の上位組織）。令和6年度地域づくり加速化事業の伴走的支援を受け、"
            "住民主体サービス（サービスB）及び生活支援体制整備事業の実装に取り組む。"
        ),
        strengths=(
            "庁内にまちづくり課という地域との関わりに関するコーディネーター機能があり、"
            "現に主体的に活動する地域運営組織が存在していた。"
        ),
        problems=(
            "高齢者のみ世帯の増加などに伴い要介護認定率、とりわけ要支援率が高く、介護給付費も"
            "増加。生活支援体制整備事業の進め方が分からなかった。ゴミ出し等の軽度の介護サービス"
            "を求めて認定を申請する高齢者が増加。様々な分野での担い手不足の声が多い。"
        ),
        problem_tags=("担い手不足",),
        source=("II 1 ①《香春町》; 事例表№1 香春町 1(1), 3(2)"),
    ),
    _org(
        "kawara-hoken-kenko",
        "保険健康課",
        "department",
        municipality=KAWARA,
        name_kana="ほけんけんこうか",
        parent="kawara-town",
        description=(
            "総合事業等を担当。第1回目の伴走的支援の前に、地域資源や地域ボランティア活動の状況を"
            "把握するため町内の区長会及び老人クラブに高齢化率の現状等を説明。同課保健師の派遣"
            "支援等で採銅所地域コミュニティ協議会の健康相談（令和7年5月14日）を実現。"
            "（II 1 ①《香春町》の本文では「保健健康課」と表記）"
        ),
        strengths=(
            "伴走的支援を受ける前から様々な地域の主体との連携を模索しており、採銅所地域"
            "コミュニティ協議会の存在も認知していた。"
        ),
        problems=(
            "採銅所地域コミュニティ協議会との関わり方が分からず、まちづくり課とも方向性が同じ"
            "との認識はあったが、どう関わればよいか分からず連携が進まなかった（伴走的支援前）。"
            "これまで「高齢者」という年齢区分で課題を認識していた。"
        ),
        problem_tags=("庁内連携",),
        source=("事例表№1 香春町 1(2); 2; 3(1); II 1 ①《香春町》"),
    ),
    _org(
        "kawara-houkatsu",
        "包括支援センター係",
        "community_care_center",
        municipality=KAWARA,
        name_kana="ほうかつしえんせんたーかかり",
        parent="kawara-hoken-kenko",
        description=(
            "保険健康課の包括支援センター係。令和7年4月17日から採銅所地域コミュニティ協議会、"
            "まちづくり課、社会福祉協議会（第1層SC）との定例会（原則月1回）に参加。"
        ),
        source="事例表№1 香春町 2 伴走的支援後の取組",
    ),
    _org(
        "kawara-machizukuri",
        "まちづくり課",
        "department",
        municipality=KAWARA,
        name_kana="まちづくりか",
        parent="kawara-town",
        description=(
            "地域運営組織の形成推進などを通じて住民主体のまちづくりに関する取組を所管。"
            "令和2年から町内四つの旧小学校区ごとに地域ワークショップを実施し、地域コミュニティ"
            "協議会の組織化に取り組む（3地域で準備会が発足、採銅所地域を含む2地域で協議会と"
            "して活動開始）。伴走的支援に参加し、令和7年度から採銅所の定例会に参加。"
        ),
        strengths=(
            "準備会の発足の際、地域のキーパーソンを特定の地域、年齢、性別等に偏りがないよう選出。"
            "対話の場では心理的安全性を確保するため司会を毎回替える、上座下座を作らない等の工夫。"
            "行政からのメッセージが上から目線に伝わらないようアプローチの仕方や言葉選びに留意。"
            "地域との関わりに関するコーディネーター機能。"
        ),
        strength_tags=("住民主体", "心理的安全性"),
        source=("事例表№1 香春町 1(2); 2; 3(2); II 2 図表3 香春町"),
    ),
    _org(
        "kawara-shakyo",
        "香春町社会福祉協議会",
        "social_welfare_council",
        municipality=KAWARA,
        name_kana="かわらまちしゃかいふくしきょうぎかい",
        description=(
            "生活支援体制整備事業において町全域を担当する第1層生活支援コーディネーター（SC）を"
            "配置。令和7年度から採銅所地域コミュニティ協議会、まちづくり課、保険健康課との"
            "定例会（原則月1回）に参加。（報告書の表記は「社会福祉協議会」。町名を補った名称）"
        ),
        source=("事例表№1 香春町 2; II 1 ①《香春町》"),
    ),
    _org(
        "kawara-kuchokai",
        "区長会",
        "neighbourhood_association",
        municipality=KAWARA,
        name_kana="くちょうかい",
        description=(
            "町内の区長会。第1回目の伴走的支援の前に、保険健康課が地域資源や地域ボランティア"
            "活動の状況を把握するため、香春町の高齢化率の現状等を説明した。"
        ),
        source="事例表№1 香春町 1(2)",
    ),
    _org(
        "kawara-roujin-club",
        "老人クラブ",
        "senior_club",
        municipality=KAWARA,
        name_kana="ろうじんくらぶ",
        description=(
            "町内の老人クラブ。第1回目の伴走的支援の前に、保険健康課が地域資源や地域ボランティア"
            "活動の状況を把握するため、香春町の高齢化率の現状等を説明した。"
        ),
        source="事例表№1 香春町 1(2)",
    ),
    _org(
        "saidosho-council",
        "採銅所地域コミュニティ協議会",
        "community_council",
        municipality=KAWARA,
        name_kana="さいどうしょちいきこみゅにてぃきょうぎかい",
        description=(
            "地域運営組織として活動する地域コミュニティ協議会。令和3年3月に前身の採銅所地域運営"
            "組織設立準備会が立ち上がり、令和4年1月に設立。地域づくり計画「採銅所地域づくり"
            "夢プラン」（令和4年度から13年度までの10年間）の六つの分野について六つの部会が中心"
            "に取組を進める。令和7年4月17日から町・社会福祉協議会と原則月1回の定例会で協議。"
        ),
        strengths=(
            "地域運営組織として現に活動しており、その特性を踏まえるとサービスBや生活支援体制"
            "整備事業の実装に向けて協働できる可能性がある。以前から住民を対象とした健康相談を"
            "開催したい意向があった。"
        ),
        problems=(
            "一人暮らし高齢者向けの緊急通報装置の貸与や見守り活動など町が現に実施している支援が、"
            "協議会側に十分に知られていなかった。"
        ),
        strength_tags=("住民主体",),
        problem_tags=("情報共有",),
        districts=("採銅所地域",),
        source=("事例表№1 香春町 1(2); 2; 3(1)"),
    ),
    *[
        _org(
            f"saidosho-bukai-{index}",
            name,
            "community_council",
            municipality=KAWARA,
            name_kana=kana,
            parent="saidosho-council",
            description=f"採銅所地域コミュニティ協議会の部会。夢プランの分野 {fields} を担当。",
            districts=("採銅所地域",),
            source=("事例表№1 香春町 1(2) 注; II 1 ①《香春町》 注"),
        )
        for index, (name, kana, fields) in enumerate(
            [
                ("にじいろ部会", "にじいろぶかい", "①支援・交流・支え合い、②遊び・学び"),
                ("ご縁部会", "ごえんぶかい", "①支援・交流・支え合い、②遊び・学び、③稼ぐ・つくる"),
                ("なりわい部会", "なりわいぶかい", "③稼ぐ・つくる"),
                ("さとやま部会", "さとやまぶかい", "④農・自然"),
                ("つなげる部会", "つなげるぶかい", "⑤交通支援"),
                ("あんしん部会", "あんしんぶかい", "⑥防災"),
            ],
            start=1,
        )
    ],
    # --- 佐伯市 ------------------------------------------------------------------------
    _org(
        "saiki-city",
        "佐伯市",
        "department",
        municipality=SAIKI,
        name_kana="さいきし",
        description=(
            "市役所（部署の上位組織）。平成17年に1市5町3村が合併し、九州の市町村で最も面積が"
            "広く（903㎢）集落が点在。令和5年度に大分県の伴走的支援（移動支援）を受けた。"
        ),
        problems=(
            "令和3年10月に民間バス事業者が大分佐伯線を除く路線を廃止。地域ケア会議で挙げられる"
            "地域課題の多くは「バス停までの距離があり、デマンドバスを利用できない」など移動支援"
            "に関すること。住民の移動支援を対象者や地域を制限せず進めると既存の地域公共交通が"
            "乗客減少で経営を維持できなくなるおそれがあり、共存の方策を国に求めている。"
        ),
        problem_tags=("移動支援", "地域公共交通との共存"),
        source=("事例表№2 佐伯市 1(1); 4; II 1 ①《佐伯市》"),
    ),
    _org(
        "saiki-koureisha-fukushi",
        "高齢者福祉課",
        "department",
        municipality=SAIKI,
        name_kana="こうれいしゃふくしか",
        parent="saiki-city",
        description=(
            "地域包括を置く（「高齢者福祉課（地域包括）」）。伴走的支援を受けた移動支援の取組の"
            "中心。生活支援体制整備事業による生活支援サービスの実施支援を推進。コミュニティ創生課"
            "とともに地域における支え合いの交通を推進する立場。"
        ),
        problems="高齢者福祉部署のみで地域づくりに取り組むことには限界がある。",
        problem_tags=("庁内連携",),
        source=("事例表№2 佐伯市 2(3); 2(4); 3; II 1 ①《佐伯市》"),
    ),
    _org(
        "saiki-houkatsu",
        "地域包括支援センター",
        "community_care_center",
        municipality=SAIKI,
        name_kana="ちいきほうかつしえんせんたー",
        parent="saiki-koureisha-fukushi",
        description=(
            "高齢者福祉課の地域包括（「高齢者福祉課（地域包括）」）。伴走的支援で対話した関係者。"
        ),
        source=("事例表№2 佐伯市 1(2) 注; 2(4); II 1 ①《佐伯市》"),
    ),
    _org(
        "saiki-community-sousei",
        "コミュニティ創生課",
        "department",
        municipality=SAIKI,
        name_kana="こみゅにてぃそうせいか",
        parent="saiki-city",
        description=(
            "地域づくり担当部署。令和3年度から新たな地域組織づくりに取り組み、令和5年度に直川地域"
            "を含む市内4地域でコミュニティ協議会の運営を開始（その後順次拡大）。伴走的支援を"
            "通じて地域公共交通担当課（地域振興課）とのつながりができた。"
        ),
        strengths="同課の参加により、コミュニティ協議会とSCとが効果的に連携することができた。",
        source=("事例表№2 佐伯市 2(1); 2(4); 3; II 1 ①《佐伯市》"),
    ),
    _org(
        "saiki-chiiki-shinko",
        "地域振興課",
        "department",
        municipality=SAIKI,
        name_kana="ちいきしんこうか",
        parent="saiki-city",
        description=(
            "地域公共交通担当部署。廃止路線を引き継いでコミュニティバスを運行し、幹線への接続が"
            "不便な地域でもバスを運行（令和3年10月に一部路線をデマンド型運行に切り替え、タクシー"
            "会社に委託）。基本的に民間交通事業者を含めた既存の地域公共交通を守る立場。"
        ),
        strengths=(
            "同課の参加により、地域公共交通施策との連携や地域公共交通業者との調整（大分運輸支局"
            "への説明や地元公共交通事業者との交渉）が円滑に進んだ。"
        ),
        strength_tags=("地域公共交通",),
        source=("事例表№2 佐伯市 1(1); 2(4); 3"),
    ),
    _org(
        "saiki-shakyo",
        "佐伯市社会福祉協議会",
        "social_welfare_council",
        municipality=SAIKI,
        name_kana="さいきししゃかいふくしきょうぎかい",
        description=(
            "市から生活支援体制整備事業を受託し、生活支援コーディネーター（SC）を配置。市内全域を"
            "対象とした第1層協議体（SC2人）と、9地域に分けた第2層協議体（SC17人）を設置。"
        ),
        strengths=(
            "SCの支援で地域組織（のちの直川地域コミュニティ協議会 福祉・生活支援部会）を立ち上げ、"
            "同地域担当のSCが直川地域コミュニティ協議会の設立段階から支援している。"
        ),
        source=("事例表№2 佐伯市 1(1); 2(3)"),
    ),
    _org(
        "naokawa-council",
        "直川地域コミュニティ協議会",
        "community_council",
        municipality=SAIKI,
        name_kana="なおかわちいきこみゅにてぃきょうぎかい",
        description=(
            "愛称「直川の未来をサポートする会（ミラサポ）」。令和5年度に運営開始。令和5年3月に"
            "「直川地域まちづくり計画」を策定し、みまもり隊とおたすけ隊が連携してデマンドバスの"
            "利用促進に向けた広報・周知、デマンドバス停までの移動手段の確保に向けた調査・研究、"
            "通院や日用品の買い物など地域外への移動手段の確保に取り組む。大分県小規模集落等支援"
            "事業費補助金（令和6年度から大分県高齢化集落等支援事業補助金）と佐伯市地域コミュニティ"
            "推進事業費補助金を活用。"
        ),
        strengths=(
            "地域住民に高齢者の移動に関するアンケート調査を実施し、ボランティア送迎があればすぐ"
            "にでも利用したいと11人が回答。大分運輸支局への相談、地元公共交通事業者への説明、"
            "運転ボランティア養成講座・介助講習への参加。同地域担当のSCが設立段階から支援。"
        ),
        problems=(
            "地域課題として買い物や通院の際の交通の利便が悪いことが最多。公共交通事業者の空白"
            "地域。移動支援の本格実施に向け、対象者の範囲や実施形態、経費・補助金の活用など細部を"
            "検討中（令和7年5月時点）。"
        ),
        strength_tags=("住民主体", "移動支援"),
        problem_tags=("移動支援", "公共交通空白地"),
        districts=("直川地域",),
        source=("事例表№2 佐伯市 2(1); 2(2); 2(3); 2(4); 3"),
    ),
    _org(
        "naokawa-mimamori",
        "福祉・生活支援部会（みまもり隊）",
        "community_council",
        municipality=SAIKI,
        name_kana="ふくし・せいかつしえんぶかい（みまもりたい）",
        parent="naokawa-council",
        description=(
            "直川地域コミュニティ協議会の部会。SCの支援で立ち上げた地域組織が発展したもの。"
            "防災・交通・環境部会（おたすけ隊）と連携して移動手段の確保に取り組む。"
        ),
        problems=(
            "前身の地域組織が自家用車による移動支援を検討したが、地元交通事業者の理解を得られるか"
            "不透明、道路運送法等関係制度の知識不足、事故発生時の補償問題、燃料代や保険料の負担"
            "等から足踏み状態となった（伴走的支援前）。"
        ),
        problem_tags=("移動支援", "道路運送法"),
        districts=("直川地域",),
        source=("事例表№2 佐伯市 1(1); 2(1); II 1 ①《佐伯市》"),
    ),
    _org(
        "naokawa-otasuke",
        "防災・交通・環境部会（おたすけ隊）",
        "community_council",
        municipality=SAIKI,
        name_kana="ぼうさい・こうつう・かんきょうぶかい（おたすけたい）",
        parent="naokawa-council",
        description=(
            "直川地域コミュニティ協議会の部会。福祉・生活支援部会（みまもり隊）と連携して"
            "デマンドバスの利用促進や地域外への移動手段の確保に取り組む。"
        ),
        districts=("直川地域",),
        source="事例表№2 佐伯市 2(1); II 1 ①《佐伯市》",
    ),
    _org(
        "yayoi-swc",
        "弥生地域の社会福祉法人（仮）",
        "social_welfare_corporation",
        municipality=SAIKI,
        description=(
            "弥生地域で、地域貢献事業として法人車両の空き時間を使った高齢者の移動支援を"
            "「互助」の取組として本稼働させている社会福祉法人。名称は報告書に記載なし（仮の名称）。"
        ),
        strengths="移動支援に協力意向があり、移動支援に熱意がある。",
        strength_tags=("移動支援",),
        districts=("弥生地域",),
        source=(f"{_NAME_NOT_PRINTED}; II 1 ①《佐伯市》; 事例表№2 佐伯市 1(2), 2(2); 事例表№6"),
    ),
    _org(
        "saiki-taxi",
        "デマンドバス運行委託先のタクシー会社（仮）",
        "company",
        municipality=SAIKI,
        description=(
            "佐伯市がデマンド型運行に切り替えたバス路線の運行を受託し、デマンドバスの予約を受ける"
            "タクシー会社。名称は報告書に記載なし（仮の名称）。"
        ),
        source=(f"{_NAME_NOT_PRINTED}; 事例表№2 佐伯市 1(1); 2(4)"),
    ),
    # --- 鹿児島市 ----------------------------------------------------------------------
    _org(
        "kagoshima-city",
        "鹿児島市",
        "department",
        municipality=KAGOSHIMA,
        name_kana="かごしまし",
        description=(
            "市役所（部署の上位組織）。17日常生活圏域。地域コミュニティ協議会は令和7年4月現在"
            "79地域。令和6年10月に「鹿児島市第2層協議体認定要領」を制定。SCを第1層（市全域）に"
            "1人、第2層（圏域）に6人配置。"
        ),
        problems=(
            "道路運送法に基づく許可等に関する理解の不足や、互助の範囲内でできる移動支援をどう推進"
            "すればよいか分からなかった。継続的な取組には旗振り役となる人的資源と財源が必要で、"
            "その対応が最大の課題。地域連携の現場では属人的なネットワークで物事を進めることがあり、"
            "中心人物の異動等で取組が進展しないこともある。"
        ),
        problem_tags=("人的資源", "財源", "属人的", "道路運送法"),
        source=("事例表№3 鹿児島市 1(1); 1(2); 2(2); 3"),
    ),
    _org(
        "kagoshima-chouju-anshin",
        "長寿あんしん課",
        "department",
        municipality=KAGOSHIMA,
        name_kana="ちょうじゅあんしんか",
        parent="kagoshima-city",
        description=(
            "17日常生活圏域ごとに地域ケア推進会議を開催（年3回、令和6年度からは年2回）。地域包括"
            "ケア推進の一環として移動支援をテーマとする伴走的支援（令和4年度）の中心。令和6年度"
            "からSCを増員し、地域ケア推進会議の下に地域ケア分科会議を設置。"
        ),
        problems=(
            "伴走的支援を受けるに当たって庁内からの参加は同課のみで、他の部署は参加していない"
            "（何を依頼するか、どう連携するか定まっていなかったため）。"
        ),
        problem_tags=("庁内連携",),
        source=("事例表№3 鹿児島市 1(1); 1(2); 2(1)"),
    ),
    _org(
        "kagoshima-koutsu-seisaku",
        "交通政策課",
        "department",
        municipality=KAGOSHIMA,
        name_kana="こうつうせいさくか",
        parent="kagoshima-city",
        description=(
            "公共交通不便地対策としてコミュニティバスを運行。総合事業のサービス・活動Dによる移動"
            "支援を実施するには同課との調整が必要とされる。"
        ),
        source="事例表№3 鹿児島市 2(3)",
    ),
    _org(
        "kagoshima-houkatsu",
        "長寿あんしん相談センター",
        "community_care_center",
        municipality=KAGOSHIMA,
        name_kana="ちょうじゅあんしんそうだんせんたー",
        description=(
            "鹿児島市の地域包括支援センターの呼称。各圏域で地域ケア推進会議を主催し、令和6年度"
            "から地域ケア分科会議を開催。地域包括のSCが地域に出向いて地域支えあい出前講座を開催。"
        ),
        problems=(
            "移動支援のニーズ調査を実施する意向がある地域包括があったが、担当者の異動等により"
            "継続的な協議ができず進展しなかった。"
        ),
        problem_tags=("人事異動",),
        source=("事例表№3 鹿児島市 1(1) 注; 1(2); 2(1); 2(2)"),
    ),
    _org(
        "yoshino-council",
        "吉野校区コミュニティ協議会",
        "community_council",
        municipality=KAGOSHIMA,
        name_kana="よしのこうくこみゅにてぃきょうぎかい",
        description="吉野地域支えあい座談会（第2層協議体）の構成団体。",
        districts=("吉野校区",),
        source=("事例表№3 鹿児島市 2(2); II 1 ②《鹿児島市》"),
    ),
    _org(
        "yoshino-zadankai",
        "吉野地域支えあい座談会",
        "other",
        municipality=KAGOSHIMA,
        name_kana="よしのちいきささえあいざだんかい",
        description=(
            "「鹿児島市第2層協議体認定要領」に基づき市が認定した地域支えあい座談会（第2層協議体）。"
            "令和7年1月認定（令和7年5月現在、唯一の認定団体）。吉野校区コミュニティ協議会のほか"
            "自動車学校など6団体で構成。送迎・移動支援のドライバー等向けのセミナーを開催。"
        ),
        strengths="設立段階から地域担当のSCが支援している。",
        districts=("吉野校区",),
        source=("事例表№3 鹿児島市 2(2); II 1 ②《鹿児島市》"),
    ),
    _org(
        "yoshino-driving-school",
        "自動車学校（吉野地域支えあい座談会の構成団体）（仮）",
        "driving_school",
        municipality=KAGOSHIMA,
        description=(
            "吉野地域支えあい座談会の構成団体で、同座談会のセミナー（令和7年5月15日）の会場。"
            "名称は報告書に記載なし（仮の名称）。"
        ),
        source=(f"{_NAME_NOT_PRINTED}; 事例表№3 鹿児島市 2(2)"),
    ),
    _org(
        "yoshino-member-3",
        "吉野地域支えあい座談会の構成団体3（仮）",
        "other",
        municipality=KAGOSHIMA,
        description=(
            "吉野地域支えあい座談会は吉野校区コミュニティ協議会・自動車学校など6団体で構成されるが、"
            "残りの構成団体は報告書に記載がない（仮の記録）。"
        ),
        source=(f"{_NAME_NOT_PRINTED}; 事例表№3 鹿児島市 2(2)"),
    ),
    _org(
        "yoshino-member-4",
        "吉野地域支えあい座談会の構成団体4（仮）",
        "other",
        municipality=KAGOSHIMA,
        description=(
            "吉野地域支えあい座談会は吉野校区コミュニティ協議会・自動車学校など6団体で構成されるが、"
            "残りの構成団体は報告書に記載がない（仮の記録）。"
        ),
        source=(f"{_NAME_NOT_PRINTED}; 事例表№3 鹿児島市 2(2)"),
    ),
    _org(
        "yoshino-member-5",
        "吉野地域支えあい座談会の構成団体5（仮）",
        "other",
        municipality=KAGOSHIMA,
        description=(
            "吉野地域支えあい座談会は吉野校区コミュニティ協議会・自動車学校など6団体で構成されるが、"
            "残りの構成団体は報告書に記載がない（仮の記録）。"
        ),
        source=(f"{_NAME_NOT_PRINTED}; 事例表№3 鹿児島市 2(2)"),
    ),
    _org(
        "yoshino-member-6",
        "吉野地域支えあい座談会の構成団体6（仮）",
        "other",
        municipality=KAGOSHIMA,
        description=(
            "吉野地域支えあい座談会は吉野校区コミュニティ協議会・自動車学校など6団体で構成されるが、"
            "残りの構成団体は報告書に記載がない（仮の記録）。"
        ),
        source=(f"{_NAME_NOT_PRINTED}; 事例表№3 鹿児島市 2(2)"),
    ),
    _org(
        "miya-tasuketai",
        "宮たすけ隊",
        "volunteer_group",
        municipality=KAGOSHIMA,
        name_kana="みやたすけたい",
        description=(
            "正式名称「支えあい活動団体宮たすけ隊」。支えあい活動補助金を受け、総合事業の訪問型"
            "サービス・活動Bとして地域高齢者の生活支援を行う。活動の8割は買物や通院の外出同行。"
            "令和5年10月に公民館長から地域包括経由でSCに地域のために何か貢献したいと相談が"
            "あったことが発端で、同補助金を活用するため公民館と別会計の別組織として設立。"
        ),
        strengths=(
            "自動車による高齢者の「買い物・移動支援」をサービス・活動Bとして行う団体（令和7年6月"
            "現在、補助金で活動する17団体のうち1団体）。利用者の状況に応じて店内や病院内でも付き添う。"
        ),
        strength_tags=("移動支援", "付き添い"),
        source=("事例表№3 鹿児島市 2(3) 支えあい活動補助金"),
    ),
    _org(
        "miya-kominkan",
        "公民館（宮たすけ隊の発端となった公民館）（仮）",
        "community_centre",
        municipality=KAGOSHIMA,
        description=(
            "公民館長が地域包括経由でSCに地域貢献の相談をしたことが宮たすけ隊設立の発端。"
            "名称は報告書に記載なし（仮の名称）。"
        ),
        source=f"{_NAME_NOT_PRINTED}; 事例表№3 鹿児島市 2(3)",
    ),
    # --- 久留米市 ----------------------------------------------------------------------
    _org(
        "kurume-city",
        "久留米市",
        "department",
        municipality=KURUME,
        name_kana="くるめし",
        description=(
            "市役所（部署の上位組織）。令和6年度地域づくり加速化事業の伴走的支援で通所型サービスC"
            "の見直しに取り組み、令和6〜9年度のロードマップを作成。"
        ),
        strengths=(
            "伴走的支援の意見交換を通じて庁内外の関係者が互いの強みを認識・共有し、住民主体の地域"
            "づくりに取り組む地区や通所型サービスCの制度構築に協力意向のある介護事業所も把握。"
        ),
        problems=(
            "新規認定者の大半が要支援1〜要介護1の軽度者で介護給付費が増加、自立した元の生活に"
            "戻る（戻す）という認識が薄い。関係部署はいずれも業務多忙で地域づくりに特化した取組を"
            "行っておらず、互いにどこまで関与できるか不透明。具体的な作業分担まで定められなかった。"
        ),
        problem_tags=("庁内連携", "業務多忙"),
        source=("事例表№4 久留米市 1(1); 1(2); 2; 3; 4"),
    ),
    *[
        _org(
            key,
            name,
            "department",
            municipality=KURUME,
            name_kana=kana,
            parent="kurume-city",
            description=f"{duty}。伴走的支援に参加。{extra}",
            problems=(
                "伴走的支援に参加した部署はいずれも業務多忙で、地域づくりに特化した取組を"
                "行っているわけではない（市の懸念）。"
            ),
            problem_tags=("業務多忙",),
            source=f"事例表№4 久留米市 1(2); 3{lines}",
        )
        for key, name, kana, duty, extra, lines in [
            (
                "kurume-chiiki-fukushi",
                "地域福祉課",
                "ちいきふくしか",
                "生活支援体制整備事業等を担当",
                "",
                "; 1(2)",
            ),
            (
                "kurume-kaigo-hoken",
                "介護保険課",
                "かいごほけんか",
                "総合事業等を担当",
                "久留米市総合事業見直し作業部会の構成部署。",
                "; 2",
            ),
            (
                "kurume-chouju-shien",
                "長寿支援課",
                "ちょうじゅしえんか",
                "総合事業等を担当",
                "久留米市総合事業見直し作業部会の構成部署。",
                "; 2",
            ),
            (
                "kurume-kenko-fukushi-somu",
                "健康福祉部総務",
                "けんこうふくしぶそうむ",
                "健康福祉行政の総合企画、調整等を担当",
                "",
                "",
            ),
        ]
    ],
    _org(
        "kurume-houkatsu",
        "地域包括支援センター",
        "community_care_center",
        municipality=KURUME,
        name_kana="ちいきほうかつしえんせんたー",
        description=(
            "伴走的支援で庁内関係課と意見交換。久留米市総合事業見直し作業部会の構成機関。"
        ),
        source=("事例表№4 久留米市 1(2); 2"),
    ),
    _org(
        "kurume-sagyo-bukai",
        "久留米市総合事業見直し作業部会",
        "other",
        municipality=KURUME,
        name_kana="くるめしそうごうじぎょうみなおしさぎょうぶかい",
        parent="kurume-city",
        description=(
            "介護保険課、長寿支援課、地域包括支援センターで構成。通所型サービスCによる支援対象者像"
            "の決定、モデル事業の仕様検討・作成を進め、関係機関との作業分担を進める。"
        ),
        visibility="partners",
        source=("事例表№4 久留米市 2; 4"),
    ),
    # --- 出水市 ------------------------------------------------------------------------
    _org(
        "izumi-city",
        "出水市",
        "department",
        municipality=IZUMI,
        name_kana="いずみし",
        description=(
            "市役所（部署の上位組織）。令和4年度地域づくり加速化事業の伴走的支援で通所型サービスC"
            "の見直しと支援卒業後の受皿（居場所）づくりに取り組み、出水市総合事業等実施行程表を作成。"
        ),
        strengths=(
            "担当者以外の職員（他課を含む）も住民を含む多様な主体と検討する仕組みの必要性を感じ、"
            "先進自治体への視察が実現するなど連携体制を構築しやすくなった。"
        ),
        problems=(
            "地域住民のニーズを組織として具体的に把握できていない、住民を含めた関係者との合意形成"
            "が足りていない、地域資源を把握できていない。庁内外の連携の現場では属人的なネット"
            "ワークで物事を進めることがあり、中心人物の異動等で取組が進展しないこともある。"
        ),
        problem_tags=("属人的", "地域資源の把握"),
        source=("事例表№5 出水市 1(2); 3"),
    ),
    _org(
        "izumi-ikiiki-chouju",
        "いきいき長寿課",
        "department",
        municipality=IZUMI,
        name_kana="いきいきちょうじゅか",
        parent="izumi-city",
        description=(
            "地域包括を課内に置く。伴走的支援を受けての取組の中心。課内の地域包括ケア推進係、"
            "介護保険係、地域包括職員で検討チームを立ち上げ、課の保健師と認知症地域支援推進員も"
            "毎月のSC定例会に参加して情報交換。"
        ),
        problems=(
            "総合事業の事業対象者・要支援者が増加する中、地域包括の職員数（令和4年度27人）では"
            "人員に限界があり対応が困難であった。担当者の人事異動による取組の一時的な停滞は避け"
            "られない。同課だけで高齢者支援に限定して地域づくりに取り組むことには限界を感じている。"
        ),
        problem_tags=("人員不足", "人事異動", "庁内連携"),
        source=("事例表№5 出水市 1(1); 1(2); 2; 3"),
    ),
    _org(
        "izumi-suishin-kakari",
        "地域包括ケア推進係",
        "department",
        municipality=IZUMI,
        name_kana="ちいきほうかつけあすいしんかかり",
        parent="izumi-ikiiki-chouju",
        description="いきいき長寿課内の係。総合事業の見直しの検討チームの一員。",
        source="事例表№5 出水市 2",
    ),
    _org(
        "izumi-kaigo-hoken-kakari",
        "介護保険係",
        "department",
        municipality=IZUMI,
        name_kana="かいごほけんかかり",
        parent="izumi-ikiiki-chouju",
        description="いきいき長寿課内の係。総合事業の見直しの検討チームの一員。",
        source="事例表№5 出水市 2",
    ),
    _org(
        "izumi-houkatsu",
        "地域包括支援センター",
        "community_care_center",
        municipality=IZUMI,
        name_kana="ちいきほうかつしえんせんたー",
        parent="izumi-ikiiki-chouju",
        description=(
            "「地域包括（いきいき長寿課内）」。職員数は令和4年度27人。地域包括職員が総合事業の"
            "見直しの検討チームに参加。"
        ),
        source=("事例表№5 出水市 1(1); 2; II 1 ③《出水市》"),
    ),
    *[
        _org(
            f"izumi-dept-{index}",
            name,
            "department",
            municipality=IZUMI,
            name_kana=kana,
            parent="izumi-city",
            description=f"伴走的支援の意見交換に庁内から参加した部署。{extra}",
            source="事例表№5 出水市 1(2) 伴走的支援を受けた取組の経緯等",
        )
        for index, (name, kana, extra) in enumerate(
            [
                (
                    "政策経営部企画政策課",
                    "せいさくけいえいぶきかくせいさくか",
                    "総合政策係が参加。",
                ),
                ("保健福祉部健康増進課", "ほけんふくしぶけんこうぞうしんか", ""),
                ("福祉課", "ふくしか", ""),
                ("安心サポートセンター", "あんしんさぽーとせんたー", ""),
                ("市民部市民生活課", "しみんぶしみんせいかつか", ""),
                ("生活環境課", "せいかつかんきょうか", ""),
                ("政策経営部財政課", "せいさくけいえいぶざいせいか", ""),
                ("安全安心推進課", "あんぜんあんしんすいしんか", ""),
                ("コミュニティ推進課", "こみゅにてぃすいしんか", ""),
                (
                    "教育委員会教育部生涯学習課",
                    "きょういくいいんかいきょういくぶしょうがいがくしゅうか",
                    "",
                ),
            ],
            start=1,
        )
    ],
    _org(
        "izumi-shakyo",
        "出水市社会福祉協議会",
        "social_welfare_council",
        municipality=IZUMI,
        name_kana="いずみししゃかいふくしきょうぎかい",
        description=(
            "第1層SC担当者が伴走的支援の意見交換に庁外から参加。（報告書の表記は「社会福祉協議会」。"
            "市名を補った名称）"
        ),
        source="事例表№5 出水市 1(2)",
    ),
    _org(
        "izumi-swc-sc",
        "SCを配置する社会福祉法人（仮）",
        "social_welfare_corporation",
        municipality=IZUMI,
        description=(
            "生活支援コーディネーター（SC）が配置されている社会福祉法人。SCが伴走的支援の意見交換"
            "に参加。名称は報告書に記載なし（仮の名称）。"
        ),
        source=f"{_NAME_NOT_PRINTED}; 事例表№5 出水市 1(2)",
    ),
    _org(
        "izumi-day-c-provider",
        "通所型サービスC指定事業所（仮）",
        "care_provider",
        municipality=IZUMI,
        description=(
            "出水市の通所型サービスCの指定事業所。伴走的支援の意見交換に参加。名称は報告書に記載"
            "なし（仮の名称）。"
        ),
        source=f"{_NAME_NOT_PRINTED}; 事例表№5 出水市 1(2)",
    ),
    _org(
        "izumi-zaitaku-center",
        "在宅介護支援センター",
        "other",
        municipality=IZUMI,
        name_kana="ざいたくかいごしえんせんたー",
        description="職員が伴走的支援の意見交換に庁外から参加。",
        source="事例表№5 出水市 1(2)",
    ),
    _org(
        "izumi-ninchisho-team",
        "認知症初期集中支援チーム",
        "other",
        municipality=IZUMI,
        name_kana="にんちしょうしょきしゅうちゅうしえんちーむ",
        description="チーム員が伴走的支援の意見交換に庁外から参加。",
        source="事例表№5 出水市 1(2)",
    ),
    _org(
        "izumi-hospital",
        "市立病院",
        "medical_institution",
        municipality=IZUMI,
        name_kana="しりつびょういん",
        description="理学療法士が伴走的支援の意見交換に庁外から参加。（報告書の表記「市立病院」）",
        source="事例表№5 出水市 1(2)",
    ),
]

# ---------------------------------------------------------------------------------------
# Locations (no addresses: the report prints none)
# ---------------------------------------------------------------------------------------

LOCATIONS: list[dict[str, Any]] = [
    {
        "key": "yoshino-driving-school",
        "organisation": "yoshino-driving-school",
        "name": "自動車学校（吉野地域支えあい座談会の構成団体）（仮）",
        "district": None,
        "source": f"{_NAME_NOT_PRINTED}; 事例表№3 鹿児島市 2(2)",
    },
]

# ---------------------------------------------------------------------------------------
# Resources
# ---------------------------------------------------------------------------------------

_KAWARA_TOWN_SERVICES_SRC = "事例表№1 香春町 3(1); II 2 図表3 香春町。担当部署は報告書に記載なし"
_MIYA_SRC = "事例表№3 鹿児島市 2(3) 支えあい活動補助金"
_MIYA_ELIGIBILITY_NOTE = (
    "「鹿児島市介護予防・日常生活支援総合事業実施要綱」で規定する居宅要支援被保険者等"
)
# What the 宮地区たすけ隊 rides (買い物, 通院) share: 訪問型サービス・活動B under one subsidy.
_MIYA_SERVICE_B: dict[str, Any] = {
    "eligibility": ("support-required", "program-eligible"),
    "eligibility_note": _MIYA_ELIGIBILITY_NOTE,
    "funding_basis": "sogo_jigyo",
    "sogo_service_type": "home_b",
    "subsidy_name": "支えあい活動補助金",
    "source": _MIYA_SRC,
}

RESOURCES: list[dict[str, Any]] = [
    # --- 香春町 ------------------------------------------------------------------------
    _resource(
        "kawara-emergency-alarm",
        "kawara-town",
        "緊急通報装置の貸与",
        "emergency-alarm",
        description=(
            "町が一人暮らし高齢者向けに緊急通報装置を貸与している。地域コミュニティ協議会側に"
            "十分に知られていなかった。"
        ),
        eligibility=("living-alone", "age-65"),
        serves_whole_municipality=True,
        funding_basis="public_service",
        source=_KAWARA_TOWN_SERVICES_SRC,
    ),
    _resource(
        "kawara-watching",
        "kawara-town",
        "見守り活動",
        "watching",
        description=(
            "町が現に実施している見守り活動。緊急通報装置の貸与とともに、地域コミュニティ協議会"
            "側に十分に知られていなかった。"
        ),
        eligibility=("living-alone", "age-65"),
        eligibility_note="報告書の記載「一人暮らし高齢者向けの緊急通報装置の貸与や見守り活動など」による",
        serves_whole_municipality=True,
        funding_basis="public_service",
        source=_KAWARA_TOWN_SERVICES_SRC,
    ),
    _resource(
        "kawara-service-b",
        "kawara-hoken-kenko",
        "住民主体による日常生活支援（サービスB）",
        "daily-life",
        description=(
            "住民主体による高齢者への日常生活支援（見守り活動、ゴミ出し支援など）を行うサービスB"
            "の構築に取り組む（伴走的支援を受けて決定）。実施内容・主体は未定。"
        ),
        funding_basis="sogo_jigyo",
        sogo_service_type="home_b",
        status="planned",
        visibility="partners",
        source=("事例表№1 香春町 1(1), 1(2) 総合事業等を担当する保険健康課 ; II 1 ①《香春町》"),
    ),
    _resource(
        "saidosho-health-consultation",
        "saidosho-council",
        "健康相談",
        "health-consultation",
        description=(
            "採銅所地域コミュニティ協議会が以前から開催したい意向のあった住民対象の健康相談。"
            "伴走的支援を通じて保険健康課との関係構築が進み、同課保健師の派遣支援等により実現。"
        ),
        eligibility=("anyone",),
        eligibility_note="地域の住民",
        districts=("採銅所地域",),
        sessions=(
            {"date": "2025-05-14", "note": "令和7年5月14日（保険健康課保健師の派遣支援等）"},
        ),
        source="事例表№1 香春町 2 伴走的支援後の取組",
    ),
    # --- 佐伯市 ------------------------------------------------------------------------
    _resource(
        "saiki-community-bus",
        "saiki-chiiki-shinko",
        "コミュニティバス",
        "community-bus",
        description=(
            "令和3年10月に民間バス事業者が大分佐伯線を除く路線を廃止したことを受け、市が廃止路線"
            "を引き継いで運行。"
        ),
        eligibility=("anyone",),
        funding_basis="public_service",
        source=("事例表№2 佐伯市 1(1); 4"),
    ),
    _resource(
        "saiki-demand-bus",
        "saiki-chiiki-shinko",
        "デマンドバス",
        "community-bus",
        description=(
            "幹線となるコミュニティバス路線への接続が不便な地域で市町村合併前から運行するバスの"
            "一部路線を、令和3年10月に定時定路線からデマンド型運行に切り替え、タクシー会社に委託。"
            "予約は委託先のタクシー会社へ。コミュニティバスへの乗継ぎ・乗継乗車券あり。"
            "「バス停までの距離があり、デマンドバスを利用できない」との地域課題が多い。"
        ),
        eligibility=("anyone",),
        funding_basis="public_service",
        source=("事例表№2 佐伯市 1(1); 2(4); 4"),
    ),
    _resource(
        "naokawa-demand-bus-video",
        "naokawa-council",
        "デマンドバスの乗り方動画（YouTube）",
        "community-bus",
        description=(
            "直川地域まちづくり計画に基づく取組の一環として作成した、デマンドバスの乗り方（委託先"
            "タクシー会社への予約、コミュニティバスへの乗り継ぎ、乗継乗車券の利用方法等）に関する"
            "YouTube動画。県・市の補助金で協議会の取組を支援。URLは報告書に記載なし。"
        ),
        eligibility=("anyone",),
        districts=("直川地域",),
        funding_basis="subsidy",
        subsidy_name="大分県高齢化集落等支援事業補助金、佐伯市地域コミュニティ推進事業費補助金",
        source="事例表№2 佐伯市 2(4)",
    ),
    _resource(
        "naokawa-volunteer-rides",
        "naokawa-council",
        "ボランティアによる移動支援（通院・買い物）",
        "mobility",
        description=(
            "生活支援ボランティアによる通院や日用品の買い物など地域外への移動支援の創設に取り組む。"
            "令和6年度に実証実験を3回実施し、本格実施に向けて細部を検討中（令和7年5月時点）。"
            "総合事業のサービス・活動Bを活用した本格実施に向けて取組を進めている。"
        ),
        eligibility_note="対象者の範囲は検討中（令和7年5月時点）",
        districts=("直川地域",),
        funding_basis="subsidy",
        sogo_service_type="home_b",
        subsidy_name="県や市の地域コミュニティ協議会への補助金",
        status="planned",
        source=("事例表№2 佐伯市 1(2); 2(2); 事例表№6 大分県 1"),
    ),
    _resource(
        "saiki-driver-course",
        "saiki-city",
        "運転ボランティア養成講座",
        "volunteer-training",
        description=("市が伴走的支援の一環として開催。直川地域（コミュニティ協議会）が参加。"),
        schedule_note="令和5年12月（日付は報告書に記載なし）",
        status="ended",
        source=("事例表№2 佐伯市 2(1); II 1 ①《佐伯市》"),
    ),
    _resource(
        "saiki-helper-training",
        "saiki-city",
        "運転ボランティア向けの介助講習",
        "volunteer-training",
        description="市が伴走的支援の一環として開催。直川地域（コミュニティ協議会）が参加。",
        schedule_note="令和6年2月（日付は報告書に記載なし）",
        status="ended",
        source=("事例表№2 佐伯市 2(1); II 1 ①《佐伯市》"),
    ),
    _resource(
        "yayoi-idle-vehicle-rides",
        "yayoi-swc",
        "法人車両の空き時間を使った高齢者の移動支援",
        "mobility",
        description=(
            "社会福祉法人の地域貢献事業として、法人車両の空き時間で高齢者の移動支援を行う。"
            "総合事業に当たらない「互助」の取組として本稼働。"
        ),
        eligibility=("age-65",),
        eligibility_note="高齢者",
        districts=("弥生地域",),
        funding_basis="mutual_aid",
        source=("事例表№2 佐伯市 1(2); 2(2); 事例表№6 大分県 1"),
    ),
    # --- 鹿児島市 ----------------------------------------------------------------------
    _resource(
        "kagoshima-sasaeai-subsidy",
        "kagoshima-city",
        "支えあい活動補助金",
        "daily-life",
        description=(
            "総合事業の訪問型サービス・活動B（住民主体によるサービス・活動）として外出付添い、"
            "調理支援、掃除、買い物、ゴミ出し、洗濯など1回30分以上の生活援助を行う、一定の要件を"
            "満たした団体に交付。令和7年6月現在17団体が活動。対象者に要支援者や基本チェックリスト"
            "該当者が半数以上いれば運営費全体の補助が可能。"
        ),
        eligibility_note="一定の要件を満たした団体（支援の対象は居宅要支援被保険者等）",
        serves_whole_municipality=True,
        funding_basis="sogo_jigyo",
        sogo_service_type="home_b",
        subsidy_name="支えあい活動補助金",
        source=("事例表№3 鹿児島市 2(3); 3"),
    ),
    _resource(
        "miya-shopping-rides",
        "miya-tasuketai",
        "買い物の送迎・付き添い",
        "mobility",
        description=(
            "活動員の自家用車で利用者の自宅から商業施設まで送り、利用者の状況に応じて店内でも"
            "付き添い、終わったら自宅に送り届ける（訪問型サービス・活動B）。"
        ),
        **_MIYA_SERVICE_B,
    ),
    _resource(
        "miya-hospital-escort",
        "miya-tasuketai",
        "通院の送迎・付き添い",
        "escort",
        description=(
            "活動員の自家用車で利用者の自宅から医療施設まで送り、利用者の状況に応じて病院内でも"
            "付き添い、終わったら自宅に送り届ける（訪問型サービス・活動B）。"
        ),
        **_MIYA_SERVICE_B,
    ),
    _resource(
        "kagoshima-community-bus",
        "kagoshima-koutsu-seisaku",
        "コミュニティバス（公共交通不便地対策）",
        "community-bus",
        description="市交通政策課が公共交通不便地対策として運行するコミュニティバス。",
        eligibility=("anyone",),
        funding_basis="public_service",
        source="事例表№3 鹿児島市 2(3)",
    ),
    _resource(
        "kagoshima-demae-koza",
        "kagoshima-houkatsu",
        "地域支えあい出前講座",
        "outreach-lecture",
        description=(
            "地域包括のSCが地域に出向いて開催し、地域支えあい座談会の取組や訪問型サービス・活動B"
            "の立ち上げを支援し、地域住民主体の活動の普及啓発を行う。"
        ),
        schedule_note="令和6年度 20回",
        source=("事例表№3 鹿児島市 2(2); 2(3)"),
    ),
    _resource(
        "yoshino-driver-seminar",
        "yoshino-zadankai",
        "送迎ドライバー向けセミナー（運転スキル・介護技術）",
        "volunteer-training",
        description=(
            "福祉や介護に関する送迎・移動支援のドライバーや、これから福祉や介護に関する送迎に"
            "興味のある住民向けに、運転スキルや介護技術を学べるセミナーを自動車学校で開催。"
        ),
        eligibility_note="送迎・移動支援のドライバー、送迎に興味のある住民",
        districts=("吉野校区",),
        locations=("yoshino-driving-school",),
        sessions=({"date": "2025-05-15", "note": "令和7年5月15日 自動車学校で開催"},),
        source=("事例表№3 鹿児島市 2(2); II 1 ②《鹿児島市》"),
    ),
    # --- 出水市 ------------------------------------------------------------------------
    _resource(
        "izumi-day-c",
        "izumi-day-c-provider",
        "通所型サービスC",
        "exercise",
        description=(
            "短期集中予防サービス。出水市は伴走的支援を受けて見直しと支援卒業後の受皿（居場所）"
            "づくりに取り組む。"
        ),
        eligibility=("support-required", "program-eligible"),
        funding_basis="sogo_jigyo",
        sogo_service_type="day_c",
        source=("事例表№5 出水市 1(2); 2"),
    ),
    # --- 久留米市 ----------------------------------------------------------------------
    _resource(
        "kurume-day-c-model",
        "kurume-city",
        "通所型サービスC モデル事業（検討中）",
        "exercise",
        description=(
            "3月以上6月以下の期間を定めて専門職が集中して関わる通所型サービスCのモデル事業。"
            "支援対象者像の決定と仕様検討・作成を久留米市総合事業見直し作業部会で進める。卒業後の"
            "受皿（通いの場など）の設置もロードマップに含む。"
        ),
        eligibility_note="支援対象者像は検討中",
        funding_basis="sogo_jigyo",
        sogo_service_type="day_c",
        status="planned",
        visibility="partners",
        source=("事例表№4 久留米市 1(2); 2"),
    ),
    # --- support programmes for municipalities (staff only) ---------------------------
    _resource(
        "mhlw-kasokuka",
        "mhlw",
        "地域づくり加速化事業（伴走的支援）",
        "other",
        description=(
            "総合事業の実施に課題を抱える市町村への伴走的支援。厚生労働省又は地方厚生局（九州厚生局）"
            "が派遣するアドバイザーが中心となり、6か月程度かけておおむね3回の訪問支援を行う。"
            "原則単年度。令和4年度から実施。"
        ),
        eligibility_note="市町村",
        funding_basis="public_service",
        visibility="partners",
        source="II 制度概要等（地域づくり加速化事業等）",
    ),
    _resource(
        "oita-supervisor",
        "oita-pref",
        "生活支援体制整備事業（移動支援）を中心としたスーパーバイザー派遣推進事業",
        "other",
        description=(
            "大分県独自事業（令和5年度から）。高齢者の移動支援に取り組む市町村を伴走的支援。"
            "特定非営利活動法人全国移動サービスネットワークに委託。令和5年度から佐伯市及び竹田市、"
            "6年度から別府市及び由布市（7年度も実施予定）。"
        ),
        eligibility_note="県内市町村",
        funding_basis="public_service",
        visibility="partners",
        source="事例表№6 大分県 1",
    ),
    _resource(
        "kagoshima-pref-kaigo-yobo",
        "kagoshima-pref",
        "かごしま介護予防（総合事業）推進事業",
        "other",
        description=(
            "市町村がセミナーや個別支援を活用して総合事業を見直し、充実化を図れるように支援。"
            "地域づくり加速化事業終了後のフォローアップにも活用（出水市へアドバイザーを再派遣）。"
        ),
        eligibility_note="県内市町村",
        funding_basis="public_service",
        visibility="partners",
        source="事例表№7 鹿児島県 1",
    ),
    _resource(
        "kagoshima-pref-hokensha",
        "kagoshima-pref",
        "保険者機能強化支援事業",
        "other",
        description=(
            "地域の高齢化率や将来人口の推移等を踏まえ、地域支援事業の各事業の効果検証を行うとともに、"
            "地域にふさわしい地域支援事業の全体像を関係者と作れるよう支援。"
        ),
        eligibility_note="県内市町村",
        funding_basis="public_service",
        visibility="partners",
        source="事例表№7 鹿児島県 1",
    ),
]
