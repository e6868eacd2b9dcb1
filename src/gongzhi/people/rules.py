"""Who may manage people (django-rules).

- ``people.manage_people``  invite people and end their roles in a sub-district or a
  residents' area (what each may grant is ``services.grants.grantable_roles``)
- ``people.link_owner``     link an owner's account in person, print activation
  letters, for a compound
"""

from __future__ import annotations

import rules

from gongzhi.registry.rules import is_clerk, is_sub_district_official, is_superuser

rules.add_perm("people.manage_people", is_superuser | is_sub_district_official | is_clerk)
rules.add_perm("people.link_owner", is_superuser | is_sub_district_official | is_clerk)
