"""Coordinates: WGS 84 latitude and longitude in decimal degrees.

Kazakhstan lies within latitude 40.5..55.5 N and longitude 46.5..87.5 E (the
bounding box of its border with a small margin; the same box checks the seed
data, see catalog/seed/SOURCES.md). A point outside it is rejected; a point whose
swapped pair falls inside it is reported as swapped, the commonest data-entry
slip. The box is a coarse check: it admits points in neighbouring countries
near the border, which editors catch on the map.
"""

from decimal import Decimal

from django.utils.translation import gettext as _

KZ_LAT_RANGE = (Decimal("40.5"), Decimal("55.5"))
KZ_LON_RANGE = (Decimal("46.5"), Decimal("87.5"))


def _inside(lat, lon):
    return KZ_LAT_RANGE[0] <= lat <= KZ_LAT_RANGE[1] and KZ_LON_RANGE[0] <= lon <= KZ_LON_RANGE[1]


def coordinate_errors(lat, lon):
    """Check a latitude/longitude pair (``Decimal`` or None each).

    Returns a dict ``{"lat"|"lon": message}``; empty when the pair is valid or
    both are missing.
    """
    if lat is None and lon is None:
        return {}
    if lat is None:
        return {"lat": _("Enter the latitude too, or clear the longitude.")}
    if lon is None:
        return {"lon": _("Enter the longitude too, or clear the latitude.")}
    lat, lon = Decimal(lat), Decimal(lon)
    if _inside(lat, lon):
        return {}
    if _inside(lon, lat):
        return {
            "lat": _(
                "Latitude %(lat)s and longitude %(lon)s look swapped: in Kazakhstan the "
                "latitude is 40.5–55.5 and the longitude 46.5–87.5."
            )
            % {"lat": lat, "lon": lon}
        }
    return {
        "lat": _(
            "%(lat)s, %(lon)s lies outside Kazakhstan (latitude 40.5–55.5, longitude 46.5–87.5)."
        )
        % {"lat": lat, "lon": lon}
    }
