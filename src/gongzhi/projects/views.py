"""Pages of street-improvement projects: the public list and page of each project
(progress, money, map, milestones with photos, what it answers), and the managers'
forms — one view per action."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from gongzhi.accounts.scopes import scopes_for
from gongzhi.cases.models import Meeting
from gongzhi.core.params import parse_id
from gongzhi.core.views import attempt
from gongzhi.notices.models import Notice
from gongzhi.registry.models import Neighbourhood, SubDistrict
from gongzhi.servicedesk.models import ServiceRequest
from gongzhi.voting.models import Decision

from . import selectors, services
from .forms import ItemForm, LinksForm, MilestoneForm, ProjectForm
from .map import items_map
from .models import MilestonePhoto, Project, ProjectItem


def _project(request, pk: int) -> Project:
    project = get_object_or_404(Project.objects.select_related("sub_district"), pk=pk)
    if not request.user.has_perm("projects.view", project):
        raise Http404
    return project


def _managed(request, pk: int) -> Project:
    project = _project(request, pk)
    if not request.user.has_perm("projects.manage", project):
        raise PermissionDenied(_("You do not manage this project."))
    return project


def _creatable(user):
    if scopes_for(user).superuser:
        return SubDistrict.objects.all()
    return SubDistrict.objects.filter(pk__in=scopes_for(user).sub_districts)


@require_GET
def index(request):
    projects = list(selectors.visible_to(request.user).prefetch_related("items"))
    rows = [(p, selectors.figures(list(p.items.all()))) for p in projects]
    return render(
        request,
        "projects/index.html",
        {"rows": rows, "may_create": _creatable(request.user).exists()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def new(request):
    sub_districts = _creatable(request.user)
    if not sub_districts.exists():
        raise PermissionDenied(_("Only the sub-district's officials start a project."))
    form = ProjectForm(
        request.POST or None,
        sub_districts=sub_districts,
        neighbourhoods=Neighbourhood.objects.filter(sub_district__in=sub_districts),
        initial={"sub_district": sub_districts.first()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        created: list[Project] = []
        if attempt(
            request,
            lambda: created.append(
                services.project_create(
                    sub_district=data["sub_district"],
                    title=data["title"],
                    summary=data["summary"],
                    starts_on=data["starts_on"],
                    ends_on=data["ends_on"],
                    neighbourhoods=data["neighbourhoods"],
                    actor=request.user,
                )
            ),
            _("The project is created as a draft: add its items, then publish it."),
        ):
            return redirect("projects:detail", created[0].pk)
    return render(request, "projects/new.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def detail(request, pk: int):
    project = _project(request, pk)
    items = list(
        project.items.prefetch_related("milestones__photos", "requests__category").order_by(
            "position", "pk"
        )
    )
    manages = request.user.has_perm("projects.manage", project)
    return render(
        request,
        "projects/detail.html",
        {
            "project": project,
            "items": items,
            "figures": selectors.figures(items),
            "map": items_map(items, title=project.title),
            "meetings": project.meetings.order_by("starts_at"),
            "decisions": project.decisions.order_by("pk"),
            "notices": project.notices.filter(published_at__isnull=False).order_by("pk")
            if not manages
            else project.notices.order_by("pk"),
            "manages": manages,
            "item_form": ItemForm() if manages else None,
            "milestone_form": MilestoneForm() if manages else None,
        },
    )


@login_required
@require_POST
def publish(request, pk: int):
    project = _managed(request, pk)
    wanted = request.POST.get("published") == "1"
    attempt(
        request,
        lambda: services.project_publish(project=project, published=wanted, actor=request.user),
        _("The project is public.") if wanted else _("The project is a draft again."),
    )
    return redirect("projects:detail", pk)


def _item_arguments(data) -> dict:
    return {
        "title": data["title"],
        "description": data["description"],
        "weight": data["weight"],
        "budget": data["budget"],
        "spent": data["spent"],
        "starts_on": data["starts_on"],
        "ends_on": data["ends_on"],
        "location": data["location"],
        "latitude": data["latitude"],
        "longitude": data["longitude"],
        "status": data["status"] or None,
    }


@login_required
@require_POST
def item_add(request, pk: int):
    project = _managed(request, pk)
    form = ItemForm(request.POST)
    if not form.is_valid():
        return render(request, "projects/item.html", {"project": project, "form": form}, status=400)
    attempt(
        request,
        lambda: services.item_save(
            project=project, actor=request.user, **_item_arguments(form.cleaned_data)
        ),
        _("Item added."),
    )
    return redirect("projects:detail", pk)


@login_required
@require_http_methods(["GET", "POST"])
def item_edit(request, pk: int, item_pk: int):
    project = _managed(request, pk)
    item = get_object_or_404(ProjectItem, pk=item_pk, project=project)
    initial = {
        "title": item.title,
        "description": item.description,
        "weight": item.weight,
        "budget": f"{item.budget_fen / 100:.2f}" if item.budget_fen else "",
        "spent": f"{item.spent_fen / 100:.2f}" if item.spent_fen else "",
        "starts_on": item.starts_on,
        "ends_on": item.ends_on,
        "location": item.location,
        "latitude": item.latitude,
        "longitude": item.longitude,
        "status": item.status,
    }
    form = ItemForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        if attempt(
            request,
            lambda: services.item_save(
                project=project, item=item, actor=request.user, **_item_arguments(form.cleaned_data)
            ),
            _("Item saved."),
        ):
            return redirect("projects:detail", pk)
    return render(request, "projects/item.html", {"project": project, "item": item, "form": form})


@login_required
@require_POST
def milestone_add(request, pk: int, item_pk: int):
    project = _managed(request, pk)
    item = get_object_or_404(ProjectItem, pk=item_pk, project=project)
    form = MilestoneForm(request.POST, request.FILES)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, str(error))
        return redirect("projects:detail", pk)
    data = form.cleaned_data
    attempt(
        request,
        lambda: services.milestone_record(
            item=item,
            actor=request.user,
            title=data["title"],
            progress=data["progress"],
            on=data["on"],
            note=data["note"],
            spent=data["spent"],
            photos=data["photos"],
        ),
        _("Milestone recorded."),
    )
    return redirect("projects:detail", pk)


@login_required
@require_http_methods(["GET", "POST"])
def links(request, pk: int):
    project = _managed(request, pk)
    areas = project.neighbourhoods.all()
    form = LinksForm(
        request.POST or None,
        meetings=Meeting.objects.filter(neighbourhood__in=areas).order_by("-starts_at"),
        decisions=Decision.objects.filter(neighbourhood__in=areas).order_by("-pk"),
        notices=Notice.objects.filter(neighbourhood__in=areas).order_by("-pk"),
        initial={
            "meetings": project.meetings.all(),
            "decisions": project.decisions.all(),
            "notices": project.notices.all(),
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if attempt(
            request,
            lambda: services.links_set(
                project=project,
                actor=request.user,
                meetings=data["meetings"],
                decisions=data["decisions"],
                notices=data["notices"],
            ),
            _("Links saved."),
        ):
            return redirect("projects:detail", pk)
    return render(request, "projects/links.html", {"project": project, "form": form})


@login_required
@require_POST
def item_requests(request, pk: int, item_pk: int):
    project = _managed(request, pk)
    item = get_object_or_404(ProjectItem, pk=item_pk, project=project)
    ids = [parse_id(value) for value in request.POST.get("requests", "").replace("#", "").split()]
    if not all(ids):
        messages.error(request, _("Give request numbers separated by spaces, e.g. 12 15."))
        return redirect("projects:detail", pk)
    chosen = list(
        ServiceRequest.objects.filter(
            pk__in=[i for i in ids if i],
            compound__neighbourhood__in=project.neighbourhoods.all(),
        ).select_related("compound")
    )
    if len(chosen) != len(set(ids)):
        messages.error(request, _("Some of these requests are not of the project's areas."))
        return redirect("projects:detail", pk)
    attempt(
        request,
        lambda: services.item_requests_link(item=item, requests=chosen, actor=request.user),
        _("Requests linked."),
    )
    return redirect("projects:detail", pk)


@require_GET
def photo(request, pk: int, photo_pk: int):
    project = _project(request, pk)
    picture = get_object_or_404(MilestonePhoto, pk=photo_pk, milestone__item__project=project)
    return picture.response()
