"""Identifier normalisation and keyed hashing: raw PII in, HMAC hex and display hints out.

Normalisation rules (two spellings of one identifier must give one hash):

- **email**: trim, lowercase. ``gmail.com``/``googlemail.com``: drop dots and ``+tag`` in the
  local part, domain becomes ``gmail.com``. Every other provider: drop ``+tag`` only
  (dots can be significant elsewhere).
- **phone**: parsed with ``phonenumbers`` using the row's country as the region
  (so ``0044 ...``, ``(020) ...`` and ``+44 ...`` agree), must be a valid number, E.164.
- **address**: uppercase, punctuation to spaces, whitespace collapsed, common abbreviations
  expanded (``ST`` -> ``STREET``, ``RD`` -> ``ROAD`` ...), the postcode's inner space removed;
  hint ``country``: the ISO code the address ends with, else the row's country.
- **ip**: ``ipaddress`` canonical text (v6 compressed, lowercase).
- **card**: digits only, 12-19 digits, Luhn-valid; hints ``last4`` and ``bin`` (first 6).
- **iban**: spaces removed, uppercase, ISO 13616 mod-97 check; hint ``country``.
- **country** (not hashed): ISO 3166 alpha-2 from a code (``gb``, ``GBR``), an English name, a
  name in any language pycountry translates (``Deutschland``) or a common alias (``UK``).

The hash is ``HMAC-SHA256(key, f"{kind}:{normalised}")`` in lowercase hex.

>>> normalise_email(" John.Doe+promo@GoogleMail.com ")
'johndoe@gmail.com'
>>> normalise_email("Jane.Doe+x@Example.ORG")
'jane.doe@example.org'
>>> normalise_phone("(020) 7946-0958", "GB")
'+442079460958'
>>> normalise_address("12 High St., London SW1A 1AA, GB")
'12 HIGH STREET LONDON SW1A1AA GB'
>>> normalise_ip("2001:0DB8:0000:0000:0000:0000:0000:0001")
'2001:db8::1'
>>> normalise_card("4111-1111 1111-1111")
'4111111111111111'
>>> normalise_iban("gb82 west 1234 5698 7654 32")
'GB82WEST12345698765432'
>>> [normalise_country(c) for c in ("UK", "United Kingdom", "gb", "Deutschland", "USA")]
['GB', 'GB', 'GB', 'DE', 'US']
>>> h = Hasher("k")
>>> h.email("JOHNDOE@gmail.com")["hash"] == h.email("john.doe+a@googlemail.com")["hash"]
True
"""

from __future__ import annotations

import functools
import gettext
import hashlib
import hmac
import ipaddress
import re
from pathlib import Path
from typing import Any

import phonenumbers
import pycountry

from graphkit.config import Settings
from graphkit.errors import ConfigError

#: The documented, public demo key (``--demo-key``). Never use it for real data.
DEMO_KEY = "graphkit-demo-key-not-secret"


class InvalidIdentifier(ValueError):
    """A raw identifier that cannot be normalised (the message says why)."""


GMAIL_DOMAINS = {"gmail.com", "googlemail.com"}
ABBREVIATIONS = {
    "ST": "STREET", "RD": "ROAD", "AVE": "AVENUE", "AV": "AVENUE", "BLVD": "BOULEVARD",
    "DR": "DRIVE", "LN": "LANE", "CT": "COURT", "PL": "PLACE", "SQ": "SQUARE",
    "HWY": "HIGHWAY", "PKWY": "PARKWAY", "CRES": "CRESCENT", "TER": "TERRACE",
    "APT": "APARTMENT", "STE": "SUITE", "FL": "FLOOR", "BLDG": "BUILDING",
    "N": "NORTH", "S": "SOUTH", "E": "EAST", "W": "WEST", "STR": "STRASSE",
}  # fmt: skip
UK_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) ?(\d[A-Z]{2})\b")
NUMERIC_POSTCODE = re.compile(r"\b(\d{5})(?:[ -]?\d{4})?\b")
EMAIL = re.compile(r"^[^@\s]+@[a-z0-9.-]+\.[a-z]{2,}$")
#: Everyday names pycountry does not know (it has codes, official names and translations).
COUNTRY_ALIASES = {
    "UK": "GB", "GREAT BRITAIN": "GB", "BRITAIN": "GB", "ENGLAND": "GB", "SCOTLAND": "GB",
    "WALES": "GB", "NORTHERN IRELAND": "GB", "AMERICA": "US", "UNITED STATES OF AMERICA": "US",
    "HOLLAND": "NL", "RUSSIA": "RU", "SOUTH KOREA": "KR", "NORTH KOREA": "KP", "IRAN": "IR",
    "SYRIA": "SY", "VIETNAM": "VN", "LAOS": "LA", "MOLDOVA": "MD", "BOLIVIA": "BO",
    "VENEZUELA": "VE", "TANZANIA": "TZ", "TURKEY": "TR", "CZECH REPUBLIC": "CZ",
    "IVORY COAST": "CI", "VATICAN": "VA", "MACEDONIA": "MK", "BURMA": "MM",
}  # fmt: skip


def normalise_email(raw: str) -> str:
    """Lowercase, trim; gmail drops dots and +tags, other providers drop +tags only."""
    email = raw.strip().lower()
    if not EMAIL.match(email):
        raise InvalidIdentifier(f"not an email address: {_hint(raw)}")
    local, domain = email.rsplit("@", 1)
    local = local.split("+", 1)[0]
    if domain in GMAIL_DOMAINS:
        local, domain = local.replace(".", ""), "gmail.com"
    if not local:
        raise InvalidIdentifier("email has an empty local part")
    return f"{local}@{domain}"


def normalise_phone(raw: str, region: str | None) -> str:
    """E.164 for a valid number, with ``region`` (ISO country) for national formats."""
    return phonenumbers.format_number(
        _parse_phone(raw, region), phonenumbers.PhoneNumberFormat.E164
    )


def _parse_phone(raw: str, region: str | None) -> phonenumbers.PhoneNumber:
    try:
        number = phonenumbers.parse(raw, (region or "").upper() or None)
    except phonenumbers.NumberParseException:
        raise InvalidIdentifier("unparseable phone number") from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidIdentifier("not a valid phone number for its country")
    return number


def normalise_address(raw: str) -> str:
    """Uppercase, punctuation dropped, abbreviations expanded, postcode space removed."""
    text = re.sub(r"[^\w\s]", " ", raw.upper())
    text = UK_POSTCODE.sub(r"\1\2", " ".join(text.split()))
    words = [ABBREVIATIONS.get(w, w) if not w[0].isdigit() else w for w in text.split()]
    if not words:
        raise InvalidIdentifier("empty address")
    return " ".join(words)


def address_country(address: str) -> str | None:
    """The ISO 3166 alpha-2 country a normalised address ends with, or None.

    >>> address_country("12 HIGH STREET LONDON SW1A1AA GB"), address_country("1 MAIN ST 94107")
    ('GB', None)
    """
    last = address.rsplit(" ", 1)[-1]
    if len(last) == 2 and last.isalpha() and pycountry.countries.get(alpha_2=last):
        return last
    return None


def postcode_prefix(address: str) -> str | None:
    """The postcode's outward code (UK) or its first 3 digits, from a normalised address.

    >>> postcode_prefix("12 HIGH STREET LONDON SW1A1AA GB"), postcode_prefix("1 MAIN ST 94107")
    ('SW1A', '941')
    """
    if uk := UK_POSTCODE.search(address):
        return uk.group(1)
    if numeric := NUMERIC_POSTCODE.findall(address):
        return numeric[-1][:3]
    return None


def _country_key(name: str) -> str:
    """``" the  U.S.A. "`` -> ``"USA"``: case, dots, spaces and a leading "the" do not count."""
    key = " ".join(name.replace(".", "").upper().split())
    return key.removeprefix("THE ")


@functools.cache
def _country_names() -> dict[str, str]:
    """Every name pycountry's translations give a country (unambiguous ones), plus aliases."""
    names: dict[str, set[str]] = {}
    countries = list(pycountry.countries)
    for catalog in sorted(Path(pycountry.LOCALES_DIR).glob("*/LC_MESSAGES/iso3166-1.mo")):
        with catalog.open("rb") as f:
            translate = gettext.GNUTranslations(f).gettext
        for c in countries:
            for name in {c.name, getattr(c, "common_name", c.name)}:
                names.setdefault(_country_key(translate(name)), set()).add(c.alpha_2)
    unique = {name: codes.pop() for name, codes in names.items() if len(codes) == 1}
    return unique | COUNTRY_ALIASES


@functools.lru_cache(maxsize=4096)
def normalise_country(raw: str) -> str:
    """ISO 3166 alpha-2 for a country code, name or alias (see the module docstring)."""
    key = _country_key(raw)
    try:
        return pycountry.countries.lookup(key).alpha_2
    except LookupError:
        pass
    if code := _country_names().get(key):
        return code
    raise InvalidIdentifier(f"unknown country: {raw.strip()[:40]!r}")


@functools.lru_cache(maxsize=1 << 16)  # login feeds repeat IPs; ipaddress parsing is slow
def normalise_ip(raw: str) -> str:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        raise InvalidIdentifier(f"not an IP address: {_hint(raw)}") from None


def luhn_ok(digits: str) -> bool:
    """True when ``digits`` pass the Luhn checksum.

    >>> luhn_ok("4111111111111111"), luhn_ok("4111111111111112")
    (True, False)
    """
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def normalise_card(raw: str) -> str:
    digits = re.sub(r"[\s-]", "", raw)
    if not digits.isdigit() or not 12 <= len(digits) <= 19:
        raise InvalidIdentifier("card number must be 12-19 digits")
    if not luhn_ok(digits):
        raise InvalidIdentifier("card number fails the Luhn check")
    return digits


def normalise_iban(raw: str) -> str:
    iban = re.sub(r"\s", "", raw).upper()
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]{10,30}", iban):
        raise InvalidIdentifier("IBAN must be 2 letters, 2 check digits and 10-30 alphanumerics")
    rearranged = iban[4:] + iban[:4]
    if int("".join(str(int(c, 36)) for c in rearranged)) % 97 != 1:
        raise InvalidIdentifier("IBAN fails the mod-97 check")
    return iban


def _hint(raw: str) -> str:
    """A non-identifying description of a bad value, safe for logs."""
    return f"<{len(raw)} chars>"


class Hasher:
    """Normalise identifiers and hash them with one HMAC key.

    Each method returns the properties of the identifier node (the hash plus display hints).

    >>> Hasher("k").card("4111 1111 1111 1111")["last4"]
    '1111'
    """

    def __init__(self, key: str):
        self._key = key.encode()

    @classmethod
    def from_settings(cls, settings: Settings, *, demo: bool = False) -> Hasher:
        """The hasher for ``settings.hash_key``; ``demo=True`` uses :data:`DEMO_KEY` instead."""
        if demo:
            return cls(DEMO_KEY)
        if settings.hash_key is None:
            raise ConfigError(
                "no hash key configured: identifiers cannot be hashed",
                hint="set GRAPHKIT_HASH_KEY (or [graphkit] hash_key), or pass --demo-key "
                "for demo data only",
            )
        return cls(settings.hash_key.get_secret_value())

    @property
    def fingerprint(self) -> str:
        """A short public digest of the key: tells two keys apart, reveals nothing of it.

        >>> Hasher("k").fingerprint == Hasher("k").fingerprint != Hasher("j").fingerprint
        True
        """
        return self.hash("key-fingerprint", "graphkit")[:16]

    def hash(self, kind: str, normalised: str) -> str:
        """``HMAC-SHA256(key, "kind:normalised")`` as lowercase hex."""
        message = f"{kind}:{normalised}".encode()
        return hmac.new(self._key, message, hashlib.sha256).hexdigest()

    def email(self, raw: str) -> dict[str, Any]:
        email = normalise_email(raw)
        return {"hash": self.hash("email", email), "domain": email.rsplit("@", 1)[1]}

    def phone(self, raw: str, region: str | None = None) -> dict[str, Any]:
        number = _parse_phone(raw, region)
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        return {"hash": self.hash("phone", e164), "country_code": str(number.country_code)}

    def address(self, raw: str, country: str | None = None) -> dict[str, Any]:
        """The hash and hints; ``country`` (the row's) only when the address names none: an
        address shared by accounts of several countries gets one country whoever wrote last."""
        address = normalise_address(raw)
        return {
            "hash": self.hash("address", address),
            "country": address_country(address) or (country or "").upper() or None,
            "postcode_prefix": postcode_prefix(address),
        }

    def ip(self, raw: str) -> dict[str, Any]:
        ip = normalise_ip(raw)
        return {"ip": ip, "version": 6 if ":" in ip else 4}

    def card(self, raw: str) -> dict[str, Any]:
        digits = normalise_card(raw)
        token = self.hash("card", digits)
        return {"token": token, "kind": "card", "last4": digits[-4:], "bin": digits[:6]}

    def iban(self, raw: str) -> dict[str, Any]:
        iban = normalise_iban(raw)
        return {"token": self.hash("iban", iban), "kind": "bank", "country": iban[:2]}
