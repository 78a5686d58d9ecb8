"""Realistic, messy raw values: names, emails, phones, addresses, cards, IBANs, IPs, devices.

Every identifier has a *canonical* raw value made from a number ``n`` (distinct numbers give
distinct values, so honest accounts never collide by accident) and :func:`variant` renders it
the way one source system would spell it. All variants of a value normalise to the same
identifier under :mod:`graphkit.identity`.

>>> card(3)
'4539 0000 0021 2393'
>>> phone(5, "GB")
'+44 7400 007126'
>>> variant("phone", "+44 7400 007126", 1, "GB")
'0044 7400 007126'
>>> address(0, "GB")
'1 High Street, London SW1A 1AA, GB'
>>> variant("address", "1 High Street, London SW1A 1AA, GB", 1, "GB")
'1 HIGH ST LONDON SW1A1AA GB'
"""

from __future__ import annotations

import functools
import ipaddress
import re

import phonenumbers

FIRST = [
    "james",
    "mary",
    "john",
    "patricia",
    "robert",
    "jennifer",
    "michael",
    "linda",
    "david",
    "elizabeth",
    "william",
    "barbara",
    "richard",
    "susan",
    "joseph",
    "jessica",
    "thomas",
    "sarah",
    "charles",
    "karen",
    "oliver",
    "amelia",
    "george",
    "isla",
    "harry",
    "ava",
    "jack",
    "mia",
    "noah",
    "emily",
    "leo",
    "sophie",
    "lukas",
    "hannah",
    "felix",
    "lena",
    "jonas",
    "anna",
    "paul",
    "laura",
    "max",
    "julia",
    "wei",
    "priya",
    "mohammed",
    "fatima",
    "ahmed",
    "aisha",
    "carlos",
    "lucia",
    "mateo",
    "sofia",
]
LAST = [
    "smith",
    "jones",
    "taylor",
    "brown",
    "williams",
    "wilson",
    "johnson",
    "davies",
    "robinson",
    "wright",
    "thompson",
    "evans",
    "walker",
    "white",
    "roberts",
    "green",
    "hall",
    "wood",
    "jackson",
    "clarke",
    "miller",
    "garcia",
    "martinez",
    "davis",
    "lopez",
    "mueller",
    "schmidt",
    "schneider",
    "fischer",
    "weber",
    "meyer",
    "wagner",
    "becker",
    "schulz",
    "hoffmann",
    "patel",
    "khan",
    "singh",
    "nguyen",
    "chen",
    "kim",
    "ali",
    "ahmed",
    "novak",
    "kowalski",
]
SYLLABLES = [
    "zen",
    "tri",
    "lux",
    "vo",
    "ka",
    "mi",
    "ra",
    "nex",
    "ion",
    "ora",
    "vel",
    "tek",
    "pro",
    "qua",
    "sol",
    "ari",
    "bel",
    "cor",
    "dyn",
    "eko",
]
NOUNS = [
    "charger",
    "cable",
    "earbuds",
    "speaker",
    "lamp",
    "kettle",
    "blender",
    "backpack",
    "bottle",
    "mat",
    "case",
    "stand",
    "mouse",
    "keyboard",
    "hub",
    "adapter",
    "organizer",
    "tumbler",
    "pillow",
    "blanket",
]
ADJECTIVES = [
    "premium",
    "compact",
    "wireless",
    "portable",
    "smart",
    "ergonomic",
    "deluxe",
    "mini",
    "ultra",
    "eco",
]
CATEGORIES = ("electronics", "home", "kitchen", "sports", "beauty", "toys", "garden", "office")
DOMAINS = ("gmail.com", "yahoo.co.uk", "outlook.com", "hotmail.com", "web.de", "icloud.com")
STREETS = (
    "High",
    "Station",
    "Church",
    "Victoria",
    "Park",
    "Mill",
    "King",
    "Queen",
    "London",
    "Manor",
    "Main",
    "Oak",
    "Maple",
    "Cedar",
    "Elm",
    "Lake",
    "Hill",
    "Market",
    "Bridge",
    "Green",
)
SUFFIXES = (("Street", "St"), ("Road", "Rd"), ("Avenue", "Ave"), ("Lane", "Ln"))
TOWNS = {
    "GB": (
        ("London", "SW1A 1AA"),
        ("Leeds", "LS1 4AP"),
        ("Leicester", "LE1 5WW"),
        ("Manchester", "M1 1AE"),
        ("Bristol", "BS1 4DJ"),
        ("Glasgow", "G1 1XQ"),
    ),
    "US": (
        ("San Francisco, CA", "94105"),
        ("Austin, TX", "78701"),
        ("Seattle, WA", "98101"),
        ("Chicago, IL", "60601"),
        ("Boston, MA", "02108"),
        ("Denver, CO", "80202"),
    ),
    "DE": (
        ("Berlin", "10115"),
        ("Hamburg", "20095"),
        ("Muenchen", "80331"),
        ("Koeln", "50667"),
        ("Frankfurt", "60311"),
        ("Leipzig", "04109"),
    ),
}
_GB_POSTCODE = re.compile(r"\b([A-Z]{1,2}\d[A-Z\d]?) (\d[A-Z]{2})\b")
PHONE_WIDTH = {"GB": 6, "US": 4, "DE": 8}  # subscriber digits after the block
US_AREAS = (212, 415, 312, 617, 206, 303, 512, 404)
BINS = ("453900", "471600", "520000", "542400", "411500", "535300")


def _mix(n: int, mod: int) -> int:
    """A bijection on ``range(mod)`` (``mod`` a power of 10 or 2) that scatters neighbours."""
    return (n * 7_654_321 + 12_345) % mod


def email(n: int, country: str) -> str:
    first, last = FIRST[n % len(FIRST)], LAST[(n // 7) % len(LAST)]
    domain = "web.de" if country == "DE" and n % 3 == 0 else DOMAINS[(n // 3) % len(DOMAINS)]
    return f"{first}.{last}{n}@{domain}" if n % 2 else f"{first[0]}{last}{n}@{domain}"


@functools.cache
def _phone_blocks(country: str) -> tuple[str, ...]:
    """Number blocks that ``phonenumbers`` accepts as valid (all US exchanges 201-999 are)."""
    if country == "US":
        return tuple(f"+1 ({a}) {e}-" for a in US_AREAS for e in range(201, 1000))
    candidates = {
        "GB": [f"+44 7{b}" for b in range(400, 1000)],
        "DE": [f"+49 {b}" for b in range(150, 180)],
    }
    return tuple(
        block
        for block in candidates[country]
        if all(
            phonenumbers.is_valid_number(
                phonenumbers.parse(f"{block} {d * PHONE_WIDTH[country]}", None)
            )
            for d in "09"
        )
    )


def phone(n: int, country: str) -> str:
    blocks = _phone_blocks(country)
    width = PHONE_WIDTH[country]
    block = blocks[(n // 10**width) % len(blocks)]
    return f"{block}{'' if country == 'US' else ' '}{_mix(n % 10**width, 10**width):0{width}d}"


def address(n: int, country: str) -> str:
    number = 1 + n % 250
    street = STREETS[(n // 250) % len(STREETS)]
    suffix = SUFFIXES[(n // 5000) % len(SUFFIXES)][0]
    town, code = TOWNS[country][(n // 20000) % len(TOWNS[country])]
    unit = n // 120000
    line = f"Flat {unit}, " if unit else ""
    if country == "DE":
        return f"{line}{street}strasse {number}, {code} {town}, DE".replace("strasse", " Strasse")
    return f"{line}{number} {street} {suffix}, {town} {code}, {country}"


def warehouse(n: int, country: str) -> str:
    """A prep-centre / fulfilment warehouse address (shared by many honest sellers)."""
    town, code = TOWNS[country][n % len(TOWNS[country])]
    return f"Unit {n + 3}, {STREETS[n % len(STREETS)]} Business Park, {town} {code}, {country}"


def luhn_digit(digits: str) -> str:
    """The check digit that makes ``digits + check`` Luhn-valid.

    >>> luhn_digit("7992739871")
    '3'
    """
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch) * (2 if i % 2 == 0 else 1)
        total += d - 9 if d > 9 else d
    return str(-total % 10)


def card(n: int) -> str:
    body = f"{BINS[n % len(BINS)]}{_mix(n, 10**9):09d}"
    digits = body + luhn_digit(body)
    return " ".join(digits[i : i + 4] for i in range(0, 16, 4))


def iban(n: int, country: str) -> str:
    if country == "GB":
        bban = f"NWBK{_mix(n, 10**14):014d}"
    else:
        bban = f"{_mix(n, 10**18):018d}"
        country = "DE"
    numeric = "".join(str(int(c, 36)) for c in bban + country + "00")
    text = f"{country}{98 - int(numeric) % 97:02d}{bban}"
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def ip(n: int) -> str:
    """IPv4 (public-looking, 11.0.0.0-222.255.255.255) for most numbers, IPv6 for every 5th."""
    if n % 5 == 4:
        return str(ipaddress.IPv6Address((0x2A02C7F << 100) | _mix(n, 2**64)))
    return str(ipaddress.IPv4Address(11 * 2**24 + (n * 2_654_435_761 + 99) % (212 * 2**24)))


def device(n: int) -> str:
    return f"fp-{(n * 0x9E3779B97F4A7C15 + 0x632BE59BD9B4E019) % 2**64:016x}"


def _variant_email(value: str, r: int, country: str) -> str:
    local, domain = value.split("@")
    if domain == "gmail.com" and r % 3 == 1:
        local = local.replace(".", "") if "." in local else f"{local[:2]}.{local[2:]}"
    if r % 4 == 2:
        local += ("+promo", "+shop", "+deals")[r % 3]
    text = f"{local}@{domain}"
    text = (text, text.title(), text.upper(), text.capitalize())[r // 4 % 4]
    return f" {text} " if r % 11 == 0 else text


def _variant_phone(value: str, r: int, country: str) -> str:
    code, _, rest = value[1:].partition(" ")
    national = {
        "44": lambda: ("0" + rest, "(0" + rest.replace(" ", ") ", 1).replace(" ", "-", 1)),
        "1": lambda: (rest.replace("(", "").replace(") ", "-"), rest.replace("-", " ")),
        "49": lambda: ("0" + rest, "0" + rest.replace(" ", "/")),
    }[code]()
    own = {"44": "GB", "1": "US", "49": "DE"}[code] == country
    idd = "011 " if country == "US" else "00"  # the international prefix dialled from there
    options = (value, f"{idd}{code} {rest}", *(national if own else (value.replace(" ", ""),) * 2))
    return options[r % len(options)]


def _variant_address(value: str, r: int, country: str) -> str:
    if r % 2:
        for long, short in SUFFIXES:
            value = value.replace(f" {long},", f" {short}.," if r % 4 == 1 else f" {short},")
        value = value.replace(" Strasse ", " Str. ")
    if r % 3 == 1:
        value = _GB_POSTCODE.sub(r"\1\2", value).upper().replace(",", "").replace(".", "")
    return value


def _variant_card(value: str, r: int, country: str) -> str:
    return (value, value.replace(" ", "-"), value.replace(" ", ""))[r % 3]


def _variant_iban(value: str, r: int, country: str) -> str:
    return (value, value.replace(" ", ""), value.lower(), value.title())[r % 4]


def _variant_ip(value: str, r: int, country: str) -> str:
    if ":" in value and r % 2:
        value = ipaddress.IPv6Address(value).exploded
        return value.upper() if r % 4 == 3 else value
    return value


def _variant_device(value: str, r: int, country: str) -> str:
    return f"{value} " if r % 17 == 0 else value


_VARIANTS = {
    "email": _variant_email,
    "phone": _variant_phone,
    "address": _variant_address,
    "card": _variant_card,
    "iban": _variant_iban,
    "ip": _variant_ip,
    "device": _variant_device,
}


def variant(kind: str, value: str, r: int, country: str) -> str:
    """Spell ``value`` the way source system ``r`` (any int) writes a ``kind`` identifier."""
    return _VARIANTS[kind](value, r, country)
