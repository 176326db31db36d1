"""Create the exhibition schedule page (an ExhibitionIndexPage) under the home page."""

from django.db import migrations


def create_index(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Page = apps.get_model("wagtailcore.Page")
    HomePage = apps.get_model("catalog.HomePage")
    ExhibitionIndexPage = apps.get_model("exhibitions.ExhibitionIndexPage")

    home = HomePage.objects.order_by("path").first()
    if home is None or ExhibitionIndexPage.objects.exists():
        return
    children = Page.objects.filter(path__startswith=home.path, depth=home.depth + 1)
    last = children.order_by("-path").values_list("path", flat=True).first()
    position = int(last[-4:], 36) + 1 if last else 1
    step = ""
    while position:
        position, digit = divmod(position, 36)
        step = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[digit] + step
    content_type, _ = ContentType.objects.get_or_create(
        app_label="exhibitions", model="exhibitionindexpage"
    )
    ExhibitionIndexPage.objects.create(
        title="Mobile exhibition",
        draft_title="Mobile exhibition",
        slug="exhibition",
        content_type=content_type,
        path=home.path + step.rjust(4, "0"),
        depth=home.depth + 1,
        numchild=0,
        url_path=f"{home.url_path}exhibition/",
        locale_id=home.locale_id,
        intro=(
            "The touring mobile museum brings the story of Kazakhstan's heroes of the Second "
            "World War to towns and villages. Find the next stop near you, subscribe to its "
            "calendar and book a class visit."
        ),
    )
    Page.objects.filter(pk=home.pk).update(numchild=children.count())


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0003_editorial_workflow"),
        ("exhibitions", "0001_initial"),
    ]

    operations = [migrations.RunPython(create_index, migrations.RunPython.noop)]
