import pytest
from django.core.management import CommandError, call_command

from catalog.management.commands import ensure_local_accounts

pytestmark = pytest.mark.django_db


@pytest.fixture
def password_dir(tmp_path, monkeypatch, settings):
    settings.DEBUG = True
    monkeypatch.setattr(ensure_local_accounts, "PASSWORD_DIR", tmp_path)
    for role in ("ADMIN", "EDITOR", "MODERATOR", "STAFF"):
        monkeypatch.delenv(f"{role}_PASSWORD", raising=False)
        monkeypatch.setenv(f"{role}_USERNAME", f"local{role.lower()}")
    return tmp_path


def test_creates_admin_editor_moderator_and_staff_and_prints_kept_passwords(
    password_dir, capsys, django_user_model
):
    call_command("ensure_local_accounts")
    out = capsys.readouterr().out
    for role, group in (
        ("admin", None),
        ("editor", "Editors"),
        ("moderator", "Moderators"),
        ("staff", "Exhibition staff"),
    ):
        user = django_user_model.objects.get(username=f"local{role}")
        password = (password_dir / f"local{role}-password").read_text().strip()
        assert f"password: {password}" in out
        assert user.check_password(password)
        assert user.is_superuser == (group is None)
        assert [g.name for g in user.groups.all()] == ([group] if group else [])


def test_a_changed_password_survives_the_next_run(password_dir, capsys, django_user_model):
    call_command("ensure_local_accounts")
    user = django_user_model.objects.get(username="localeditor")
    user.set_password("changed-by-me-123")
    user.save()
    call_command("ensure_local_accounts")
    user.refresh_from_db()
    assert user.check_password("changed-by-me-123")
    assert "set EDITOR_PASSWORD to reset it" in capsys.readouterr().out


def test_password_from_the_environment(password_dir, monkeypatch, django_user_model):
    monkeypatch.setenv("MODERATOR_PASSWORD", "from-env-456")
    call_command("ensure_local_accounts")
    assert django_user_model.objects.get(username="localmoderator").check_password("from-env-456")


def test_refuses_without_debug(password_dir, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="local development"):
        call_command("ensure_local_accounts")
