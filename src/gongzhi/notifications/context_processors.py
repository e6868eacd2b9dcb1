def unread(request):
    """The number of unread messages, for the header (one count per page)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    from .selectors import unread_count

    return {"unread_messages": unread_count(user)}
