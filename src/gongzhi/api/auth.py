"""How API callers sign in: a bearer token (mobile clients) or the browser's session."""

from __future__ import annotations

from ninja.security import HttpBearer, django_auth

from gongzhi.accounts.services.tokens import token_user


class BearerToken(HttpBearer):
    """``Authorization: Bearer <token>`` from ``POST /api/accounts/token``."""

    def authenticate(self, request, token):
        user = token_user(token)
        if user is None:
            return None
        request.user = user
        return user


API_AUTH = [BearerToken(), django_auth]
