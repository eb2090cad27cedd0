"""Pages of a handover (引継ぎ): list, start, the per-item successors and notes, complete."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tsunagu.accounts.scope import municipalities_editable_to, scope_for
from tsunagu.continuity.forms import HandoverBulkForm, HandoverNoteForm, HandoverStartForm
from tsunagu.continuity.handover import services
from tsunagu.continuity.handover.selectors import handover_get_for, handover_list_for
from tsunagu.continuity.models import Handover, HandoverStatus
from tsunagu.continuity.people import colleagues_in
from tsunagu.continuity.registry import kind_of
from tsunagu.core.errors import PermissionDenied, TsunaguError
from tsunagu.core.http import int_param, show_on_form


def _supervised_municipalities(user: Any) -> Any:
    scope = scope_for(user)
    editable = municipalities_editable_to(user)
    if scope.is_system_admin:
        return editable
    return editable.filter(pk__in=scope.area_editable_municipality_ids)


@login_required
def handover_list(request: HttpRequest) -> HttpResponse:
    municipalities = list(_supervised_municipalities(request.user))
    if not municipalities:
        raise PermissionDenied("引継ぎを行えるのは、市町村の職員だけです。")
    return render(
        request,
        "continuity/handover_list.html",
        {"handovers": handover_list_for(user=request.user), "municipalities": municipalities},
    )


@login_required
def handover_start(request: HttpRequest) -> HttpResponse:
    municipalities = list(_supervised_municipalities(request.user))
    municipality = next(
        (m for m in municipalities if m.pk == int_param(request.GET.get("municipality"))),
        municipalities[0] if len(municipalities) == 1 else None,
    )
    if municipality is None:
        raise PermissionDenied("引継ぎを行う市町村を選んでください。")
    form = HandoverStartForm(request.POST or None, users=colleagues_in(municipality.pk))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            handover = services.handover_start(
                leaver=data["leaver"],
                municipality=municipality,
                effective_on=data["effective_on"],
                reason=data["reason"],
                note=data["note"],
                actor=request.user,
            )
        except (ValidationError, TsunaguError) as error:
            show_on_form(form, error)
        else:
            return redirect("continuity:handover_detail", handover.pk)
    return render(
        request,
        "continuity/form.html",
        {
            "form": form,
            "title": _("引継ぎを開始（%(municipality)s）") % {"municipality": municipality.name},
            "lead": _(
                "異動・退職する人が担当しているものをすべて一覧にし、項目ごとに後任を決めます。"
            ),
            "cancel_url": reverse("continuity:handover_list"),
            "submit_label": _("引継ぎを開始"),
        },
    )


def _item_rows(handover: Handover) -> list[dict[str, Any]]:
    blockers = {b.item.pk: b.message for b in services.handover_blockers(handover)}
    rows = []
    for item in handover.items.select_related("stewardship__content_type", "successor"):
        obj = item.stewardship.subject
        kind = kind_of(obj) if obj is not None else None
        if kind is None or obj is None:
            continue
        rows.append(
            {
                "item": item,
                "kind": kind,
                "title": kind.title(obj),
                "url": kind.url(obj),
                "areas": list(kind.areas(obj)),
                "blocker": blockers.get(item.pk, ""),
            }
        )
    return sorted(rows, key=lambda r: (str(r["kind"].label), r["title"]))


@login_required
def handover_detail(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get_for(user=request.user, pk=pk)
    users = colleagues_in(handover.municipality_id).exclude(pk=handover.leaver_id)
    rows = _item_rows(handover)
    kinds = sorted({(r["kind"].key(), str(r["kind"].label)) for r in rows}, key=lambda k: k[1])
    areas = sorted({a for r in rows for a in r["areas"]})
    bulk_form = HandoverBulkForm(users=users, kinds=kinds, areas=areas, prefix="bulk")
    note_form = HandoverNoteForm(
        initial={"note": handover.note, "effective_on": handover.effective_on}, prefix="overall"
    )
    editable = handover.status == HandoverStatus.DRAFT
    if request.method == "POST" and editable:
        action = request.POST.get("action")
        try:
            if action == "bulk":
                bulk_form = HandoverBulkForm(
                    request.POST, users=users, kinds=kinds, areas=areas, prefix="bulk"
                )
                if bulk_form.is_valid():
                    count = services.handover_assign_bulk(
                        handover=handover,
                        successor=bulk_form.cleaned_data["successor"],
                        kind_key=bulk_form.cleaned_data["kind"],
                        area=bulk_form.cleaned_data["area"],
                        only_unassigned=bulk_form.cleaned_data["only_unassigned"],
                        actor=request.user,
                    )
                    messages.success(request, _("%(n)s件の後任を指定しました。") % {"n": count})
                    return redirect("continuity:handover_detail", handover.pk)
            elif action == "items":
                by_id = {u.pk: u for u in users}
                for row in rows:
                    item = row["item"]
                    successor_id = int_param(request.POST.get(f"successor-{item.pk}"))
                    successor = by_id.get(successor_id) if successor_id else None
                    note = request.POST.get(f"note-{item.pk}", item.note)
                    if successor != item.successor or note != item.note:
                        services.handover_item_assign(
                            item=item, successor=successor, note=note, actor=request.user
                        )
                messages.success(request, _("後任と引継ぎメモを保存しました。"))
                return redirect("continuity:handover_detail", handover.pk)
            elif action == "overall":
                note_form = HandoverNoteForm(request.POST, prefix="overall")
                if note_form.is_valid():
                    services.handover_update(
                        handover=handover,
                        note=note_form.cleaned_data["note"],
                        effective_on=note_form.cleaned_data["effective_on"],
                        actor=request.user,
                    )
                    messages.success(request, _("引継ぎを保存しました。"))
                    return redirect("continuity:handover_detail", handover.pk)
        except (ValidationError, TsunaguError) as error:
            show_on_form(bulk_form if action == "bulk" else note_form, error)
    return render(
        request,
        "continuity/handover_detail.html",
        {
            "handover": handover,
            "rows": rows,
            "users": users,
            "bulk_form": bulk_form,
            "note_form": note_form,
            "editable": editable,
            "blocker_count": sum(1 for r in rows if r["blocker"]),
        },
    )


@login_required
@require_POST
def handover_complete(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get_for(user=request.user, pk=pk)
    try:
        services.handover_complete(handover=handover, actor=request.user)
    except TsunaguError as error:
        if isinstance(error, PermissionDenied):
            raise
        messages.error(request, error.message)
    else:
        messages.success(request, _("引継ぎを完了しました。"))
    return redirect("continuity:handover_detail", handover.pk)


@login_required
@require_POST
def handover_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    handover = handover_get_for(user=request.user, pk=pk)
    services.handover_cancel(handover=handover, actor=request.user)
    messages.success(request, _("引継ぎを取りやめました。"))
    return redirect("continuity:handover_list")
