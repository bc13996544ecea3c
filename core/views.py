from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db.models import Count, Max
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from campaigns.selectors import campaign_current, phase_current
from core.access import require_cap
from core.forms import LoginForm, save_form
from core.models import AccountLock, LoginBlock
from core.roles import Cap, Role, user_roles
from core.selectors import accounts_mixing_roles
from core.services import account_create, account_set_active, account_set_roles, account_unlock, login_unblock
from core.user_forms import AccountCreateForm, RolesForm
from matters.selectors import work_summary


class LoginView(auth_views.LoginView):
    template_name = "core/login.html"
    authentication_form = LoginForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


@require_cap(Cap.WORKBENCH)
def workbench(request: HttpRequest) -> HttpResponse:
    person = getattr(request.user, "person", None)
    campaign = campaign_current()
    context = {
        "person": person,
        "roles": sorted(user_roles(request.user)),
        "campaign": campaign,
        "phase": phase_current(campaign) if campaign else None,
        "work": work_summary(request.user),
    }
    return render(request, "core/workbench.html", context)


@require_cap(Cap.ACCOUNTS_MANAGE)
def account_list(request: HttpRequest) -> HttpResponse:
    users = get_user_model().objects.order_by("username").prefetch_related("groups").select_related("person")
    page = Paginator(users, 50).get_page(request.GET.get("page"))
    return render(request, "core/account_list.html", {"page": page})


@require_cap(Cap.ACCOUNTS_MANAGE)
def account_new(request: HttpRequest) -> HttpResponse:
    form = AccountCreateForm(request.POST or None)
    if request.method == "POST":
        user = save_form(
            form,
            lambda d: account_create(
                actor=request.user, username=d["username"], password=d["password"], person=d.get("person")
            ),
        )
        if user is not None:
            messages.success(request, _("Account created. Ask the security administrator to grant its roles."))
            return redirect("core:account_list")
    return render(
        request, "core/form_page.html", {"form": form, "title": _("New account"), "back": "core:account_list"}
    )


@require_POST
@require_cap(Cap.ACCOUNTS_MANAGE)
def account_toggle(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    if user.pk == request.user.pk:
        messages.error(request, _("You cannot deactivate your own account."))
    else:
        account_set_active(actor=request.user, user=user, active=not user.is_active)
        messages.success(request, _("Account updated."))
    return redirect("core:account_list")


@require_cap(Cap.ROLES_ASSIGN)
def security(request: HttpRequest) -> HttpResponse:
    users = get_user_model().objects.order_by("username").prefetch_related("groups")
    now = timezone.now()
    # An account may be locked for several addresses: one row per account, until its last lock ends.
    locks = (
        AccountLock.objects.filter(locked_until__gt=now)
        .values("username")
        .annotate(locked_until=Max("locked_until"), addresses=Count("pk"))
        .order_by("username")
    )
    blocks = LoginBlock.objects.filter(blocked_until__gt=now).exclude(scope=LoginBlock.Scope.UNKNOWN)
    context = {
        "users": users,
        "locks": locks,
        "blocks": blocks.order_by("blocked_until"),
        "roles": Role.choices,
        "mixed": accounts_mixing_roles(),
    }
    return render(request, "core/security.html", context)


@require_cap(Cap.ROLES_ASSIGN)
def roles_edit(request: HttpRequest, pk: int) -> HttpResponse:
    user = get_object_or_404(get_user_model(), pk=pk)
    form = RolesForm(request.POST or None, initial={"roles": list(user.groups.values_list("name", flat=True))})
    if request.method == "POST":
        done = save_form(form, lambda d: account_set_roles(actor=request.user, user=user, roles=d["roles"]))
        if done is not None:
            messages.success(request, _("Roles saved."))
            return redirect("core:security")
    return render(request, "core/form_page.html", {"form": form, "title": _("Roles of %s") % user.get_username()})


@require_POST
@require_cap(Cap.ROLES_ASSIGN)
def unlock(request: HttpRequest) -> HttpResponse:
    """Lift an account's locks (`username`), or the block of an address or address range (`block`)."""
    block = request.POST.get("block", "")
    if block:
        if block.isdecimal() and len(block) < 19:
            login_unblock(actor=request.user, block_id=int(block))
    else:
        account_unlock(actor=request.user, username=request.POST.get("username", "")[:150])
    messages.success(request, _("Lock lifted."))
    return redirect("core:security")
