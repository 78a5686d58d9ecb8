"""Seller, reviewer, product and brand ids in one of two schemes (``generate(id_scheme=...)``).

``prefixed`` (the default): ``S000001`` sellers, ``R0000001`` reviewers, ``P0000001`` products,
``B00001`` brands. ``opaque``: 12 lower-case Crockford base32 characters from a seeded bijection
of (kind, index), one form for every kind, so an id says nothing about what it names; ids of
different kinds never collide and the same seed gives the same ids.

>>> Ids("prefixed", 7).one("seller", 0)
'S000001'
>>> opaque = Ids("opaque", 7)
>>> opaque.one("seller", 0) == Ids("opaque", 7).one("seller", 0) != opaque.one("reviewer", 0)
True
>>> len(opaque.one("product", 41))
12
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from graphkit.errors import GraphkitError
from graphkit.synth import fake

SCHEMES = ("prefixed", "opaque")
#: kind -> (prefix, digits) of the prefixed scheme; the kind's position also keys opaque ids
KINDS = {"seller": ("S", 6), "reviewer": ("R", 7), "product": ("P", 7), "brand": ("B", 5)}
ALPHABET = np.frombuffer(b"0123456789abcdefghjkmnpqrstvwxyz", np.uint8)
_BITS, _INDEX_BITS = 60, 40  # 12 base32 characters; a kind holds up to 2**40 ids
_MASK = np.uint64(2**_BITS - 1)


class Ids:
    """Ids of one scheme: ``array(kind, index)`` (vectorised) and ``one(kind, i)``."""

    def __init__(self, scheme: str, seed: int):
        if scheme not in SCHEMES:
            raise GraphkitError(
                f"unknown id scheme {scheme!r}", hint=f"use one of {', '.join(SCHEMES)}"
            )
        self.scheme = scheme
        self._key = np.random.default_rng([seed, 3]).integers(0, 2**_BITS, dtype=np.uint64)

    def array(self, kind: str, index: np.ndarray) -> pa.Array:
        """The ids of ``kind`` (seller, reviewer, product, brand) number ``index`` (0-based)."""
        index = np.asarray(index, np.int64)
        if self.scheme == "prefixed":
            prefix, width = KINDS[kind]
            return fake.join(prefix, pc.utf8_lpad(fake.number(index + 1), width, "0"))
        x = (np.uint64(list(KINDS).index(kind)) << np.uint64(_INDEX_BITS)) | index.astype(np.uint64)
        x = _scramble(x ^ self._key)
        shifts = np.arange(_BITS - 5, -1, -5, dtype=np.uint64)
        codes = ALPHABET[((x[:, None] >> shifts) & np.uint64(31)).astype(np.intp)]
        return pa.array(codes.reshape(-1).view(f"S{len(shifts)}"), pa.binary()).cast(pa.string())

    def one(self, kind: str, i: int) -> str:
        return self.array(kind, np.array([i]))[0].as_py()

    def strings(self, kind: str, index) -> list[str]:
        return self.array(kind, np.asarray(index, np.int64)).to_pylist()


def _scramble(x: np.ndarray) -> np.ndarray:
    """A bijection on 60-bit integers (odd multipliers and xor-shifts) that scatters neighbours."""
    for multiplier, shift in ((0x9E3779B97F4A7C15, 31), (0xBF58476D1CE4E5B9, 29)):
        x = (x * np.uint64(multiplier)) & _MASK
        x ^= x >> np.uint64(shift)
    return x
