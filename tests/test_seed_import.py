"""The real seed data, imported once per session by conftest.django_db_setup."""

import datetime

import pytest
from django.utils import translation
from wagtail.models import Revision

from catalog.importer import Importer
from heroes.models import HeroPage, Region, StreetPage

from .i18n_helpers import en, english

pytestmark = pytest.mark.django_db


def test_every_seed_row_is_imported():
    assert Region.objects.count() == 20
    assert en(HeroPage.objects).live().count() == 55
    assert en(StreetPage.objects).live().count() == 58


def test_momyshuly_born_24_december_1910():
    hero = english(HeroPage, slug="bauyrzhan-momyshuly")
    assert hero.birth_date == datetime.date(1910, 12, 24)
    assert hero.birth_date_precision == "day"
    with translation.override("en"):
        assert hero.birth.display() == "24 December 1910"


def test_mametova_dates_are_shown_only_as_precisely_as_known():
    hero = english(HeroPage, slug="manshuk-mametova")
    with translation.override("en"):
        assert hero.birth.display() == "1922"
        assert hero.death.display() == "October 1943"


def test_unknown_dates_stay_unknown():
    hero = english(HeroPage, slug="izgutty-aitykov")
    assert hero.birth_date is None and hero.birth_date_precision == "unknown"
    assert hero.birth.display() == ""


def test_awards_are_split_with_year_and_note():
    hero = english(HeroPage, slug="rakhimzhan-koshkarbayev")
    awards = [(a.name, a.year, a.note) for a in hero.awards.all()]
    assert awards[0] == ("People's Hero of Kazakhstan", 1999, "posthumous")
    assert ("Order of the Red Banner", 1945, "") in awards


def test_sources_are_kept_as_links():
    hero = english(HeroPage, slug="bauyrzhan-momyshuly")
    urls = [source.url for source in hero.sources.all()]
    assert urls[0].startswith("https://rus.baq.kz/")
    assert any(source.citation == "death date" for source in hero.sources.all())


def test_source_notes_are_readable_and_urls_not_repeated():
    hero = english(HeroPage, slug="abylkhair-baimuldin")
    sources = [(source.url, source.citation) for source in hero.sources.all()]
    assert [url for url, _ in sources].count(
        "https://tengrinews.kz/russia/ploschad-imenem-kazahstanskogo-uchastnika-vov-nazvali-rossii-253220"
    ) == 1
    assert sources[1][1].startswith("death place: 13 Feb 2014")


def test_street_links_its_hero_and_settlement():
    street = english(StreetPage, slug="almaty-momyshuly-ave")
    assert [link.hero.slug for link in street.heroes.all()] == ["bauyrzhan-momyshuly"]
    assert street.settlement.name_en == "Almaty"
    assert street.settlement.region.iso_code == "KZ-75"
    assert street.kind == StreetPage.Kind.AVENUE
    assert (float(street.lat), float(street.lon)) == (43.29089, 76.81567)


def test_former_names_carry_the_renaming_year():
    street = english(StreetPage, slug="shakhtinsk-shakhan-momyshuly-st")
    assert [(f.name, f.valid_until, f.note) for f in street.former_names.all()] == [
        ("улица Строителей", 2023, ""),
        ("улица Строительная", 2023, "merged"),
    ]
    assert street.settlement.name_en == "Shakhan"
    assert street.location_note == "Shakhan (town of Shakhtinsk)"


def test_pages_are_published_by_the_importer_account():
    hero = english(HeroPage, slug="aliya-moldagulova")
    assert hero.latest_revision.user.username == "importer"
    assert not hero.latest_revision.user.is_superuser
    assert hero.live and not hero.has_unpublished_changes


def test_reimport_changes_nothing_and_creates_no_revision(seed_dir):
    revisions = Revision.objects.count()
    outcomes = Importer(seed_dir).run()
    assert {outcome.action for outcome in outcomes} == {"unchanged"}
    assert Revision.objects.count() == revisions


def test_changed_row_updates_only_that_page_with_one_revision(seed_dir, tmp_path):
    for name in ("regions.csv", "streets.csv"):
        (tmp_path / name).write_bytes((seed_dir / name).read_bytes())
    heroes = (seed_dir / "heroes.csv").read_text(encoding="utf-8")
    (tmp_path / "heroes.csv").write_text(
        heroes.replace(",Colonel,", ",Colonel (retired),", 1), encoding="utf-8"
    )
    revisions = Revision.objects.count()
    last = Revision.objects.order_by("pk").last().pk
    outcomes = Importer(tmp_path).run()
    changed = [(o.key, o.changed) for o in outcomes if o.action != "unchanged"]
    assert changed == [("bauyrzhan-momyshuly", ["rank"])]
    # One revision per language version of that hero (the English source and its kk and
    # ru translations, which the importer brings up to date), none for any other page.
    new = Revision.objects.filter(pk__gt=last)
    assert new.count() == Revision.objects.count() - revisions
    versions = HeroPage.objects.filter(slug="bauyrzhan-momyshuly")
    assert sorted(int(r.object_id) for r in new) == sorted(v.pk for v in versions)
    assert len(versions) == 3
    assert english(HeroPage, slug="bauyrzhan-momyshuly").rank == "Colonel (retired)"


def test_dry_run_reports_changes_and_saves_nothing(seed_dir, tmp_path):
    for name in ("regions.csv", "streets.csv"):
        (tmp_path / name).write_bytes((seed_dir / name).read_bytes())
    heroes = (seed_dir / "heroes.csv").read_text(encoding="utf-8")
    (tmp_path / "heroes.csv").write_text(
        heroes.replace(",Colonel,", ",General,", 1), encoding="utf-8"
    )
    outcomes = Importer(tmp_path).run(dry_run=True)
    assert [(o.key, o.action) for o in outcomes if o.action != "unchanged"] == [
        ("bauyrzhan-momyshuly", "update")
    ]
    assert english(HeroPage, slug="bauyrzhan-momyshuly").rank == "Colonel"


def test_editor_corrections_are_kept_on_reimport(seed_dir, django_user_model):
    editor = django_user_model.objects.create(username="editor")
    hero = english(HeroPage, slug="ivan-panfilov")
    hero.rank = "Major General (corrected by an editor)"
    hero.save_revision(user=editor).publish(user=editor, skip_permission_checks=True)
    outcomes = {o.key: o.action for o in Importer(seed_dir).run()}
    assert outcomes["ivan-panfilov"] == "kept-edited"
    assert english(HeroPage, slug="ivan-panfilov").rank == "Major General (corrected by an editor)"
