"""Signing in with a mobile number or a user name, and a password."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from gongzhi.core.identifiers import InvalidIdentifier, normalise_mobile


def login_key(value: str) -> str:
    """What a sign-in is counted and looked up by: the normalised mobile number when
    the text is one ("138 0013 8000" and "13800138000" are the same), else the user
    name in lower case."""
    text = (value or "").strip()
    try:
        return normalise_mobile(text)
    except InvalidIdentifier:
        return text.lower()


class PhoneOrUsernameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None or password is None:
            return None
        User = get_user_model()
        key = login_key(username)
        user = (
            User.objects.filter(phone=key).first()
            if key.isdigit() and len(key) == 11
            else User.objects.filter(username__iexact=key).first()
        )
        if user is None:
            User().set_password(password)  # the same work as a real check: no timing hint
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
