"""Where an asset is: entering a point (WGS84, or the National Grid converted by OSTN15) and a
GeoJSON boundary, the messages for bad input, their WKT, and the map drawn of them."""
import json
import math
from decimal import Decimal
from types import SimpleNamespace

import pytest

from assettransfer.services.asset_map import HEIGHT, WIDTH, drawing
from assettransfer.services.geography import (
    geometry_wkt,
    grid_to_wgs84,
    parse_location,
    point_wkt,
)

# Ordnance Survey's OSTN15 test points (the "OSTN15 test data" published with the
# transformation): ETRS89 latitude and longitude, and the National Grid easting and northing.
OS_TEST_POINTS = [
    ("TP01 St Mary's, Scilly", 49.92226393730, -6.29977752014, 91492.135, 11318.801),
    ("TP02 Blackpool", 53.77911025760, -3.04045490691, 331534.552, 431920.792),
    ("TP03 Bristol", 51.42754743860, -2.54407618349, 362269.979, 169978.688),
]
SQUARE = [[-1.5, 52.0], [-1.5, 52.001], [-1.498, 52.001], [-1.498, 52.0], [-1.5, 52.0]]


def metres_apart(lat1, lon1, lat2, lon2) -> float:
    """Near enough over a few metres: an equirectangular distance on the mean Earth radius."""
    radius = 6_371_008.8
    x = math.radians(lon2 - lon1) * math.cos(math.radians((lat1 + lat2) / 2))
    return radius * math.hypot(x, math.radians(lat2 - lat1))


def errors_of(data) -> dict[str, str]:
    return {e.field: e.message for e in parse_location(data)[1]}


@pytest.mark.parametrize("name, lat, lon, easting, northing", OS_TEST_POINTS)
def test_a_national_grid_point_converts_to_within_a_metre_of_the_os_figures(
        name, lat, lon, easting, northing):
    converted = grid_to_wgs84(easting, northing)
    assert metres_apart(*converted, lat, lon) < 1.0, name
    # and as entered in a form, to the columns' 6 places
    place, errors = parse_location({"easting": str(easting), "northing": str(northing)})
    assert errors == []
    assert metres_apart(float(place["latitude"]), float(place["longitude"]), lat, lon) < 1.0


def test_latitude_and_longitude_are_kept_to_six_places():
    place, errors = parse_location({"latitude": " 51.5010094 ", "longitude": "-0.1415876"})
    assert errors == []
    assert (place["latitude"], place["longitude"]) == (Decimal("51.501009"),
                                                       Decimal("-0.141588"))


@pytest.mark.parametrize("data, field, message", [
    ({"latitude": "51.5"}, "longitude", "Enter the longitude as well as the latitude, or neither"),
    ({"northing": "100"}, "easting", "Enter the easting as well as the northing, or neither"),
    ({"latitude": "fifty", "longitude": "-1"}, "latitude", "Latitude must be a number"),
    ({"latitude": "48.9", "longitude": "-1"}, "latitude",
     "Latitude must be between 49.8 and 60.9 degrees, in the UK"),
    ({"latitude": "-1.5", "longitude": "52"}, "latitude", "The latitude and longitude look the "
     "wrong way round: in the UK the latitude is between 49.8 and 60.9"),
    ({"latitude": "52", "longitude": "2.5"}, "longitude",
     "Longitude must be between -8.7 and 1.8 degrees, in the UK (west is negative)"),
    ({"easting": "800000", "northing": "100"}, "easting",
     "An easting on the British National Grid is between 0 and 700000 metres"),
    ({"easting": "100", "northing": "-1"}, "northing",
     "A northing on the British National Grid is between 0 and 1300000 metres"),
    ({"easting": "1000", "northing": "1000"}, "easting", "That easting and northing is off the "
     "coast of Great Britain: check them, or give latitude and longitude"),
    ({"latitude": "52", "longitude": "-1", "easting": "400000", "northing": "300000"},
     "easting", "Give the latitude and longitude or the easting and northing, not both"),
])
def test_bad_points_are_refused_with_a_message(data, field, message):
    place, errors = parse_location(data)
    assert {e.field: e.message for e in errors} == {field: message}
    assert place["latitude"] is None and place["longitude"] is None


def test_no_location_at_all_is_fine():
    assert parse_location({"latitude": "", "longitude": " ", "boundary": ""}) == (
        {"latitude": None, "longitude": None, "boundary": None}, [])


@pytest.mark.parametrize("boundary, message", [
    ('{"type": "Polygon", ', "The boundary is not valid JSON: Expecting property name enclosed "
                             "in double quotes (line 1, column 21)"),
    ({"type": "Point", "coordinates": [-1.5, 52]},
     "The boundary must be a GeoJSON Polygon or MultiPolygon geometry"),
    ({"type": "Polygon", "coordinates": [SQUARE[:3]]},
     "The outer ring needs at least 4 positions (a triangle, closed)"),
    ({"type": "Polygon", "coordinates": [SQUARE[:4]]},
     "The outer ring is not closed: its last position must repeat its first"),
    ({"type": "Polygon", "coordinates": [[[lat, lon] for lon, lat in SQUARE]]},
     "The outer ring has positions outside the UK: GeoJSON gives longitude first, then "
     "latitude, in WGS84 degrees"),
    ({"type": "Polygon", "coordinates": [[["x", 52], *SQUARE[1:]]]},
     "The outer ring: each position must be [longitude, latitude] numbers"),
    ({"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE[:4]]]},
     "Polygon 2: the outer ring is not closed: its last position must repeat its first"),
])
def test_bad_boundaries_are_refused_with_a_message(boundary, message):
    text = boundary if isinstance(boundary, str) else json.dumps(boundary)
    assert errors_of({"boundary": text}) == {"boundary": message}


def test_a_boundary_is_kept_as_a_bare_geometry_and_written_as_wkt():
    feature = {"type": "Feature", "properties": {"name": "Park"},
               "geometry": {"type": "Polygon", "coordinates": [[[*p, 0] for p in SQUARE]]}}
    place, errors = parse_location({"boundary": json.dumps(feature)})
    assert errors == []
    assert place["boundary"] == {"type": "Polygon", "coordinates": [SQUARE]}
    assert geometry_wkt(place["boundary"]) == (
        "MULTIPOLYGON(((-1.5 52,-1.5 52.001,-1.498 52.001,-1.498 52,-1.5 52)))")
    multi = {"type": "MultiPolygon", "coordinates": [[SQUARE], [SQUARE]]}
    assert geometry_wkt(multi).count("((") == 2
    assert point_wkt(Decimal("52.000500"), Decimal("-1.499000")) == "POINT(-1.499 52.0005)"
    assert point_wkt(None, None) == geometry_wkt(None) == ""


def test_the_map_fits_the_boundary_and_puts_the_point_on_it():
    asset = SimpleNamespace(latitude=Decimal("52.0005"), longitude=Decimal("-1.499"),
                            boundary={"type": "Polygon", "coordinates": [SQUARE]})
    drawn = drawing(asset)
    numbers = [float(n) for part in drawn.outline.replace("M", " ").replace("L", " ")
               .replace("Z", " ").split() for n in part.split(",")]
    xs, ys = numbers[0::2], numbers[1::2]
    assert 0 <= min(xs) < max(xs) <= WIDTH and 0 <= min(ys) < max(ys) <= HEIGHT
    assert drawn.marker == (WIDTH / 2, HEIGHT / 2)  # the point is the middle of this square
    # 0.002 degrees of longitude at 52N is about 137 m, 0.001 of latitude 111 m: wider than high
    assert (max(xs) - min(xs)) / (max(ys) - min(ys)) == pytest.approx(137 / 111, rel=0.01)
    assert drawn.scale_label == "20 m" and drawn.rings == 1


def test_no_map_without_a_location_and_a_point_alone_gets_a_neighbourhood():
    assert drawing(SimpleNamespace(latitude=None, longitude=None, boundary=None)) is None
    alone = drawing(SimpleNamespace(latitude=Decimal("52"), longitude=Decimal("-1.5"),
                                    boundary=None))
    assert alone.outline == "" and alone.marker == (WIDTH / 2, HEIGHT / 2)
    assert alone.scale_label == "100 m"
