from decimal import Decimal as D

import pytest
from django.utils import translation

from heroes.geo import coordinate_errors


@pytest.fixture(autouse=True)
def english():
    """The messages in English (the default language is Kazakh)."""
    with translation.override("en"):
        yield


def test_almaty_momyshuly_avenue_is_inside_kazakhstan():
    assert coordinate_errors(D("43.29089"), D("76.81567")) == {}


def test_swapped_latitude_and_longitude_are_named_as_swapped():
    errors = coordinate_errors(D("76.81567"), D("43.29089"))
    assert "swapped" in errors["lat"]


def test_point_outside_kazakhstan_is_rejected():
    moscow = (D("55.7558"), D("37.6173"))
    assert "outside Kazakhstan" in coordinate_errors(*moscow)["lat"]


def test_half_a_coordinate_pair_is_an_error():
    assert "longitude" in coordinate_errors(D("43.2"), None)["lon"]
    assert coordinate_errors(None, None) == {}
