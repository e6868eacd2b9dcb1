"""Writes for people and roles, by topic: grants (invitations, ending roles), claims
(owners claiming their units, activation letters, linking in person)."""
