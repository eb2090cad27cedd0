"""Writes of the contact log (連絡・訪問の記録)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction

from tsunagu.accounts.scope import can_edit, scope_for
from tsunagu.continuity.models import Interaction, InteractionChannel
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.history import save_with_history
from tsunagu.directory.permissions import can_view_record
from tsunagu.directory.selectors import person_list_visible_to


@transaction.atomic
def interaction_record(
    *,
    municipality: Any,
    occurred_on: datetime.date,
    channel: str,
    summary: str,
    actor: Any,
    organisations: Sequence[Any] = (),
    people: Sequence[Any] = (),
    their_side_text: str = "",
    our_side: Sequence[Any] = (),
    next_step: str = "",
    next_step_on: datetime.date | None = None,
    subject: models.Model | None = None,
) -> Interaction:
    """Record one contact with organisations/people of ``municipality``.

    The actor must be able to edit the municipality's records; every organisation and
    person must be visible to them and belong to the municipality; our-side users must be
    able to see the municipality.
    """
    if not can_edit(actor, municipality):
        raise PermissionDenied("この市町村の連絡・訪問を記録する権限がありません。")
    if channel not in InteractionChannel.values:
        raise TsunaguError("方法を選んでください。", field="channel")
    if not (organisations or people or their_side_text.strip()):
        raise TsunaguError(
            "相手（団体・人・名簿にない相手のいずれか）を入力してください。", field="organisations"
        )
    for organisation in organisations:
        if organisation.municipality_id != municipality.pk or not can_view_record(
            actor, organisation
        ):
            raise TsunaguError(
                f"団体「{organisation}」はこの市町村の団体ではありません。", field="organisations"
            )
    visible_people = set(person_list_visible_to(user=actor).values_list("pk", flat=True))
    for person in people:
        if person.municipality_id != municipality.pk or person.pk not in visible_people:
            raise TsunaguError(
                f"「{person}」はこの市町村の名簿の人ではありません。", field="people"
            )
    for user in our_side:
        scope = scope_for(user)
        if not (scope.is_system_admin or municipality.pk in scope.municipality_ids):
            raise TsunaguError(
                f"{user.display_name} さんはこの市町村の利用者ではありません。", field="our_side"
            )
    if next_step_on and not next_step.strip():
        raise TsunaguError(
            "期日を入れる場合は「次にすること」も入力してください。", field="next_step"
        )
    interaction = Interaction(
        municipality=municipality,
        occurred_on=occurred_on,
        channel=channel,
        their_side_text=their_side_text.strip(),
        summary=summary,
        next_step=next_step.strip(),
        next_step_on=next_step_on,
        recorded_by=actor,
    )
    if subject is not None:
        interaction.subject_type = ContentType.objects.get_for_model(subject)
        interaction.subject_id = subject.pk
    save_with_history(interaction, actor=actor, action="continuity.interaction.record")
    interaction.organisations.set(organisations)
    interaction.people.set(people)
    interaction.our_side.set(our_side or [actor])
    return interaction
