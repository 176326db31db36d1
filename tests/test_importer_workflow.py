"""The importer respects the editorial workflow."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from wagtail.models import WorkflowState

from catalog.importer import Importer
from heroes.models import HeroPage, Region

from .i18n_helpers import english

pytestmark = pytest.mark.django_db


@pytest.fixture
def editor(django_user_model):
    user = django_user_model.objects.create_user("ed", password="x")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def changed_dir(seed_dir, tmp_path):
    for name in ("regions.csv", "heroes.csv", "streets.csv"):
        (tmp_path / name).write_bytes((seed_dir / name).read_bytes())
    heroes = tmp_path / "heroes.csv"
    heroes.write_text(
        heroes.read_text(encoding="utf-8").replace(",Colonel,", ",Colonel (reviewed),", 1),
        encoding="utf-8",
    )
    regions = tmp_path / "regions.csv"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace(",Almaty,Алматы,", ",Almaty City,Алматы,", 1),
        encoding="utf-8",
    )
    return tmp_path


def test_an_account_that_cannot_publish_must_submit(changed_dir, editor):
    with pytest.raises(CommandError, match="cannot publish.*--submit"):
        call_command("import_catalog", str(changed_dir), "--user", "ed", verbosity=0)
    assert english(HeroPage, slug="bauyrzhan-momyshuly").rank == "Colonel"


def test_submit_saves_drafts_and_starts_the_review(changed_dir, editor, client):
    outcomes = Importer(changed_dir, user=editor, submit=True).run()
    changed = {(o.kind, o.key): o for o in outcomes if o.action != "unchanged"}
    assert set(changed) == {("hero", "bauyrzhan-momyshuly"), ("region", "KZ-75")}
    assert all(outcome.submitted for outcome in changed.values())

    hero = english(HeroPage, slug="bauyrzhan-momyshuly")
    assert hero.rank == "Colonel" and hero.has_unpublished_changes
    assert hero.latest_revision.as_object().rank == "Colonel (reviewed)"
    state = WorkflowState.objects.get(object_id=str(hero.pk), status="in_progress")
    assert state.workflow.name == "Editorial review"
    html = client.get("/en/heroes/bauyrzhan-momyshuly/").content.decode()
    assert "Colonel (reviewed)" not in html

    region = Region.objects.get(iso_code="KZ-75")
    assert region.name_en == "Almaty" and region.has_unpublished_changes
    assert region.workflow_in_progress


def test_resubmitting_the_same_file_adds_nothing(changed_dir, editor):
    Importer(changed_dir, user=editor, submit=True).run()
    outcomes = Importer(changed_dir, user=editor, submit=True).run()
    assert {o.action for o in outcomes} <= {"unchanged", "kept-edited"}
    # In review: the region, and the hero in each of its language versions (the English
    # source and the kk and ru translations that the import brings up to date).
    hero_versions = HeroPage.objects.filter(slug="bauyrzhan-momyshuly")
    assert hero_versions.count() == 3
    in_review = WorkflowState.objects.filter(status="in_progress")
    assert sorted(in_review.values_list("base_content_type__model", "object_id")) == sorted(
        [("region", str(Region.objects.get(iso_code="KZ-75").pk))]
        + [("page", str(version.pk)) for version in hero_versions]
    )
