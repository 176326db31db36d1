"""The site's languages: Wagtail locales and the home and index pages in each.

:func:`ensure_site_languages` (run by ``import_catalog``, so by ``make run``) makes
sure that a Locale exists for every language of ``settings.WAGTAIL_CONTENT_LANGUAGES``
and that the home page and the heroes, streets and exhibition index pages exist in
each, translated with wagtail-localize (see :mod:`heroes.i18n`). Idempotent: texts
that editors changed are kept, and nothing is saved when nothing differs.
"""

from django.conf import settings
from wagtail.models import Locale, Site, WorkflowPage

from exhibitions.models import ExhibitionIndexPage
from heroes.i18n import locale_code, translate_page
from heroes.models import HeroIndexPage, StreetIndexPage

from .models import HomePage

# The texts the site ships with (catalog migrations 0002 and 0004 wrote the English
# ones), by page type and language.
SITE_TEXT = {
    HomePage: {
        "en": {
            "title": "Heroes and their streets",
            "intro": "Kazakhstan names streets, schools and squares after the heroes of the "
            "Second World War. Find out whose name your street carries.",
        },
        "kk": {
            "title": "Батырлар мен олардың көшелері",
            "intro": "Қазақстанда көшелерге, мектептер мен алаңдарға Екінші дүниежүзілік "
            "соғыс батырларының есімдері беріледі. Көшеңіздің кімнің есімімен аталғанын "
            "біліңіз.",
        },
        "ru": {
            "title": "Герои и их улицы",
            "intro": "В Казахстане улицам, школам и площадям присваивают имена героев Второй "
            "мировой войны. Узнайте, чьё имя носит ваша улица.",
        },
    },
    HeroIndexPage: {
        "en": {"title": "Heroes"},
        "kk": {"title": "Батырлар"},
        "ru": {"title": "Герои"},
    },
    StreetIndexPage: {
        "en": {"title": "Streets"},
        "kk": {"title": "Көшелер"},
        "ru": {"title": "Улицы"},
    },
    ExhibitionIndexPage: {
        "en": {
            "title": "Mobile exhibition",
            "intro": "The touring mobile museum brings the story of Kazakhstan's heroes of "
            "the Second World War to towns and villages. Find the next stop near you, "
            "subscribe to its calendar and book a class visit.",
        },
        "kk": {
            "title": "Жылжымалы көрме",
            "intro": "Жылжымалы музей Екінші дүниежүзілік соғыстағы қазақстандық батырлар "
            "туралы әңгімені қалалар мен ауылдарға жеткізеді. Өзіңізге жақын келесі көрме "
            "орнын тауып, оның күнтізбесіне жазылыңыз және сыныппен келуге тіркеліңіз.",
        },
        "ru": {
            "title": "Передвижная выставка",
            "intro": "Передвижной музей везёт рассказ о казахстанских героях Второй мировой "
            "войны в города и сёла. Найдите ближайшую к вам площадку выставки, подпишитесь "
            "на её календарь и запишите класс на посещение.",
        },
    },
}


def ensure_locales():
    """Create the missing Locale rows of ``WAGTAIL_CONTENT_LANGUAGES``; returns them by code."""
    return {
        code: Locale.objects.get_or_create(language_code=code)[0]
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES
    }


def source_tree_language():
    """The language of the default site's root page: the tree that other languages'
    home and index pages are translated from."""
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:
        return settings.LANGUAGE_CODE
    return locale_code(site.root_page.locale_id)


def site_index(model, language):
    """The live ``model`` page (home or an index) in ``language``, or None."""
    return model.objects.filter(locale__language_code=language).order_by("path").first()


def ensure_site_languages(user=None):
    """Make the home and index pages exist in every language (see the module docstring).

    The pages of the default site's tree are the sources; a source page that still has
    the shipped English text while its language is not English gets that language's
    text. Returns the list of ``(page type name, language, "created"|"updated")`` done.
    """
    ensure_locales()
    done = []
    language = source_tree_language()
    for model, texts in SITE_TEXT.items():
        source = site_index(model, language)
        if source is None:
            continue
        wanted = texts[language]
        shipped = texts["en"]
        fields = [name for name in wanted if getattr(source, name, None) == shipped[name]]
        if language != "en" and any(getattr(source, name) != wanted[name] for name in fields):
            for name in fields:
                setattr(source, name, wanted[name])
            source.draft_title = source.title
            source.save_revision(user=user, log_action=True).publish(user=user)
            done.append((model.__name__, language, "updated"))
        for code, _name in settings.WAGTAIL_CONTENT_LANGUAGES:
            if code == language:
                continue
            existing = site_index(model, code)
            strings = texts[code]
            if existing is not None and all(
                getattr(existing, name) == value for name, value in strings.items()
            ):
                continue
            if (
                existing is not None
                and existing.latest_revision_id
                and (existing.latest_revision.user_id not in (None, getattr(user, "pk", None)))
            ):
                continue  # an editor changed it: theirs wins
            translate_page(source, code, strings, user=user, publish=True)
            done.append((model.__name__, code, "created" if existing is None else "updated"))
    share_workflows()
    return done


def share_workflows():
    """Give every language's home page the workflows of the default site's home page
    ("Editorial review", catalog migration 0003), so translations are reviewed too:
    the other languages' home pages are its siblings, outside its subtree."""
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        return
    for assignment in WorkflowPage.objects.filter(page=site.root_page_id):
        for home in site.root_page.get_translations():
            WorkflowPage.objects.get_or_create(
                page=home, defaults={"workflow": assignment.workflow}
            )
