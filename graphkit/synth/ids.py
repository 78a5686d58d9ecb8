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
ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"
_BITS, _INDEX_BITS = 60, 40  # 12 base32 characters; a kind holds up to 2**40 ids
_MASK = 2**_BITS - 1
_SHIFTS = range(_BITS - 5, -1, -5)
_SMALL = 256  # fewer ids than this: formatted one by one (faster than a vectorised call)


class Ids:
    """Ids of one scheme: ``array(kind, index)`` (vectorised), ``strings`` and ``one``.

    >>> ids = Ids("opaque", 3)
    >>> ids.strings("brand", range(300))[299] == ids.one("brand", 299)
    True
    """

    def __init__(self, scheme: str, seed: int):
        if scheme not in SCHEMES:
            raise GraphkitError(
                f"unknown id scheme {scheme!r}", hint=f"use one of {', '.join(SCHEMES)}"
            )
        self.scheme = scheme
        self._key = int(np.random.default_rng([seed, 3]).integers(0, 2**_BITS, dtype=np.uint64))

    def _number(self, kind: str, index):
        """The opaque id's 60-bit number: (kind, index) keyed by the seed and scrambled."""
        return _scramble((list(KINDS).index(kind) << _INDEX_BITS | index) ^ self._key)

    def array(self, kind: str, index: np.ndarray) -> pa.Array:
        """The ids of ``kind`` (seller, reviewer, product, brand) number ``index`` (0-based)."""
        index = np.asarray(index, np.int64)
        if self.scheme == "prefixed":
            prefix, width = KINDS[kind]
            return fake.join(prefix, pc.utf8_lpad(fake.number(index + 1), width, "0"))
        x = self._number(kind, index.astype(np.uint64))
        alphabet = np.frombuffer(ALPHABET.encode(), np.uint8)
        codes = alphabet[(x[:, None] >> np.array(_SHIFTS, np.uint64) & 31).astype(np.intp)]
        return pa.array(codes.reshape(-1).view(f"S{len(_SHIFTS)}"), pa.binary()).cast(pa.string())

    def one(self, kind: str, i: int) -> str:
        if self.scheme == "prefixed":
            prefix, width = KINDS[kind]
            return f"{prefix}{i + 1:0{width}d}"
        x = self._number(kind, int(i))
        return "".join(ALPHABET[x >> shift & 31] for shift in _SHIFTS)

    def strings(self, kind: str, index) -> list[str]:
        if len(index) < _SMALL:
            return [self.one(kind, int(i)) for i in index]
        return self.array(kind, np.asarray(index, np.int64)).to_pylist()


def _scramble(x):
    """A bijection on 60-bit integers (odd multipliers and xor-shifts) that scatters neighbours;
    ``x`` is a Python int or a numpy uint64 array."""
    for multiplier, shift in ((0x9E3779B97F4A7C15, 31), (0xBF58476D1CE4E5B9, 29)):
        x = x * multiplier & _MASK
        x ^= x >> shift
    return x
