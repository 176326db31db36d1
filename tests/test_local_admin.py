import pytest
from django.core.management import CommandError, call_command

from catalog.management.commands import ensure_local_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_file(tmp_path, monkeypatch):
    path = tmp_path / "admin-password"
    monkeypatch.setattr(ensure_local_admin, "PASSWORD_FILE", path)
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)
    monkeypatch.setenv("ADMIN_USERNAME", "localadmin")
    return path


def test_creates_a_superuser_and_prints_the_password_it_keeps(
    settings, password_file, capsys, django_user_model
):
    settings.DEBUG = True
    call_command("ensure_local_admin")
    password = password_file.read_text().strip()
    assert f"Password: {password}" in capsys.readouterr().out
    user = django_user_model.objects.get(username="localadmin")
    assert user.is_superuser and user.check_password(password)


def test_a_changed_password_survives_the_next_run(
    settings, password_file, capsys, django_user_model
):
    settings.DEBUG = True
    call_command("ensure_local_admin")
    user = django_user_model.objects.get(username="localadmin")
    user.set_password("changed-by-me-123")
    user.save()
    call_command("ensure_local_admin")
    user.refresh_from_db()
    assert user.check_password("changed-by-me-123")
    assert "set ADMIN_PASSWORD to reset it" in capsys.readouterr().out


def test_refuses_without_debug(settings, password_file):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development"):
        call_command("ensure_local_admin")
