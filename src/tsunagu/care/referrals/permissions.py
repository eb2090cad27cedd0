"""Who may do what with a referral (つなぎ).

Two sides, never mixed up:

- **the sender side**: holders of the care right for the resident's municipality
  (:func:`tsunagu.care.access.can_open_residents`), the same people who open residents; they
  write, send, stop and may record every step;
- **the receiver side**: members (``Role.ORGANISATION_MEMBER``, and so its sub-groups, as
  :func:`tsunagu.accounts.scope.scope_for` resolves them) of the organisation the referral is
  addressed to; they see a referral once it was sent and until it is stopped, and may accept,
  decline, record that the person came and that taking part ended.

A user who is neither gets "not found" (404), as for a referral that does not exist.
"""

from __future__ import annotations

from typing import Any

from tsunagu.accounts.scope import scope_for
from tsunagu.care.access import can_open_residents, personal_records_enabled
from tsunagu.care.referrals.models import Referral, ReferralStatus
from tsunagu.care.residents.services import is_system_actor

# What the receiver sees: everything sent except a draft (not yet theirs) and a stopped
# referral (consent withdrawn or cancelled: the receiver must no longer hold the person's data).
RECEIVER_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.STARTED,
    ReferralStatus.ENDED,
)


def receiving_organisation_ids(user: Any) -> frozenset[int]:
    """Organisations whose received referrals ``user`` reads (empty when records are off)."""
    if not personal_records_enabled():
        return frozenset()
    return scope_for(user).organisation_ids


def can_send_referral(user: Any, municipality_id: int) -> bool:
    """Sender side: the care right for the municipality (or the loaders' system account)."""
    return is_system_actor(user) or can_open_residents(user, municipality_id)


def is_receiver_of(user: Any, referral: Referral) -> bool:
    return (
        referral.status in RECEIVER_STATUSES
        and referral.receiving_organisation_id in receiving_organisation_ids(user)
    )


def can_answer_referral(user: Any, referral: Referral) -> bool:
    """Accept, decline, record the start and the end: either side."""
    return can_send_referral(user, referral.municipality_id) or is_receiver_of(user, referral)


def can_receive_referrals(user: Any) -> bool:
    """May ``user`` open the receiver's inbox at all (a member of some organisation)?"""
    return bool(receiving_organisation_ids(user))
