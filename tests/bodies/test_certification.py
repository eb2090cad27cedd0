"""Certification of resident-led bodies (鹿児島市 第2層協議体認定要領 model), through the services.

Rules: at least 3 member organisations, a resident organisation, a purpose of mutual support
(checked by keywords, otherwise by a reviewer), a supporting SC. ``kawara`` (香春町 staff) acts;
members are added through the services so that the checks read real data.
"""

from __future__ import annotations

import datetime

import pytest

from tsunagu.bodies import errors, services
from tsunagu.bodies.certification import evaluate_requirements
from tsunagu.bodies.models import (
    CertificationApplication,
    CertificationRules,
    CertificationStatus,
)
from tsunagu.bodies.services import BodyFields, RulesFields
from tsunagu.core.actions import display_reason
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.directory import services as directory_services
from tsunagu.directory.models import Organisation
from tsunagu.directory.services import PersonFields

pytestmark = pytest.mark.django_db

DECIDED = datetime.date(2025, 1, 15)


@pytest.fixture
def kawara(user_named):
    return user_named("kawara")


@pytest.fixture
def town(municipality):
    return municipality("香春町")


def org(name: str) -> Organisation:
    return Organisation.objects.get(name=name, municipality__name="香春町")


def reasons(obj) -> list[str]:
    return [
        display_reason(r)
        for r in obj.history.order_by("history_id").values_list("history_change_reason", flat=True)
    ]


def users(obj) -> set:
    return set(obj.history.values_list("history_user__username", flat=True))


@pytest.fixture
def rules(town, kawara):
    return services.certification_rules_save(
        municipality=town,
        fields=RulesFields(
            name="香春町 第2層協議体認定要領",
            effective_from=datetime.date(2024, 10, 1),
            min_member_organisations=3,
            require_resident_organisation=True,
            require_mutual_support_purpose=True,
            purpose_keywords="支えあい,支え合い,助け合い",
            require_supporting_coordinator=True,
            validity_years=3,
            number_prefix="香春認第",
        ),
        actor=kawara,
    )


@pytest.fixture
def sc(kawara):
    return directory_services.person_create(
        fields=PersonFields(name="香春 太郎"),
        organisation=org("香春町社会福祉協議会"),
        title="第2層生活支援コーディネーター",
        actor=kawara,
    )


def make_body(town, kawara, *, name="採銅所地域支えあい会議", **data):
    return services.body_create(
        municipality=town,
        fields=BodyFields(
            **{
                "name": name,
                "kind": "mutual_support_forum",
                "layer": 2,
                "is_resident_led": True,
                **data,
            },
        ),
        actor=kawara,
    )


def add_orgs(body, kawara, *names: str) -> None:
    for name in names:
        services.member_add(body=body, organisation=org(name), actor=kawara)


@pytest.fixture
def eligible(town, kawara, sc):
    """A body meeting every requirement automatically."""
    body = make_body(town, kawara, purpose="地域の高齢者の支え合いを進める", coordinator=sc)
    add_orgs(body, kawara, "採銅所地域コミュニティ協議会", "香春町社会福祉協議会", "保険健康課")
    return body


def apply(body, rules, kawara, **kwargs) -> CertificationApplication:
    return services.certification_apply(
        body=body, rules=rules, actor=kawara, submitted_on=datetime.date(2025, 1, 6), **kwargs
    )


def certify(application, kawara, on=DECIDED) -> CertificationApplication:
    return services.certification_decide(
        application=application, certify=True, actor=kawara, decided_on=on
    )


def expected_number(rules, year: int) -> str:
    already = CertificationApplication.objects.filter(
        rules__municipality=rules.municipality, certified_on__year=year
    ).count()
    return f"{rules.number_prefix}{year}-{already + 1:03d}号"


# --- evaluating each requirement --------------------------------------------------------


def test_the_rules_are_saved_with_history(rules, kawara):
    assert rules.history.get().history_user == kawara
    assert reasons(rules) == ["認定要領を保存"]


def test_member_organisations_fail_below_the_minimum_and_pass_at_it(town, rules, kawara, sc):
    body = make_body(town, kawara, purpose="支えあい", coordinator=sc)
    add_orgs(body, kawara, "採銅所地域コミュニティ協議会", "香春町社会福祉協議会")
    review = evaluate_requirements(body, rules)
    assert review["member_organisations"]["result"] == "fail"
    assert review["member_organisations"]["detail"] == "現在の構成団体: 2"
    assert review["member_organisations"]["label"] == "構成団体が3以上"
    add_orgs(body, kawara, "保険健康課")
    assert evaluate_requirements(body, rules)["member_organisations"]["result"] == "pass"


def test_one_organisation_with_two_seats_counts_once(town, rules, kawara):
    body = make_body(town, kawara)
    add_orgs(body, kawara, "区長会", "区長会", "老人クラブ")
    assert evaluate_requirements(body, rules)["member_organisations"]["result"] == "fail"


def test_an_ended_member_organisation_does_not_count(eligible, rules, kawara):
    seat = eligible.members.get(organisation=org("保険健康課"))
    services.member_end(member=seat, ends_on=datetime.date(2024, 3, 31), actor=kawara)
    assert evaluate_requirements(eligible, rules)["member_organisations"]["result"] == "fail"


def test_a_resident_organisation_is_required(town, rules, kawara):
    body = make_body(town, kawara)
    add_orgs(body, kawara, "香春町社会福祉協議会", "保険健康課", "まちづくり課")
    review = evaluate_requirements(body, rules)
    assert review["resident_organisation"]["result"] == "fail"
    add_orgs(body, kawara, "区長会")
    review = evaluate_requirements(body, rules)
    assert review["resident_organisation"]["result"] == "pass"
    assert review["resident_organisation"]["detail"] == "区長会"


def test_the_purpose_passes_on_a_keyword_needs_review_otherwise_and_fails_when_empty(
    town, rules, kawara
):
    body = make_body(town, kawara, purpose="高齢者の支えあい活動を広げる")
    assert evaluate_requirements(body, rules)["mutual_support_purpose"]["result"] == "pass"
    body = services.body_update(
        body=body, fields=BodyFields(purpose="地域の困りごとを話し合う"), actor=kawara
    )
    review = evaluate_requirements(body, rules)["mutual_support_purpose"]
    assert (review["result"], review["automatic"]) == ("manual", False)
    body = services.body_update(body=body, fields=BodyFields(purpose=""), actor=kawara)
    assert evaluate_requirements(body, rules)["mutual_support_purpose"]["result"] == "fail"


def test_a_full_width_purpose_keyword_still_matches(town, rules, kawara):
    body = make_body(town, kawara, purpose="住民同士の助け合い（ＮＰＯと協力）")
    assert evaluate_requirements(body, rules)["mutual_support_purpose"]["result"] == "pass"


def test_a_supporting_coordinator_is_required(town, rules, kawara, sc):
    body = make_body(town, kawara)
    review = evaluate_requirements(body, rules)["supporting_coordinator"]
    assert (review["result"], review["detail"]) == ("fail", "担当SCが未設定です")
    body = services.body_update(body=body, fields=BodyFields(coordinator=sc), actor=kawara)
    review = evaluate_requirements(body, rules)["supporting_coordinator"]
    assert (review["result"], review["detail"]) == ("pass", "香春 太郎")


def test_requirements_switched_off_are_not_checked(town, kawara):
    rules = services.certification_rules_save(
        municipality=town,
        fields=RulesFields(
            name="簡易要領",
            effective_from=datetime.date(2024, 10, 1),
            min_member_organisations=1,
            require_resident_organisation=False,
            require_mutual_support_purpose=False,
            require_supporting_coordinator=False,
        ),
        actor=kawara,
    )
    body = make_body(town, kawara)
    add_orgs(body, kawara, "保険健康課")
    review = evaluate_requirements(body, rules)
    assert list(review) == ["member_organisations"]
    assert review["member_organisations"]["result"] == "pass"


# --- applying ---------------------------------------------------------------------------


def test_applying_evaluates_the_requirements_and_writes_history(eligible, rules, kawara):
    application = apply(eligible, rules, kawara)
    assert application.status == CertificationStatus.SUBMITTED
    assert application.submitted_on == datetime.date(2025, 1, 6)
    assert {code: item["result"] for code, item in application.review.items()} == {
        "member_organisations": "pass",
        "resident_organisation": "pass",
        "mutual_support_purpose": "pass",
        "supporting_coordinator": "pass",
    }
    assert reasons(application) == ["認定を申請"]
    assert users(application) == {"kawara"}


def test_a_body_that_is_not_resident_led_cannot_apply(town, rules, kawara, sc):
    body = make_body(town, kawara, name="庁内の会議", is_resident_led=False, coordinator=sc)
    with pytest.raises(TsunaguError) as caught:
        apply(body, rules, kawara)
    assert caught.value.code == errors.NOT_RESIDENT_LED
    assert "住民主体" in caught.value.message
    assert not CertificationApplication.objects.filter(body=body).exists()


def test_rules_of_another_municipality_cannot_be_used(eligible, municipality, user_named, kawara):
    saiki_rules = services.certification_rules_save(
        municipality=municipality("佐伯市"),
        fields=RulesFields(name="佐伯市 要領", effective_from=datetime.date(2024, 4, 1)),
        actor=user_named("saiki"),
    )
    with pytest.raises(TsunaguError) as caught:
        apply(eligible, saiki_rules, kawara)
    assert caught.value.field == "rules"
    assert not CertificationApplication.objects.filter(body=eligible).exists()


@pytest.mark.parametrize("username", ["saiki", "fukuoka", "kawara-council"])
def test_users_who_may_not_edit_cannot_apply_or_decide(
    eligible, rules, kawara, user_named, username
):
    other = user_named(username)
    with pytest.raises(PermissionDenied):
        apply(eligible, rules, other)
    application = apply(eligible, rules, kawara)
    with pytest.raises(PermissionDenied):
        certify(application, other)
    with pytest.raises(PermissionDenied):
        services.certification_review(application=application, manual={}, actor=other)
    stored = CertificationApplication.objects.get(body=eligible)
    assert (stored.status, stored.certificate_number, stored.history.count()) == (
        CertificationStatus.SUBMITTED,
        "",
        1,
    )


# --- review and decision ----------------------------------------------------------------


def test_certifying_is_refused_while_a_requirement_is_not_met_and_lists_them(town, rules, kawara):
    body = make_body(town, kawara, purpose="地域の困りごとを話し合う")  # no SC, manual purpose
    add_orgs(body, kawara, "採銅所地域コミュニティ協議会", "香春町社会福祉協議会", "保険健康課")
    application = apply(body, rules, kawara)
    with pytest.raises(TsunaguError) as caught:
        certify(application, kawara)
    assert caught.value.code == errors.REQUIREMENTS_UNMET
    assert "高齢者の支えあいを目的に掲げている" in caught.value.message
    assert "支援する生活支援コーディネーターがいる" in caught.value.message
    assert "構成団体が3以上" not in caught.value.message
    stored = CertificationApplication.objects.get(pk=application.pk)
    assert (stored.status, stored.certificate_number, stored.certified_on) == (
        CertificationStatus.SUBMITTED,
        "",
        None,
    )
    assert stored.history.count() == 1


def test_manual_review_marks_a_manual_requirement(town, rules, kawara, sc):
    body = make_body(town, kawara, purpose="地域の困りごとを話し合う", coordinator=sc)
    add_orgs(body, kawara, "採銅所地域コミュニティ協議会", "香春町社会福祉協議会", "保険健康課")
    application = apply(body, rules, kawara)
    assert application.review["mutual_support_purpose"]["result"] == "manual"
    application = services.certification_review(
        application=application,
        manual={"mutual_support_purpose": True, "member_organisations": False},
        notes={"mutual_support_purpose": "規約第2条に高齢者の見守りを明記"},
        actor=kawara,
    )
    stored = CertificationApplication.objects.get(pk=application.pk)
    purpose = stored.review["mutual_support_purpose"]
    assert purpose["result"] == "pass"
    assert purpose["by"] == kawara.display_name
    assert purpose["detail"] == "規約第2条に高齢者の見守りを明記"
    # an automatic requirement cannot be overridden by hand
    assert stored.review["member_organisations"]["result"] == "pass"
    assert reasons(stored) == ["認定を申請", "要件を審査"]
    assert users(stored) == {"kawara"}
    certified = certify(stored, kawara)
    assert certified.status == CertificationStatus.CERTIFIED


def test_manual_review_can_fail_a_requirement(town, rules, kawara, sc):
    body = make_body(town, kawara, purpose="地域の困りごとを話し合う", coordinator=sc)
    add_orgs(body, kawara, "採銅所地域コミュニティ協議会", "香春町社会福祉協議会", "保険健康課")
    application = services.certification_review(
        application=apply(body, rules, kawara),
        manual={"mutual_support_purpose": False},
        actor=kawara,
    )
    assert application.review["mutual_support_purpose"]["result"] == "fail"
    with pytest.raises(TsunaguError) as caught:
        certify(application, kawara)
    assert caught.value.code == errors.REQUIREMENTS_UNMET


def test_returning_needs_a_reason(eligible, rules, kawara):
    application = apply(eligible, rules, kawara)
    with pytest.raises(TsunaguError) as caught:
        services.certification_decide(
            application=application, certify=False, reason="  ", actor=kawara
        )
    assert caught.value.code == errors.REASON_REQUIRED
    assert caught.value.field == "reason"
    stored = CertificationApplication.objects.get(pk=application.pk)
    assert (stored.status, stored.decided_on, stored.history.count()) == (
        CertificationStatus.SUBMITTED,
        None,
        1,
    )


def test_a_returned_application_can_be_resubmitted_and_then_certified(town, rules, kawara, sc):
    body = make_body(town, kawara, purpose="支えあい", coordinator=sc)
    add_orgs(body, kawara, "採銅所地域コミュニティ協議会", "香春町社会福祉協議会")
    application = apply(body, rules, kawara)
    application = services.certification_decide(
        application=application,
        certify=False,
        reason="構成団体が2団体です。3団体以上にしてください。",
        decided_on=datetime.date(2025, 1, 10),
        actor=kawara,
    )
    assert application.status == CertificationStatus.RETURNED
    assert application.decision_reason == "構成団体が2団体です。3団体以上にしてください。"
    # a returned application is neither reviewed nor decided again before resubmission
    for call in (
        lambda: services.certification_review(application=application, manual={}, actor=kawara),
        lambda: certify(application, kawara),
    ):
        with pytest.raises(TsunaguError) as caught:
            call()
        assert caught.value.code == errors.WRONG_STATUS
    add_orgs(body, kawara, "保険健康課")
    application = services.certification_resubmit(application=application, actor=kawara)
    assert application.status == CertificationStatus.SUBMITTED
    assert application.review["member_organisations"]["result"] == "pass"
    application = certify(application, kawara)
    assert application.status == CertificationStatus.CERTIFIED
    assert reasons(application) == ["認定を申請", "差し戻し", "再申請", "認定"]
    assert users(application) == {"kawara"}


def test_only_a_returned_application_can_be_resubmitted(eligible, rules, kawara):
    application = apply(eligible, rules, kawara)
    with pytest.raises(TsunaguError) as caught:
        services.certification_resubmit(application=application, actor=kawara)
    assert caught.value.code == errors.WRONG_STATUS


def test_certifying_assigns_a_number_with_prefix_and_year_and_the_validity(eligible, rules, kawara):
    application = apply(eligible, rules, kawara)
    number = expected_number(rules, 2025)
    application = certify(application, kawara, on=datetime.date(2025, 1, 15))
    stored = CertificationApplication.objects.get(pk=application.pk)
    assert stored.status == CertificationStatus.CERTIFIED
    assert stored.certificate_number == number
    assert stored.certificate_number.startswith("香春認第2025-")
    assert stored.certified_on == stored.decided_on == datetime.date(2025, 1, 15)
    # certified_on + 3 years - 1 day
    assert stored.valid_until == datetime.date(2028, 1, 14)
    record = stored.history.latest("history_id")
    assert record.history_user == kawara and display_reason(record.history_change_reason) == "認定"


def test_certificate_numbers_count_up_within_the_year(town, eligible, rules, kawara, sc):
    first = certify(apply(eligible, rules, kawara), kawara)
    second_body = make_body(town, kawara, name="第二の会議", purpose="支えあい", coordinator=sc)
    add_orgs(second_body, kawara, "区長会", "老人クラブ", "保険健康課")
    number = expected_number(rules, 2025)
    second = certify(apply(second_body, rules, kawara), kawara, on=datetime.date(2025, 3, 1))
    assert second.certificate_number == number != first.certificate_number


def test_a_certified_application_cannot_be_decided_again(eligible, rules, kawara):
    application = certify(apply(eligible, rules, kawara), kawara)
    with pytest.raises(TsunaguError) as caught:
        services.certification_decide(
            application=application, certify=False, reason="取り消し", actor=kawara
        )
    assert caught.value.code == errors.WRONG_STATUS
    assert CertificationApplication.objects.get(pk=application.pk).status == "certified"


def test_renewal_marks_the_previous_certification_renewed(eligible, rules, kawara):
    first = certify(apply(eligible, rules, kawara), kawara)
    renewal = services.certification_apply(
        body=eligible,
        rules=rules,
        renewal_of=first,
        submitted_on=datetime.date(2027, 12, 1),
        actor=kawara,
    )
    assert reasons(renewal) == ["更新を申請"]
    renewal = certify(renewal, kawara, on=datetime.date(2028, 1, 10))
    assert renewal.valid_until == datetime.date(2031, 1, 9)
    assert renewal.certificate_number.startswith("香春認第2028-")
    previous = CertificationApplication.objects.get(pk=first.pk)
    assert previous.status == CertificationStatus.RENEWED
    record = previous.history.latest("history_id")
    assert record.history_user == kawara
    assert display_reason(record.history_change_reason) == "更新により置き換え"


def test_a_renewal_of_another_bodys_certification_is_refused(town, eligible, rules, kawara, sc):
    first = certify(apply(eligible, rules, kawara), kawara)
    other = make_body(town, kawara, name="第二の会議", purpose="支えあい", coordinator=sc)
    add_orgs(other, kawara, "区長会", "老人クラブ", "保険健康課")
    with pytest.raises(TsunaguError):
        apply(other, rules, kawara, renewal_of=first)
    assert CertificationApplication.objects.get(pk=first.pk).status == "certified"


def test_a_renewal_of_an_uncertified_application_is_refused(eligible, rules, kawara):
    returned = services.certification_decide(
        application=apply(eligible, rules, kawara),
        certify=False,
        reason="書類不備",
        actor=kawara,
    )
    with pytest.raises(TsunaguError):
        apply(eligible, rules, kawara, renewal_of=returned)
    assert CertificationApplication.objects.get(pk=returned.pk).status == "returned"


def test_the_rules_keep_their_defaults_when_not_given(town, kawara):
    rules = services.certification_rules_save(
        municipality=town,
        fields=RulesFields(name="既定値の要領", effective_from=datetime.date(2024, 10, 1)),
        actor=kawara,
    )
    stored = CertificationRules.objects.get(pk=rules.pk)
    assert (stored.min_member_organisations, stored.validity_years, stored.number_prefix) == (
        3,
        3,
        "第",
    )
