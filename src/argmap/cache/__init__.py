"""The on-disk caches of parsed bibliographies (``records``), of validated map files (``maps``,
on the same records) and of compiled regular expressions (``compiled``): JSON record files in a
private directory under the user's cache directory, keyed by the bytes read and the code and
libraries that read them, checked on every read (regular files only, bounded sizes, checksums)
and rebuilt when damaged.

May import: ``argmap.base``, ``argmap.errors``.
"""
