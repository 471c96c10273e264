"""Pages anyone can see without signing in: the list of assets of community value and the list of
unsuccessful nominations (Localism Act 2011 s87, s93, s97), and the open data made of them."""

from flask import Blueprint, Response, current_app, render_template

from ..services import open_data
from ..services.community_value import listed_assets
from ..services.licence import LINK_HEADER, OPEN_GOVERNMENT_LICENCE
from ..services.unsuccessful import unsuccessful_nominations

bp = Blueprint("community_value", __name__)

FORMATS = {  # extension: (serialiser, media type)
    "csv": (open_data.as_csv, "text/csv; charset=utf-8"),
    "json": (open_data.as_json, "application/json"),
    "geojson": (open_data.as_geojson, "application/geo+json"),
}


@bp.get("/assets-of-community-value")
def index():
    return render_template("community_value/index.html", entries=listed_assets())


@bp.get("/assets-of-community-value/unsuccessful")
def unsuccessful():
    return render_template("community_value/unsuccessful.html",
                           entries=unsuccessful_nominations())


@bp.get("/open-data")
def open_data_index():
    return render_template("open_data/index.html", licence=OPEN_GOVERNMENT_LICENCE)


@bp.get("/open-data/assets-of-community-value")
def dataset():
    return render_template("open_data/assets_of_community_value.html", fields=open_data.FIELDS,
                           formats=FORMATS, licence=OPEN_GOVERNMENT_LICENCE)


@bp.get("/open-data/assets-of-community-value.<any(csv, json, geojson):extension>")
def download(extension: str):
    serialise, media_type = FORMATS[extension]
    rows = open_data.records(current_app.config["AUTHORITY_ORGANISATION"])
    return Response(serialise(rows), content_type=media_type, headers={
        "Content-Disposition": f'inline; filename="{open_data.DATASET}.{extension}"',
        "Link": LINK_HEADER})
