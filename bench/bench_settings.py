"""Settings for the HTTP benchmark: the project's, plus a minimal insert view, and
API rate limits high enough for one loopback client to load the server."""

from gongzhi.settings import *  # noqa: F403

ROOT_URLCONF = "bench_urls"
API_RATE_LIMITS = {"anonymous": "1000000/m", "signed_in": "1000000/m"}
