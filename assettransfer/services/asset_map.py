"""A small map of an asset drawn by the app itself (no tile service is reachable): its boundary
and its point, projected and scaled to fit, with a scale bar, as data for an inline SVG
(``templates/components/map.html``).

The projection is a local equirectangular one about the middle of what is drawn: east-west
distances shrink with the cosine of the latitude. Over a site of a few kilometres it is within a
fraction of a percent of the National Grid, which is all a sketch of the site needs.
"""
import math
from dataclasses import dataclass

from .geography import polygons_of

WIDTH, HEIGHT, MARGIN = 400, 300, 24
METRES_PER_DEGREE = 6_371_008.8 * math.pi / 180  # on the mean Earth radius
POINT_ONLY_SPAN = 300.0  # metres shown around a point with no boundary
NICE_STEPS = (1, 2, 5)


@dataclass(frozen=True)
class MapDrawing:
    """What the SVG needs, in its own units (``WIDTH`` by ``HEIGHT``, y downwards)."""

    width: int
    height: int
    outline: str  # SVG path data of every ring; '' without a boundary
    marker: tuple[float, float] | None  # where the point is
    scale_length: float  # the scale bar, in SVG units
    scale_label: str
    latitude: float | None
    longitude: float | None
    rings: int  # how many rings the outline has, for the text alternative


def drawing(asset) -> MapDrawing | None:
    """The map of ``asset`` (a row or its public view), or None if it has no location."""
    latitude, longitude, boundary = asset.latitude, asset.longitude, asset.boundary
    point = (float(longitude), float(latitude)) if latitude is not None else None
    rings = [ring for polygon in polygons_of(boundary) for ring in polygon] if boundary else []
    positions = [tuple(p) for ring in rings for p in ring] + ([point] if point else [])
    if not positions:
        return None
    lons, lats = [p[0] for p in positions], [p[1] for p in positions]
    middle_lon, middle_lat = (min(lons) + max(lons)) / 2, (min(lats) + max(lats)) / 2
    east = math.cos(math.radians(middle_lat)) * METRES_PER_DEGREE

    def metres(lon, lat):
        return (lon - middle_lon) * east, (lat - middle_lat) * METRES_PER_DEGREE

    xs, ys = zip(*(metres(*p) for p in positions), strict=True)
    span_x = max(max(xs) - min(xs), POINT_ONLY_SPAN if not rings else 1.0)
    span_y = max(max(ys) - min(ys), POINT_ONLY_SPAN if not rings else 1.0)
    scale = min((WIDTH - 2 * MARGIN) / span_x, (HEIGHT - 2 * MARGIN) / span_y)  # units/metre

    def svg(lon, lat):
        x, y = metres(lon, lat)
        return round(WIDTH / 2 + x * scale, 1), round(HEIGHT / 2 - y * scale, 1)

    outline = " ".join(
        "M" + " L".join(f"{x},{y}" for x, y in (svg(*p) for p in ring[:-1])) + " Z"
        for ring in rings)
    bar_metres = _nice_length(WIDTH / 4 / scale)
    return MapDrawing(
        width=WIDTH, height=HEIGHT, outline=outline, marker=svg(*point) if point else None,
        scale_length=round(bar_metres * scale, 1), scale_label=_distance(bar_metres),
        latitude=float(latitude) if latitude is not None else None,
        longitude=float(longitude) if longitude is not None else None, rings=len(rings))


def _nice_length(most: float) -> float:
    """The longest 1, 2 or 5 times a power of ten metres that is no longer than ``most``."""
    power = 10 ** math.floor(math.log10(most))
    return max(step * power for step in NICE_STEPS if step * power <= most)


def _distance(metres: float) -> str:
    if metres >= 1000:
        return f"{metres / 1000:g} km"
    return f"{metres:g} m"
