"""Create a Wagtail Locale for each content language (kk, ru, en).

wagtailcore's first migration creates only the locale of LANGUAGE_CODE; the home and
index pages in the other languages are created by catalog.locales.ensure_site_languages
(run by ``import_catalog``), which needs wagtail-localize's models.
"""

from django.conf import settings
from django.db import migrations


def create_locales(apps, schema_editor):
    Locale = apps.get_model("wagtailcore.Locale")
    for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
        Locale.objects.get_or_create(language_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("catalog", "0005_search_keys"),
        ("wagtailcore", "0098_apitoken"),
    ]

    operations = [migrations.RunPython(create_locales, migrations.RunPython.noop)]
