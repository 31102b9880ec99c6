"""The on-disk cache of parsed bibliographies: JSON record files in a private directory under the
user's cache directory, keyed by the bytes parsed and the code and libraries that parsed them,
checked on every read (regular files only, bounded sizes, checksums) and rebuilt when damaged.

May import: ``argmap.base``, ``argmap.errors``.
"""
