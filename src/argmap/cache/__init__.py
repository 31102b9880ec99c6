"""The on-disk cache of parsed bibliographies: record files and blob files under the user's cache
directory, keyed by content hashes, checked on every read and rebuilt when damaged.

May import: ``argmap.base``, ``argmap.errors``.
"""
