"""Errors that services raise and views turn into a clear message."""


class ApplicationError(Exception):
    """A refused action: the message says in words why, and nothing was changed."""

    def __init__(self, message: str, *, extra: dict[str, object] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.extra = extra or {}

    def __str__(self) -> str:
        return str(self.message)


class PermissionRefused(ApplicationError):
    """The actor may not do this to this object."""


class RateLimited(PermissionRefused):
    """Refused before anything was checked: too many attempts in a while."""

    def __init__(self, message: str, *, retry_after: int = 0) -> None:
        super().__init__(message)
        self.retry_after = retry_after
