"""Uploads are counted as their bytes arrive and refused at the limit, before the
rest is read (the review's finding: a 300 MB upload was read whole before its size
was refused)."""

import io

import pytest
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart

from gongzhi.accounts.models import Role
from gongzhi.registry.tests.factories import NeighbourhoodFactory, user_with_role

pytestmark = pytest.mark.django_db


class CountingInput(io.BytesIO):
    """The request body as the server reads it, counting what was read."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data)
        self.consumed = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.consumed += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.consumed += len(line)
        return line


def _post_file(client, url, field, size, **fields):
    class Upload(io.BytesIO):
        name = "big.csv"

    body = encode_multipart(BOUNDARY, {**fields, field: Upload(b"x" * size)})
    stream = CountingInput(body)
    response = client.generic(
        "POST", url, body, content_type=MULTIPART_CONTENT, **{"wsgi.input": stream}
    )
    return response, stream, len(body)


@pytest.fixture
def clerk(client):
    area = NeighbourhoodFactory()
    user = user_with_role("clerk", Role.CLERK, neighbourhood=area)
    client.force_login(user)
    return area


def test_a_file_over_its_views_limit_is_refused_as_it_arrives(client, clerk, settings):
    settings.ROLL_UPLOAD_MAX_BYTES = 2 * 1024 * 1024  # the import page's own limit
    response, stream, total = _post_file(
        client, "/registry/import/", "file", 20 * 1024 * 1024, neighbourhood=clerk.pk
    )
    assert response.status_code == 413
    assert "文件超过 2 MB" in response.content.decode()
    assert stream.consumed < 3 * 1024 * 1024 < total  # the rest was never read


def test_a_request_announcing_more_than_any_upload_may_hold_is_not_read(client, clerk, settings):
    settings.UPLOAD_MAX_REQUEST_BYTES = 1024 * 1024
    response, stream, total = _post_file(
        client, "/registry/import/", "file", 3 * 1024 * 1024, neighbourhood=clerk.pk
    )
    assert response.status_code == 413
    assert stream.consumed < 64 * 1024


def test_other_pages_take_the_default_limit(client, clerk, settings):
    settings.UPLOAD_MAX_BYTES = 1024 * 1024
    settings.ROLL_UPLOAD_MAX_BYTES = 50 * 1024 * 1024
    settings.ROLL_IMPORT_SYNC_BYTES = 10 * 1024 * 1024  # read in the request, not the worker
    response, _stream, _total = _post_file(client, "/notices/new/", "attachments", 2 * 1024 * 1024)
    assert response.status_code == 413
    # and a roll of the same size is fine on the import page (it fails as a roll)
    response, _stream, _total = _post_file(
        client, "/registry/import/", "file", 2 * 1024 * 1024, neighbourhood=clerk.pk
    )
    assert response.status_code == 400
    assert "第 1 行有超过 4000 个字符的单元格" in response.content.decode()
