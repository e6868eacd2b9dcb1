"""One way for views to ask a named permission and refuse with a reason."""

from django.core.exceptions import PermissionDenied


def require(request, permission: str, obj=None, *, reason: str) -> None:
    """Raise PermissionDenied with a reason the 403 page shows."""
    if not request.user.has_perm(permission, obj):
        raise PermissionDenied(reason)
