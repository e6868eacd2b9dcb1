"""Writes for accounts, by topic: memberships, SMS codes, people (passwords, sign-in,
mobile numbers, profile), tokens of mobile clients."""

from .memberships import membership_end, membership_grant

__all__ = ["membership_end", "membership_grant"]
