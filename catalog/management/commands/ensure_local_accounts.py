"""``manage.py ensure_local_accounts``: accounts for trying the site and its review workflow.

Creates (or finds) four local accounts:

======== ============================= ====================== =====================
username  role                          password variable      group
======== ============================= ====================== =====================
admin     superuser                     ``ADMIN_PASSWORD``     (all permissions)
editor    edits, submits for review     ``EDITOR_PASSWORD``    Editors
moderator approves, rejects, publishes  ``MODERATOR_PASSWORD`` Moderators
staff     sees and manages class visits ``STAFF_PASSWORD``     Exhibition staff
======== ============================= ====================== =====================

Usernames can be changed with ``ADMIN_USERNAME``, ``EDITOR_USERNAME``,
``MODERATOR_USERNAME``, ``STAFF_USERNAME``. A password is set when the account is created, or when
its variable is given: from the variable, else generated once and kept in
``.local/<username>-password`` (git-ignored, mode 600) so every ``make run``
prints the same one. A password changed in the admin is never reset otherwise.
Refuses to run with ``DEBUG`` off: production accounts are made with
``createsuperuser`` and the admin's user management.
"""

import os
import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError

PASSWORD_DIR = Path(settings.BASE_DIR) / ".local"
ROLES = [
    # (role, default username, group or None for a superuser)
    ("ADMIN", "admin", None),
    ("EDITOR", "editor", "Editors"),
    ("MODERATOR", "moderator", "Moderators"),
    ("STAFF", "staff", "Exhibition staff"),
]


def _password(role, username):
    """The password from ``<ROLE>_PASSWORD``, else the kept or a newly generated one."""
    if os.environ.get(f"{role}_PASSWORD"):
        return os.environ[f"{role}_PASSWORD"]
    path = PASSWORD_DIR / f"{username}-password"
    if path.exists():
        return path.read_text().strip()
    password = secrets.token_urlsafe(12)
    PASSWORD_DIR.mkdir(exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(password + "\n")
    return password


class Command(BaseCommand):
    help = "Create or find the local admin, editor, moderator and staff accounts; print sign-in."

    def handle(self, **options):
        if not settings.DEBUG:
            raise CommandError("ensure_local_accounts is for local development (DEBUG on) only.")
        lines = [f"Local accounts (admin: {settings.WAGTAILADMIN_BASE_URL}/admin/):"]
        for role, default_username, group in ROLES:
            username = os.environ.get(f"{role}_USERNAME", default_username)
            user, created = get_user_model().objects.get_or_create(
                username=username, defaults={"email": f"{username}@localhost"}
            )
            password = _password(role, username)
            if created or os.environ.get(f"{role}_PASSWORD"):
                user.set_password(password)
            # Wagtail's admin needs only the groups' "access admin" permission; is_staff
            # (Django's own admin, not installed) stays for the superuser alone.
            user.is_active = True
            user.is_staff = user.is_superuser = group is None
            user.save()
            if group:
                user.groups.add(Group.objects.get(name=group))
            if not user.check_password(password):
                password = f"(changed in the admin; set {role}_PASSWORD to reset it)"
            lines.append(f"  {role.lower():<10} username: {username:<10} password: {password}")
        self.stdout.write(self.style.SUCCESS("\n".join(lines)))
