"""Open Referral HSDS 3.0 exchange: export public records, import HSDS datasets.

HSDS (Human Services Data Specification) 3.0 describes organisations, the services they
provide, where and when, for whom. Our mapping:

=====================  ==========================================================
HSDS 3.0               Tsunagu
=====================  ==========================================================
organization           Organisation (alternate_name = よみがな, legal_status = 種別,
                       year_incorporated = 設立年, phones = 電話番号)
service                Resource (alternate_name = よみがな, url = ウェブサイト,
                       application_process = 申込方法, fees_description = 費用の説明,
                       eligibility_description = 利用条件の補足, assured_date = 最終確認日,
                       status: active ↔ 実施中, inactive ↔ 準備中,
                       temporarily closed ↔ 休止, defunct ↔ 終了)
location (+ address)   Location, and the organisation's own address as a location
                       tagged with our ``tsunagu-location-roles`` term
service_at_location    Resource.locations
schedule               WeeklySlot (freq WEEKLY byday=WE, or MONTHLY byday=2WE for the
                       2nd Wednesday), DatedSession (dtstart = until, one occurrence),
                       Resource.schedule_note (a schedule with a description only)
service_area           whole municipality / 日常生活圏域 / 地区, with the GeoJSON boundary
                       as ``extent`` where the area has one
cost_option            Resource.cost_yen (currency JPY)
funding                Resource.subsidy_name
attribute + taxonomy   Category (taxonomy ``tsunagu-resource-categories``, code =
                       Category.code), Eligibility, funding basis, 総合事業 type and
                       organisation type, each as a taxonomy of our own
=====================  ==========================================================

Not exchanged, because HSDS 3.0 has no field for them or they are not public: people
(contacts are personal data), strengths and problems, visibility, capacity (HSDS 3.1),
started_on, source, areas served by organisations, location districts.

Identifiers are uuid5 values derived from a namespace, the kind of record and its
primary key (or, for schedules and taxonomy terms, their content), so re-exports keep
their ids and a re-import finds the records it came from. Set
``TSUNAGU_HSDS_NAMESPACE`` (a UUID) in settings to give an installation its own ids.

The JSON schemas are not vendored (the specification is CC-BY-SA 4.0); the fields,
types and required fields of HSDS 3.0 are encoded in :data:`.schema.TABLES`.

Modules: :mod:`.schema` (ids, tables, taxonomies), :mod:`.export`, :mod:`.reading`
(reading and checking a dataset), :mod:`.importer`, :mod:`.cli` (``tsunagu hsds``).
"""
