"""Continuity's own timeline entries: history, stewards, the contact log."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext as _

from tsunagu.continuity.contacts.selectors import interaction_list_visible_to
from tsunagu.continuity.models import Interaction, Stewardship
from tsunagu.continuity.timeline.entries import TimelineEntry
from tsunagu.core.history import history_entries

MAX_CHANGES = 6


def history_timeline(*, obj: models.Model, user: Any) -> list[TimelineEntry]:
    """The record's history as the reader may read it (withheld versions stay withheld)."""
    if not hasattr(obj, "history"):
        return []
    entries = []
    for entry in history_entries(obj, user=user):
        changes = [f"{c.label}: {c.old} → {c.new}" for c in entry.changes[:MAX_CHANGES]]
        if len(entry.changes) > MAX_CHANGES:
            changes.append(_("ほか%(n)d項目") % {"n": len(entry.changes) - MAX_CHANGES})
        entries.append(
            TimelineEntry(
                when=entry.when,
                type="history",
                title=f"{entry.kind}" + (f"（{entry.reason}）" if entry.reason else ""),
                text="\n".join(changes),
                who=entry.who,
            )
        )
    return entries


def steward_timeline(*, obj: models.Model, user: Any) -> list[TimelineEntry]:
    entries = []
    for row in Stewardship.objects.of(obj).select_related("user", "handed_over_by__handover"):
        handover = row.handed_over_by.handover if row.handed_over_by_id else None
        text = row.handed_over_by.note if row.handed_over_by_id else ""
        entries.append(
            TimelineEntry(
                when=row.since,
                type="steward",
                title=_("%(name)sさんが%(role)sに")
                % {"name": row.user.display_name, "role": row.get_role_display()}
                + (
                    _("（%(leaver)sさんから引継ぎ）") % {"leaver": handover.leaver.display_name}
                    if handover
                    else ""
                ),
                text=text,
            )
        )
        if row.until is not None:
            entries.append(
                TimelineEntry(
                    when=row.until,
                    type="steward",
                    title=_("%(name)sさんの%(role)sが終了")
                    % {"name": row.user.display_name, "role": row.get_role_display()},
                )
            )
    return entries


def _interactions_of(obj: models.Model, user: Any) -> Any:
    from django.contrib.contenttypes.models import ContentType

    visible = interaction_list_visible_to(user=user)
    label = obj._meta.label_lower
    about = models.Q(subject_type=ContentType.objects.get_for_model(obj), subject_id=obj.pk)
    if label == "directory.organisation":
        about |= models.Q(organisations=obj)
    elif label == "directory.person":
        about |= models.Q(people=obj)
    return visible.filter(about).distinct()


def contact_timeline(*, obj: models.Model, user: Any) -> list[TimelineEntry]:
    entries = []
    interaction: Interaction
    for interaction in _interactions_of(obj, user):
        theirs = [o.name for o in interaction.organisations.all()] + [
            p.name for p in interaction.people.all()
        ]
        if interaction.their_side_text:
            theirs.append(interaction.their_side_text)
        text = interaction.summary
        if interaction.next_step:
            text += "\n" + _("次にすること: %(step)s") % {"step": interaction.next_step}
        entries.append(
            TimelineEntry(
                when=interaction.occurred_on,
                type="contact",
                title=f"{interaction.get_channel_display()}: {'、'.join(theirs) or '—'}",
                text=text,
                who="、".join(u.display_name for u in interaction.our_side.all()),
            )
        )
    return entries
