"""Every interface string is translated into Kazakh and Russian (issue #6).

``makemessages`` is run over the templates and Python code into a copy of locale/;
the test fails when it finds a string that the kk or ru catalogue lacks (new, empty
or fuzzy), or when a catalogue does not compile with GNU gettext's format checks.
"""

import os
import shutil
import subprocess
from pathlib import Path

import polib
import pytest
from django.core.management import call_command
from django.test import override_settings

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ["kk", "ru"]
# What makemessages scans (as `make`'s messages are made: templates and Python code).
SOURCES = ["catalog", "exhibitions", "heroes", "templates", "locale"]
IGNORE = ["static"]


def _gettext_tools():
    found = all(shutil.which(tool) for tool in ("xgettext", "msgmerge", "msguniq", "msgfmt"))
    if not found and os.environ.get("CI"):
        pytest.fail("GNU gettext (xgettext, msgmerge, msgfmt) is required in CI")
    if not found:
        pytest.skip("GNU gettext tools are not installed")


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory):
    """A copy of the code and locale/, with the catalogues brought up to date by
    makemessages (run in the copy: it writes next to the files it scans)."""
    _gettext_tools()
    copy = tmp_path_factory.mktemp("project")
    for name in SOURCES:
        shutil.copytree(ROOT / name, copy / name, ignore=shutil.ignore_patterns("__pycache__"))
    cwd = os.getcwd()
    os.chdir(copy)
    try:
        with override_settings(LOCALE_PATHS=[copy / "locale"]):
            call_command(
                "makemessages",
                locale=LANGUAGES,
                ignore_patterns=IGNORE,
                no_location=True,
                verbosity=0,
            )
    finally:
        os.chdir(cwd)
    return copy / "locale"


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_interface_string_is_left_untranslated(fresh_catalogues, language):
    catalogue = polib.pofile(str(fresh_catalogues / language / "LC_MESSAGES" / "django.po"))
    missing = [entry.msgid for entry in catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in catalogue.fuzzy_entries()]
    assert not missing, f"untranslated in {language}: {missing[:20]}"
    assert not fuzzy, f"fuzzy (needs review) in {language}: {fuzzy[:20]}"
    assert len(catalogue.translated_entries()) > 600


@pytest.mark.parametrize("language", LANGUAGES)
def test_catalogue_compiles_with_format_checks(language):
    _gettext_tools()
    po = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(
        ["msgfmt", "--check", "-o", os.devnull, str(po)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(
    "language, plural_forms",
    [("kk", "nplurals=2; plural=(n!=1);"), ("ru", "nplurals=4;")],
)
def test_plural_rules_are_declared(language, plural_forms):
    catalogue = polib.pofile(str(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"))
    assert catalogue.metadata["Language"] == language
    assert catalogue.metadata["Plural-Forms"].startswith(plural_forms)
