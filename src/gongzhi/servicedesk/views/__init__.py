"""Pages of the service desk, by topic: reporting and the queues, the steps of a
request, incidents and shared assets, and the public statistics.
"""

from .incidents import asset, assets, incident, incident_end, incidents
from .public import public, public_compound
from .requests import assign_many, assigned_to_me, detail, index, kanban, me_too, queue, report
from .steps import (
    accept,
    assign,
    close,
    defer,
    feedback,
    follow_up,
    photo,
    photos,
    quality,
    reopen,
    resolve,
    resume,
    return_,
    start,
    transfer,
)

__all__ = [
    "report",
    "me_too",
    "index",
    "queue",
    "kanban",
    "assign_many",
    "assigned_to_me",
    "detail",
    "accept",
    "assign",
    "start",
    "defer",
    "resume",
    "resolve",
    "close",
    "reopen",
    "return_",
    "transfer",
    "feedback",
    "follow_up",
    "quality",
    "photos",
    "photo",
    "incidents",
    "incident",
    "incident_end",
    "assets",
    "asset",
    "public",
    "public_compound",
]
