"""``manage.py ensure_local_admin``: a superuser for trying the site locally.

Username from ``ADMIN_USERNAME`` (default ``admin``). The password is set when
the account is created, or when ``ADMIN_PASSWORD`` is given: from
``ADMIN_PASSWORD``, else generated once and kept in ``.local/admin-password``
(git-ignored, mode 600). An existing account's password is never reset
otherwise, so a password changed in the admin survives ``make run``. Refuses to
run with ``DEBUG`` off: production accounts are made with ``createsuperuser``.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

PASSWORD_FILE = Path(settings.BASE_DIR) / ".local" / "admin-password"


def _local_password():
    if os.environ.get("ADMIN_PASSWORD"):
        return os.environ["ADMIN_PASSWORD"]
    if PASSWORD_FILE.exists():
        return PASSWORD_FILE.read_text().strip()
    password = secrets.token_urlsafe(12)
    PASSWORD_FILE.parent.mkdir(exist_ok=True)
    PASSWORD_FILE.touch(mode=0o600)
    PASSWORD_FILE.write_text(password + "\n")
    return password


class Command(BaseCommand):
    help = "Create or update the local admin account and print how to sign in."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_local_admin is for local development (DEBUG on) only.")
        username = os.environ.get("ADMIN_USERNAME", "admin")
        user, created = get_user_model().objects.get_or_create(
            username=username, defaults={"email": f"{username}@localhost"}
        )
        password = _local_password()
        if created or os.environ.get("ADMIN_PASSWORD"):
            user.set_password(password)
        user.is_staff = user.is_superuser = user.is_active = True
        user.save()
        if not user.check_password(password):
            password = "(changed in the admin; set ADMIN_PASSWORD to reset it)"
        self.stdout.write(
            self.style.SUCCESS(
                f"{'Created' if created else 'Found'} the local admin account.\n"
                f"  Admin:    http://127.0.0.1:8000/admin/\n"
                f"  Username: {username}\n"
                f"  Password: {password}"
            )
        )
