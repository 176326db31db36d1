"""The "Exhibition staff" group: the people who handle class-visit bookings.

Members may enter the Wagtail admin and view and change bookings (list, filter,
export, cancel, add a staff note); they may not delete bookings, and have no page
permissions. Bookings hold personal data, so "Editors" and "Moderators" get no
booking permission at all (see ``exhibitions.admin_views``).

Model permissions are normally created after migrations (post_migrate), so the
ones needed here are created first if missing.
"""

from django.db import migrations

GROUP = "Exhibition staff"
BOOKING_ACTIONS = ("view", "change")


def set_up(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Group = apps.get_model("auth.Group")
    Permission = apps.get_model("auth.Permission")

    def permission(app_label, model, action):
        content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
        return Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_{model}",
            defaults={"name": f"Can {action} {model}"},
        )[0]

    staff, _ = Group.objects.get_or_create(name=GROUP)
    staff.permissions.add(
        permission("wagtailadmin", "admin", "access"),
        *(permission("exhibitions", "visitbooking", action) for action in BOOKING_ACTIONS),
    )


def tear_down(apps, schema_editor):
    apps.get_model("auth.Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("exhibitions", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        # These give every admin group "choose" on images and documents: run them first,
        # so that staff do not get it by the order migrations happen to run in.
        ("wagtailimages", "0023_add_choose_permissions"),
        ("wagtaildocs", "0011_add_choose_permissions"),
    ]

    operations = [migrations.RunPython(set_up, tear_down)]
