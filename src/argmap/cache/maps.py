"""The user cache of validated map files: one cache file per map (its resolved path), holding
for each YAML file that validated cleanly the validated data, keyed by the sha-256 of the file's
exact bytes. An edit changes one file's digest, so only that file is read and validated again.

Storage, checks and trust are those of ``argmap.cache.records`` (a private 0700 directory, a
CRC-32 and a length on every record, JSON only, written whole or not at all; ``--no-cache`` or
``ARGMAP_NO_CACHE=1`` bypass it). What a payload means is the business of its caller
(``argmap.map.stored``), which checks every field of it before building anything from it; the
``stamp`` the caller gives names that meaning (its format and the model code), so a payload of
other code is never looked at.
"""

from __future__ import annotations

import hashlib
from typing import Any

from argmap.cache import records

KIND = "map"


def digest(content: bytes) -> str:
    """The key of one map file's entry: the sha-256 of its bytes."""
    return hashlib.sha256(content).hexdigest()


def _key(scope: str, stamp: str) -> str:
    """The cache file of the map at ``scope`` (a resolved path) as read by code ``stamp``."""
    named = f"{scope}\0{stamp}".encode()
    return hashlib.sha256(records.magic() + named).hexdigest()


def read_entries(scope: str, stamp: str) -> dict[str, Any]:
    """The cached payloads of the map at ``scope`` by file digest; empty when the cache is off,
    missing, or fails any check (then it is rebuilt by the next write)."""
    if records.disabled():
        return {}
    found = records.read(KIND, _key(scope, stamp))
    if not found or len(found) != 1 or not isinstance(found[0], dict):
        return {}
    entries = found[0]
    return {k: v for k, v in entries.items() if isinstance(k, str)}


def write_entries(scope: str, stamp: str, entries: dict[str, Any]) -> bool:
    """Replace the cached payloads of the map at ``scope`` (whole or not at all); whether the
    cache file is in place. Nothing is written when the cache is off."""
    if records.disabled():
        return False
    return records.write(KIND, _key(scope, stamp), [entries])
