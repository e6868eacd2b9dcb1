"""A backup round-trips a seeded installation: the database and the stored files come
back as they were; a damaged or foreign archive is refused and changes nothing."""

import io
import json
import tarfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from gongzhi.demo.images import tiny_png
from gongzhi.registry.models import Owner, Unit
from gongzhi.registry.tests.factories import (
    CompoundFactory,
    NeighbourhoodFactory,
    OwnerFactory,
    unit_with_owners,
    user_with_role,
)

pytestmark = pytest.mark.django_db(transaction=True)


def seeded():
    from gongzhi.accounts.models import Role
    from gongzhi.notices import services

    area = NeighbourhoodFactory(name="番禺居民区")
    compound = CompoundFactory(neighbourhood=area, name="番禺小区")
    for n in range(30):
        owner = OwnerFactory(sub_district=area.sub_district)
        unit_with_owners(compound, f"{n + 101}", "60.00", [owner])
    clerk = user_with_role("clerk", Role.CLERK, neighbourhood=area)
    from django.utils import timezone

    notice = services.notice_create(
        neighbourhood=area,
        compounds=[compound],
        kind="general",
        title="公示",
        body="正文",
        display_from=timezone.now(),
        display_until=timezone.now() + timezone.timedelta(days=9),
        actor=clerk,
    )
    return services.attachment_add(
        notice=notice, upload=SimpleUploadedFile("图.png", tiny_png("图")), actor=clerk
    )


def test_a_backup_round_trips_the_database_and_the_files(tmp_path, capsys):
    attachment = seeded()
    stored = attachment.file.read()
    call_command("backup", output=tmp_path)
    archive = next(tmp_path.glob("gongzhi-backup-*.tar.gz"))
    assert "Backup written" in capsys.readouterr().out
    with tarfile.open(archive) as opened:
        names = opened.getnames()
    assert "manifest.json" in names and any(n.startswith("media/notices/") for n in names)
    # the installation changes after the backup …
    Unit.objects.filter(number="101").delete()
    Owner.objects.update(name="改掉")
    attachment.file.storage.delete(attachment.file.name)
    assert not attachment.file.storage.exists(attachment.file.name)
    # … and the backup brings it back
    call_command("restore", str(archive), yes=True)
    assert Unit.objects.count() == 30
    assert not Owner.objects.filter(name="改掉").exists()
    attachment.refresh_from_db()
    assert attachment.file.storage.open(attachment.file.name).read() == stored


def _rewrite(archive, target, change):
    with tarfile.open(archive) as source, tarfile.open(target, "w:gz") as out:
        for member in source.getmembers():
            data = source.extractfile(member).read()
            data = change(member.name, data)
            info = tarfile.TarInfo(member.name)
            info.size = len(data)
            out.addfile(info, io.BytesIO(data))


def test_a_damaged_or_foreign_archive_is_refused_and_changes_nothing(tmp_path):
    seeded()
    call_command("backup", output=tmp_path)
    archive = next(tmp_path.glob("gongzhi-backup-*.tar.gz"))
    Unit.objects.filter(number="101").delete()
    damaged = tmp_path / "damaged.tar.gz"
    _rewrite(
        archive, damaged, lambda name, data: data + b"x" if name.startswith("database") else data
    )
    with pytest.raises(CommandError, match="checksum"):
        call_command("restore", str(damaged), yes=True)
    foreign = tmp_path / "foreign.tar.gz"

    def other_engine(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["engine"] = "oracle"
        return json.dumps(manifest).encode()

    _rewrite(archive, foreign, other_engine)
    with pytest.raises(CommandError, match="oracle"):
        call_command("restore", str(foreign), yes=True)
    newer = tmp_path / "newer.tar.gz"

    def newer_code(name, data):
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        manifest["migrations"].append("registry.9999_from_the_future")
        return json.dumps(manifest).encode()

    _rewrite(archive, newer, newer_code)
    with pytest.raises(CommandError, match="newer version"):
        call_command("restore", str(newer), yes=True)
    assert Unit.objects.count() == 29  # nothing was restored
