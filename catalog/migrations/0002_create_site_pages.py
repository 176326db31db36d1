"""Create the home page, the heroes and streets index pages, and the default site.

Replaces the placeholder page that wagtailcore's initial migration creates, so a
fresh install serves the site's own pages.
"""

from django.db import migrations


def create_pages(apps, schema_editor):
    ContentType = apps.get_model("contenttypes.ContentType")
    Locale = apps.get_model("wagtailcore.Locale")
    Page = apps.get_model("wagtailcore.Page")
    Site = apps.get_model("wagtailcore.Site")
    HomePage = apps.get_model("catalog.HomePage")
    HeroIndexPage = apps.get_model("heroes.HeroIndexPage")
    StreetIndexPage = apps.get_model("heroes.StreetIndexPage")

    if HomePage.objects.exists():
        return
    Site.objects.all().delete()
    Page.objects.filter(depth=2).delete()
    root = Page.objects.get(depth=1)
    locale = Locale.objects.order_by("pk").first()

    def content_type(model):
        return ContentType.objects.get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )[0]

    home = HomePage.objects.create(
        title="Heroes and their streets",
        draft_title="Heroes and their streets",
        slug="home",
        content_type=content_type(HomePage),
        path="00010001",
        depth=2,
        numchild=2,
        url_path="/home/",
        locale=locale,
        intro=(
            "Kazakhstan names streets, schools and squares after the heroes of the Second "
            "World War. Find out whose name your street carries."
        ),
    )
    for position, (model, title, slug) in enumerate(
        [(HeroIndexPage, "Heroes", "heroes"), (StreetIndexPage, "Streets", "streets")], start=1
    ):
        model.objects.create(
            title=title,
            draft_title=title,
            slug=slug,
            content_type=content_type(model),
            path=f"00010001{position:04d}",
            depth=3,
            numchild=0,
            url_path=f"/home/{slug}/",
            locale=locale,
        )
    root.numchild = 1
    root.save(update_fields=["numchild"])
    Site.objects.create(
        hostname="localhost", port=80, root_page=home, is_default_site=True, site_name=""
    )


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0001_initial"),
        ("heroes", "0001_initial"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_pages, migrations.RunPython.noop)]
