"""What other apps' APIs show of a body's records: a meeting, an action item (宿題).

The regional-issue API lists an issue's action items and the meeting it was raised in in
the same shape as the bodies API; both take that shape from here, so no app imports
another's ``api`` or ``schemas`` module.
"""

from __future__ import annotations

import datetime
from typing import Any

from ninja import Field, Schema

from tsunagu.accounts.scope import can_edit
from tsunagu.bodies.models import ActionItem, ActionItemStatus
from tsunagu.core.api.refs import label, local, ref
from tsunagu.core.api.schemas import Ref, choices_help


class IssueRef(Schema):
    id: int
    title: str = Field(..., description="地域課題の件名")


class MeetingRef(Schema):
    id: int
    name: str = Field(..., description="会議名（空欄なら会議体名と日付）")
    starts_at: datetime.datetime = Field(..., description="開始日時（日本時間）")


class ActionItemOut(Schema):
    id: int
    body: Ref = Field(..., description="会議体")
    meeting: MeetingRef | None = Field(None, description="決めた会議")
    title: str = Field(..., description="内容")
    owner_person: Ref | None = Field(None, description="担当者")
    owner_organisation: Ref | None = Field(None, description="担当団体・部署")
    due_on: datetime.date | None = Field(None, description="期限")
    status: str = Field(..., description=f"状態（{choices_help(ActionItemStatus)}）")
    status_label: str = Field(..., description="状態")
    completed_on: datetime.date | None = Field(None, description="完了日")
    is_overdue: bool = Field(..., description="期限を過ぎて未完了")
    regional_issue: IssueRef | None = Field(None, description="関連する地域課題")
    created_at: datetime.datetime = Field(..., description="登録日時")
    updated_at: datetime.datetime = Field(..., description="最終更新日時")
    can_edit: bool = Field(..., description="この利用者が変更できるか")


def action_item_out(item: ActionItem, user: Any) -> dict[str, Any]:
    """An action item as :class:`ActionItemOut` answers it."""
    meeting = item.meeting
    issue = item.regional_issue
    return {
        "id": item.pk,
        "body": {"id": item.body_id, "name": item.body.name},
        "meeting": None
        if meeting is None
        else {"id": meeting.pk, "name": str(meeting), "starts_at": local(meeting.starts_at)},
        "title": item.title,
        "owner_person": ref(item.owner_person),
        "owner_organisation": ref(item.owner_organisation),
        "due_on": item.due_on,
        "status": item.status,
        "status_label": label(item, "status"),
        "completed_on": item.completed_on,
        "is_overdue": item.is_overdue,
        "regional_issue": None if issue is None else {"id": issue.pk, "title": issue.title},
        "created_at": local(item.created_at),
        "updated_at": local(item.updated_at),
        "can_edit": can_edit(user, item),
    }
