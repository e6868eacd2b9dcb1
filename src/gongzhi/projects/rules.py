"""Who may see and change street-improvement projects (django-rules).

- ``projects.create``  start a project in a sub-district: its officials
- ``projects.manage``  change a project, its items, milestones and links: the
                       sub-district's officials and the clerks of its residents' areas
- ``projects.view``    a published project: anyone; a draft: those who manage it
"""

from __future__ import annotations

import rules

from gongzhi.accounts.scopes import scopes_for

from .models import Project


@rules.predicate
def official_of(user, obj) -> bool:
    sub_district_id = obj.sub_district_id if isinstance(obj, Project) else getattr(obj, "pk", None)
    return sub_district_id in scopes_for(user).sub_districts


@rules.predicate
def clerk_of(user, project) -> bool:
    if not isinstance(project, Project):
        return False
    areas = scopes_for(user).neighbourhoods
    return bool(areas) and project.neighbourhoods.filter(pk__in=areas).exists()


@rules.predicate
def published(user, project) -> bool:
    return isinstance(project, Project) and project.published


rules.add_perm("projects.create", rules.is_superuser | official_of)
rules.add_perm("projects.manage", rules.is_superuser | official_of | clerk_of)
rules.add_perm("projects.view", published | rules.is_superuser | official_of | clerk_of)
