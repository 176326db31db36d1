from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HeroesConfig(AppConfig):
    name = "heroes"
    verbose_name = _("Heroes and streets")

    def ready(self):
        from . import i18n, renditions

        renditions.connect()
        i18n.connect()
