"""Where an asset is: a point in WGS84 and, optionally, its boundary as GeoJSON; the rules for
entering them (forms, the CSV import and the API all come here) and their text as WKT.

A point may be entered as latitude and longitude, or as an easting and northing on the British
National Grid (EPSG:27700), converted with convertbng: it applies OSTN15, the Ordnance Survey's
definitive transformation between the National Grid and ETRS89 (within about 0.1 m), where the
7-parameter Helmert transformations that PROJ offers without OS's grid file are out by up to 5 m.
ETRS89 and WGS84 differ by under a metre in Great Britain, less than the stored 6 decimal places
matter to a map of the site, so they are taken as one, as planning.data.gov.uk takes them.
"""
import json
import math
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation

from convertbng.cutil import convert_lonlat

from .errors import FieldError

# The United Kingdom with its islands (Scilly, St Kilda, Shetland, Northern Ireland), in degrees:
# a check that coordinates were not swapped or mistyped, not a border.
LATITUDES = (Decimal("49.8"), Decimal("60.9"))
LONGITUDES = (Decimal("-8.7"), Decimal("1.8"))
# The National Grid's extent in metres, from its false origin south-west of Scilly.
EASTINGS = (Decimal("0"), Decimal("700000"))
NORTHINGS = (Decimal("0"), Decimal("1300000"))
PLACES = Decimal("0.000001")  # the columns' 6 decimal places
# What a form, a CSV row or an API body may give; the asset stores latitude, longitude, boundary.
LOCATION_INPUTS = ("latitude", "longitude", "easting", "northing", "boundary")
BOUNDARY_TYPES = ("Polygon", "MultiPolygon")


def grid_to_wgs84(easting: float, northing: float) -> tuple[float, float] | None:
    """(latitude, longitude) of a National Grid point; None where OSTN15 has no shift (the sea
    beyond Great Britain's coast, Northern Ireland, which uses the Irish Grid)."""
    lons, lats = convert_lonlat([float(easting)], [float(northing)])
    lon, lat = float(lons[0]), float(lats[0])
    return None if math.isnan(lon) or math.isnan(lat) else (lat, lon)


def parse_location(data: dict) -> tuple[dict, list[FieldError]]:
    """The asset's ``latitude``, ``longitude`` and ``boundary`` from the inputs present in
    ``data`` (each of ``LOCATION_INPUTS``; blank means not given), and what is wrong with them."""
    errors: list[FieldError] = []
    given = {name: data.get(name) for name in LOCATION_INPUTS
             if data.get(name) not in (None, "") and str(data.get(name)).strip() != ""}
    latlon = _pair(given, "latitude", "longitude", "Latitude", "Longitude", errors)
    grid = _pair(given, "easting", "northing", "Easting", "Northing", errors)
    point = None
    if latlon and grid:
        errors.append(FieldError("easting", "Give the latitude and longitude or the easting and "
                                            "northing, not both"))
    elif latlon:
        point = _checked_latlon(*latlon, errors)
    elif grid:
        point = _from_grid(*grid, errors)
    boundary = parse_boundary(given["boundary"], errors) if "boundary" in given else None
    latitude, longitude = point or (None, None)
    return {"latitude": latitude, "longitude": longitude, "boundary": boundary}, errors


def _pair(given, first, second, first_label, second_label, errors):
    """Both numbers of a pair, or None; an error if only one is given or one is not a number."""
    if first not in given and second not in given:
        return None
    if first not in given or second not in given:
        missing, label, other = ((first, first_label, second_label) if first not in given
                                 else (second, second_label, first_label))
        errors.append(FieldError(missing, f"Enter the {label.lower()} as well as the "
                                          f"{other.lower()}, or neither"))
        return None
    values = []
    for name, label in ((first, first_label), (second, second_label)):
        try:
            value = Decimal(str(given[name]).strip().replace(",", ""))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            errors.append(FieldError(name, f"{label} must be a number"))
        values.append(value)
    return None if None in values else tuple(values)


def _within(value: Decimal, bounds: tuple[Decimal, Decimal]) -> bool:
    return bounds[0] <= value <= bounds[1]


def _checked_latlon(latitude: Decimal, longitude: Decimal, errors) -> tuple | None:
    if (not _within(latitude, LATITUDES) and _within(latitude, LONGITUDES)
            and _within(longitude, LATITUDES)):
        errors.append(FieldError("latitude", "The latitude and longitude look the wrong way "
                                             "round: in the UK the latitude is between "
                                             f"{LATITUDES[0]} and {LATITUDES[1]}"))
        return None
    ok = True
    if not _within(latitude, LATITUDES):
        errors.append(FieldError("latitude", f"Latitude must be between {LATITUDES[0]} and "
                                             f"{LATITUDES[1]} degrees, in the UK"))
        ok = False
    if not _within(longitude, LONGITUDES):
        errors.append(FieldError("longitude", f"Longitude must be between {LONGITUDES[0]} and "
                                              f"{LONGITUDES[1]} degrees, in the UK (west is "
                                              "negative)"))
        ok = False
    return (latitude.quantize(PLACES, ROUND_HALF_EVEN),
            longitude.quantize(PLACES, ROUND_HALF_EVEN)) if ok else None


def _from_grid(easting: Decimal, northing: Decimal, errors) -> tuple | None:
    ok = True
    if not _within(easting, EASTINGS):
        errors.append(FieldError("easting", "An easting on the British National Grid is between "
                                            "0 and 700000 metres"))
        ok = False
    if not _within(northing, NORTHINGS):
        errors.append(FieldError("northing", "A northing on the British National Grid is "
                                             "between 0 and 1300000 metres"))
        ok = False
    if not ok:
        return None
    converted = grid_to_wgs84(easting, northing)
    latitude, longitude = (Decimal(repr(c)) for c in converted) if converted else (None, None)
    if converted is None or not (_within(latitude, LATITUDES) and _within(longitude, LONGITUDES)):
        errors.append(FieldError("easting", "That easting and northing is off the coast of Great "
                                            "Britain: check them, or give latitude and longitude"))
        return None
    return latitude.quantize(PLACES, ROUND_HALF_EVEN), longitude.quantize(PLACES, ROUND_HALF_EVEN)


def parse_boundary(raw, errors: list[FieldError]) -> dict | None:
    """A GeoJSON Polygon or MultiPolygon geometry (or a Feature holding one), as JSON text or
    already parsed, checked and kept as a bare geometry of [longitude, latitude] positions."""
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError as exc:
            errors.append(FieldError("boundary", f"The boundary is not valid JSON: {exc.msg} "
                                                 f"(line {exc.lineno}, column {exc.colno})"))
            return None
    if isinstance(raw, dict) and raw.get("type") == "Feature":
        raw = raw.get("geometry")
    if not isinstance(raw, dict) or raw.get("type") not in BOUNDARY_TYPES:
        errors.append(FieldError("boundary", "The boundary must be a GeoJSON Polygon or "
                                             "MultiPolygon geometry"))
        return None
    coordinates = raw.get("coordinates")
    polygons = [coordinates] if raw["type"] == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        errors.append(FieldError("boundary", "The boundary has no coordinates"))
        return None
    problems: list[str] = []
    cleaned = [_polygon(polygon, n, len(polygons) > 1, problems)
               for n, polygon in enumerate(polygons, start=1)]
    if problems:
        errors.extend(FieldError("boundary", problem) for problem in problems[:5])
        return None
    return {"type": raw["type"], "coordinates": cleaned[0] if raw["type"] == "Polygon"
            else cleaned}


def _polygon(polygon, number: int, several: bool, problems: list[str]) -> list:
    where = f"Polygon {number}: " if several else ""
    if not isinstance(polygon, list) or not polygon:
        problems.append(f"{where}a polygon is a list of rings of positions")
        return []
    rings = []
    for r, ring in enumerate(polygon, start=1):
        ring_name = "the outer ring" if r == 1 else f"hole {r - 1}"
        name = f"{where}{ring_name}" if several else ring_name.capitalize()
        if not isinstance(ring, list) or len(ring) < 4:
            problems.append(f"{name} needs at least 4 positions (a triangle, closed)")
            continue
        positions = [_position(p) for p in ring]
        if None in positions:
            problems.append(f"{name}: each position must be [longitude, latitude] numbers")
            continue
        if positions[0] != positions[-1]:
            problems.append(f"{name} is not closed: its last position must repeat its first")
            continue
        if not all(_within(Decimal(repr(lat)), LATITUDES)
                   and _within(Decimal(repr(lon)), LONGITUDES) for lon, lat in positions):
            problems.append(f"{name} has positions outside the UK: GeoJSON gives longitude "
                            "first, then latitude, in WGS84 degrees")
            continue
        rings.append(positions)
    return rings


def _position(position) -> list[float] | None:
    if (not isinstance(position, list) or len(position) not in (2, 3)
            or not all(isinstance(v, int | float) and not isinstance(v, bool)
                       and math.isfinite(v) for v in position)):
        return None
    return [float(position[0]), float(position[1])]


def point_wkt(latitude, longitude) -> str:
    """``POINT(lon lat)``, as planning.data.gov.uk writes its point field; '' without a point."""
    if latitude is None or longitude is None:
        return ""
    return f"POINT({_number(longitude)} {_number(latitude)})"


def geometry_wkt(boundary: dict | None) -> str:
    """The boundary as a WKT MULTIPOLYGON (planning.data.gov.uk's geometry field); ''."""
    if not boundary:
        return ""
    polygons = polygons_of(boundary)
    return "MULTIPOLYGON(" + ",".join(
        "(" + ",".join("(" + ",".join(f"{_number(lon)} {_number(lat)}" for lon, lat in ring)
                       + ")" for ring in polygon) + ")"
        for polygon in polygons) + ")"


def polygons_of(boundary: dict) -> list:
    """The polygons of a stored boundary, each a list of rings, whatever its type."""
    return ([boundary["coordinates"]] if boundary["type"] == "Polygon"
            else boundary["coordinates"])


def _number(value) -> str:
    """A coordinate without float noise: 6 places (0.1 m) at most, no trailing zeros."""
    text = f"{Decimal(str(value)).quantize(PLACES):f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
