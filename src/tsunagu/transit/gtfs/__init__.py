"""GTFS / GTFS-JP: a pure reader (files in, plain Python data out, no database); see
:func:`tsunagu.transit.gtfs.reader.read_feed`. Storing a feed is the app's ``services.feed_import``."""
