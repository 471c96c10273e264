"""The licence every open dataset is published under, named once: for the data (a ``licence``
member), the pages that describe it, and the ``Link: <url>; rel="license"`` header (RFC 8288,
the relation of RFC 7080's registry) sent with each download."""

OPEN_GOVERNMENT_LICENCE = {
    "name": "Open Government Licence v3.0",
    "url": "https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/",
}
LINK_HEADER = f'<{OPEN_GOVERNMENT_LICENCE["url"]}>; rel="license"'
