"""Query packs: parsing, parameter validation, the runner and result types.

>>> from graphkit import packs
>>> frame = packs.run("identity.shared-identifier", identifier="payment")   # doctest: +SKIP
"""

from graphkit.packs.runner import run

__all__ = ["run"]
