"""Realistic, messy raw values: names, emails, phones, addresses, cards, IBANs, IPs, devices.

Every identifier has a *canonical* raw value made from a number ``n`` (distinct numbers give
distinct values, so honest accounts never collide by accident) and :func:`variant` renders it
the way one source system would spell it. All variants of a value normalise to the same
identifier under :mod:`graphkit.identity`.

Everything is vectorised: ``n`` is a numpy array of numbers, ``country`` one of indexes into
``COUNTRIES``, and the result a ``pyarrow`` string array; :func:`one` makes a single value.

>>> one("card", 3)
'5424 0002 2975 3089'
>>> one("phone", 5, "GB")
'+44 7400 283950'
>>> variant("phone", pa.array(["+44 7400 283950"]), np.array([1]), np.array([0])).to_pylist()
['0044 7400 283950']
>>> one("address", 0, "GB")
'1 High Street, London SW1A 1AA, GB'
>>> variant("address", one_array("address", 0, "GB"), np.array([1]), np.array([0])).to_pylist()
['1 HIGH ST LONDON SW1A1AA GB']
"""

from __future__ import annotations

import functools

import numpy as np
import phonenumbers
import pyarrow as pa
import pyarrow.compute as pc

COUNTRIES = ("GB", "US", "DE")

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
DE_SUFFIXES = ("Strasse", "Weg", "Allee", "Ring")  # one per SUFFIXES entry: DE numbers stay unique
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
#: Message bodies by kind (``world.MESSAGE_KINDS``); ``{t}`` is the product's title. Honest
#: wording overlaps the paid one ("5-star review", "full refund", "free") on purpose.
MESSAGES = {
    "solicitation": (
        "Hi! Want {t} for free? Buy it, leave a 5-star review and we refund 100% via PayPal.",
        "Free {t} in exchange for a 5* review :) full refund after you post",
        "We are looking for reviewers: {t}, free sample, 5 stars please, refund within 48h",
        "Hello, would you like to test {t}? Order it, share your opinion and we reimburse you.",
        "Thanks for your interest in {t}! As agreed, please post your review today.",
        "Exclusive tester programme: {t} at no cost to you, just leave a positive review.",
    ),
    "delivery": (
        "Hi, your {t} has been dispatched and should arrive in 2-3 working days.",
        "Sorry for the delay with your {t} - the courier has it now, tracking to follow.",
        "Your {t} was delivered today. Any problems, just reply to this message.",
    ),
    "question": (
        "Hi, the {t} comes in black, white and blue - which colour would you like?",
        "Thanks for asking: the {t} is true to size, the measurements are in the listing.",
        "Yes, the {t} works with UK and EU plugs; the adapter is in the box.",
    ),
    "return": (
        "No problem, we have sent you a free return label for the {t}.",
        "We received the returned {t}; your refund is on its way.",
        "To exchange the {t} for another colour, just send it back with the slip included.",
    ),
    "complaint": (
        "So sorry the {t} arrived damaged. We have issued a full refund, no need to return it.",
        "Apologies that the {t} stopped working - you have been refunded in full.",
        "We are sorry to hear about the {t}. A partial refund has been sent to your card.",
    ),
    "review_request": (
        "Thanks for buying {t}! If you are happy with it, a 5-star review would help our shop.",
        "How are you getting on with the {t}? We would love your honest review.",
        "Hope you enjoy the {t}. Reviews help other buyers - please leave one if you can.",
    ),
}
GB_POSTCODE = r"\b([A-Z]{1,2}\d[A-Z\d]?) (\d[A-Z]{2})\b"
PHONE_WIDTH = {"GB": 6, "US": 4, "DE": 8}  # subscriber digits after the block
CALLING_CODES = ("44", "1", "49")  # of COUNTRIES
US_AREAS = (212, 415, 312, 617, 206, 303, 512, 404)
BINS = (453900, 471600, 520000, 542400, 411500, 535300)
TAGS = ("+promo", "+shop", "+deals")
_HEX = pa.array([f"{i:x}" for i in range(2**16)])


def pick(options, index: np.ndarray) -> pa.Array:
    """``options[index]`` for every index (``None`` options become nulls)."""
    return pa.array(options, pa.string()).take(pa.array(index))


def join(*parts) -> pa.Array:
    """Concatenate string arrays (and plain strings) element-wise."""
    return pc.binary_join_element_wise(*parts, "")


def digits(x: np.ndarray, mod) -> pa.Array:
    """``x`` (< ``mod``, a power of 10, scalar or per row) as zero-padded decimal text."""
    return pc.utf8_slice_codeunits(pc.cast(pa.array(mod + x), pa.string()), 1)


def number(x: np.ndarray) -> pa.Array:
    return pc.cast(pa.array(x), pa.string())


def _hex4(x: np.ndarray) -> pa.Array:
    return _HEX.take(pa.array(x & 0xFFFF))


def _mix(n: np.ndarray, mod) -> np.ndarray:
    """A bijection on ``range(mod)`` (``mod`` a power of 10) that scatters neighbours."""
    return (n * 7_654_321 + 12_345) % mod


def _mix64(n: np.ndarray, a: int, b: int) -> np.ndarray:
    """``(n * a + b) % 2**64`` (uint64 arithmetic wraps)."""
    return n.astype(np.uint64) * np.uint64(a) + np.uint64(b)


def _group4(text: pa.Array, length: int) -> pa.Array:
    """``"ABCDEFGHIJ"`` -> ``"ABCD EFGH IJ"``."""
    groups = [pc.utf8_slice_codeunits(text, i, i + 4) for i in range(0, length, 4)]
    return pc.binary_join_element_wise(*groups, " ")


def email(n: np.ndarray, country: np.ndarray) -> pa.Array:
    first = n % len(FIRST)
    heads = [f"{f}." for f in FIRST] + [f[0] for f in FIRST]  # odd n: first.last, even: flast
    web_de = (country == COUNTRIES.index("DE")) & (n % 3 == 0)
    domain = np.where(web_de, DOMAINS.index("web.de"), (n // 3) % len(DOMAINS))
    head = pick(heads, np.where(n % 2, first, first + len(FIRST)))
    return join(head, pick(LAST, (n // 7) % len(LAST)), number(n), "@", pick(DOMAINS, domain))


@functools.cache
def _phone_blocks() -> tuple[tuple[str, ...], np.ndarray, np.ndarray]:
    """Number blocks (with their separator) that ``phonenumbers`` accepts as valid, of all
    COUNTRIES (all US exchanges 201-999 are), with each country's first index and count."""
    candidates = {
        "GB": [f"+44 7{b} " for b in range(400, 1000)],
        "US": [f"+1 ({a}) {e}-" for a in US_AREAS for e in range(201, 1000)],
        "DE": [f"+49 {b} " for b in range(150, 180)],
    }
    blocks = [
        [
            block
            for block in candidates[c]
            if c == "US"
            or all(
                phonenumbers.is_valid_number(phonenumbers.parse(block + d * PHONE_WIDTH[c], None))
                for d in "09"
            )
        ]
        for c in COUNTRIES
    ]
    counts = np.array([len(b) for b in blocks])
    return tuple(b for bs in blocks for b in bs), np.cumsum(counts) - counts, counts


def phone(n: np.ndarray, country: np.ndarray) -> pa.Array:
    blocks, first, count = _phone_blocks()
    mod = 10 ** np.array([PHONE_WIDTH[c] for c in COUNTRIES])[country]
    block = first[country] + (n // mod) % count[country]
    return join(pick(blocks, block), digits(_mix(n % mod, mod), mod))


def address(n: np.ndarray, country: np.ndarray) -> pa.Array:
    num = number(1 + n % 250)
    street = pick(STREETS, (n // 250) % len(STREETS))
    kind = (n // 5000) % len(SUFFIXES)
    suffix, de_suffix = pick([long for long, _ in SUFFIXES], kind), pick(DE_SUFFIXES, kind)
    towns = [town for c in COUNTRIES for town in TOWNS[c]]
    which = country * len(TOWNS["GB"]) + (n // 20000) % len(TOWNS["GB"])
    town, code = pick([t for t, _ in towns], which), pick([c for _, c in towns], which)
    unit = n // 120000
    line = pc.if_else(unit > 0, join("Flat ", number(unit), ", "), "")
    german = join(line, street, " ", de_suffix, " ", num, ", ", code, " ", town, ", DE")
    other = join(line, num, " ", street, " ", suffix, ", ", town, " ", code, ", ")
    return pc.if_else(
        country == COUNTRIES.index("DE"), german, join(other, pick(COUNTRIES, country))
    )


def warehouse(n: int, country: str) -> str:
    """A prep-centre / fulfilment warehouse address (shared by many honest sellers)."""
    town, code = TOWNS[country][n % len(TOWNS[country])]
    return f"Unit {n + 3}, {STREETS[n % len(STREETS)]} Business Park, {town} {code}, {country}"


def luhn_body(body: np.ndarray, length: int) -> np.ndarray:
    """``body`` (``length`` digits) with its Luhn check digit appended.

    >>> luhn_body(np.array([7992739871]), 10)
    array([79927398713])
    """
    d = body // 10 ** np.arange(length)[:, None] % 10  # d[i]: the i-th digit from the right
    doubled = d[0::2] * 2
    total = (doubled - 9 * (doubled > 9)).sum(0) + d[1::2].sum(0)
    return body * 10 + (-total % 10)


def card(n: np.ndarray, country: np.ndarray | None = None) -> pa.Array:
    body = np.array(BINS)[n % len(BINS)] * 10**9 + _mix(n, 10**9)
    return _group4(number(luhn_body(body, 15)), 16)


def _mod97(*parts: tuple) -> np.ndarray:
    """The decimal concatenation of ``(value, digit count)`` parts, modulo 97."""
    rest = 0
    for value, width in parts:
        rest = (rest * pow(10, width, 97) + value % 97) % 97
    return rest


def _letters(text: str) -> tuple[int, int]:
    """IBAN letters as a number (A=10 ... Z=35) and its digit count."""
    numeric = "".join(str(int(c, 36)) for c in text)
    return int(numeric), len(numeric)


def iban(n: np.ndarray, country: np.ndarray) -> pa.Array:
    """GB IBANs for GB accounts, German ones for everyone else."""
    gb_number, de_number = _mix(n, 10**14), _mix(n, 10**18)
    gb = country == COUNTRIES.index("GB")
    gb_check = 98 - _mod97(_letters("NWBK"), (gb_number, 14), _letters("GB00"))
    de_check = 98 - _mod97((de_number, 18), _letters("DE00"))
    text = pc.if_else(
        gb,
        join("GB", digits(gb_check, 100), "NWBK", digits(gb_number, 10**14)),
        join("DE", digits(de_check, 100), digits(de_number, 10**18)),
    )
    return _group4(text, 22)


def ip(n: np.ndarray, country: np.ndarray | None = None) -> pa.Array:
    """IPv4 (public-looking, 11.0.0.0-222.255.255.255) for most numbers, IPv6 for every 5th
    (``2a02:c7f0::`` and the low 64 bits, leading zero groups compressed as Python does)."""
    v4 = 11 * 2**24 + (n * 2_654_435_761 + 99) % (212 * 2**24)
    octets = [number(v4 >> shift & 255) for shift in (24, 16, 8, 0)]
    low = _mix64(n, 7_654_321, 12_345)
    groups = [_hex4(low >> np.uint64(shift)) for shift in (48, 32, 16, 0)]
    v6 = join("2a02:c7f0::", pc.binary_join_element_wise(*groups, ":"))
    v6 = pc.replace_substring_regex(v6, "::(0:)+", "::")
    return pc.if_else(n % 5 == 4, v6, pc.binary_join_element_wise(*octets, "."))


def device(n: np.ndarray, country: np.ndarray | None = None) -> pa.Array:
    h = _mix64(n, 0x9E3779B97F4A7C15, 0x632BE59BD9B4E019)
    return join("fp-", *(pc.utf8_lpad(_hex4(h >> np.uint64(s)), 4, "0") for s in (48, 32, 16, 0)))


def brand_names(j: np.ndarray) -> pa.Array:
    """Made-up brand names from syllables: ``Zentri``, ``Luxvoka``."""
    third = np.where(j % 3 > 0, j // 400 % len(SYLLABLES), len(SYLLABLES))
    return pc.utf8_capitalize(
        join(pick(SYLLABLES, j % 20), pick(SYLLABLES, j // 20 % 20), pick([*SYLLABLES, ""], third))
    )


def _variant_email(value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    parts = pc.split_pattern(value, "@", max_splits=1)
    local, domain = pc.list_element(parts, 0), pc.list_element(parts, 1)
    respelled = pc.if_else(
        pc.match_substring(local, "."),
        pc.replace_substring(local, ".", ""),
        join(pc.utf8_slice_codeunits(local, 0, 2), ".", pc.utf8_slice_codeunits(local, 2)),
    )
    local = pc.if_else(pc.and_(pc.equal(domain, "gmail.com"), r % 3 == 1), respelled, local)
    local = pc.if_else(r % 4 == 2, join(local, pick(TAGS, r % 3)), local)
    text = join(local, "@", domain)
    text = pc.choose(
        r // 4 % 4, text, pc.utf8_title(text), pc.utf8_upper(text), pc.utf8_capitalize(text)
    )
    return pc.if_else(r % 11 == 0, join(" ", text, " "), text)


def _variant_phone(value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    parts = pc.split_pattern(pc.utf8_slice_codeunits(value, 1), " ", max_splits=1)
    code, rest = pc.list_element(parts, 0), pc.list_element(parts, 1)
    first = pc.replace_substring(rest, " ", ") ", max_replacements=1)
    national = (  # two national spellings of GB, US and DE numbers
        (
            join("0", rest),
            join("(0", pc.replace_substring(first, " ", "-", max_replacements=1)),
        ),
        (
            pc.replace_substring(pc.replace_substring(rest, "(", ""), ") ", "-"),
            pc.replace_substring(rest, "-", " "),
        ),
        (join("0", rest), join("0", pc.replace_substring(rest, " ", "/"))),
    )
    home = pc.index_in(code, value_set=pa.array(CALLING_CODES))
    own = pc.equal(home, pa.array(country.astype(np.int32)))
    compact = pc.replace_substring(value, " ", "")
    idd = pick(("00", "011 ", "00"), country)  # the international prefix dialled from there
    spelled = [pc.if_else(own, pc.choose(home, *(n[i] for n in national)), compact) for i in (0, 1)]
    return pc.choose(r % 4, value, join(idd, code, " ", rest), *spelled)


def _variant_address(value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    short = {".": value, "": value}
    for dot in short:
        for long, abbreviation in SUFFIXES:
            short[dot] = pc.replace_substring(short[dot], f" {long},", f" {abbreviation}{dot},")
        short[dot] = pc.replace_substring(short[dot], " Strasse ", " Str. ")
    value = pc.if_else(r % 2 == 1, pc.if_else(r % 4 == 1, short["."], short[""]), value)
    shouted = pc.utf8_upper(pc.replace_substring_regex(value, GB_POSTCODE, r"\1\2"))
    shouted = pc.replace_substring(pc.replace_substring(shouted, ",", ""), ".", "")
    return pc.if_else(r % 3 == 1, shouted, value)


def _variant_card(value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    return pc.choose(
        r % 3, value, pc.replace_substring(value, " ", "-"), pc.replace_substring(value, " ", "")
    )


def _variant_iban(value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    return pc.choose(
        r % 4,
        value,
        pc.replace_substring(value, " ", ""),
        pc.utf8_lower(value),
        pc.utf8_title(value),
    )


def _variant_ip(value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    """IPv6 expanded (all eight groups of four digits) for odd ``r``, upper-case for some."""
    expand = pc.and_(pc.match_substring(value, ":"), pa.array(r % 2 == 1))
    v6, r = value.filter(expand), r[expand.to_numpy(zero_copy_only=False)]
    written = pc.list_value_length(pc.split_pattern(v6, ":")).to_numpy()  # "::" counts 1
    filled = pc.choose(  # "::" stands for 9 - written zero groups
        8 - written, *(pc.replace_substring(v6, "::", ":" + "0:" * k) for k in range(1, 8))
    )
    groups = pc.split_pattern(filled, ":")
    padded = pc.utf8_lpad(groups.flatten(), 4, "0")
    expanded = pc.binary_join(pa.ListArray.from_arrays(groups.offsets, padded), ":")
    expanded = pc.if_else(r % 4 == 3, pc.utf8_upper(expanded), expanded)
    return pc.replace_with_mask(value, expand, expanded)


def _variant_device(value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    return pc.if_else(r % 17 == 0, join(value, " "), value)


MAKERS = {
    "email": email,
    "phone": phone,
    "address": address,
    "card": card,
    "iban": iban,
    "ip": ip,
    "device": device,
}
_VARIANTS = {
    "email": _variant_email,
    "phone": _variant_phone,
    "address": _variant_address,
    "card": _variant_card,
    "iban": _variant_iban,
    "ip": _variant_ip,
    "device": _variant_device,
}


def variant(kind: str, value: pa.Array, r: np.ndarray, country: np.ndarray) -> pa.Array:
    """Spell each ``kind`` identifier the way source system ``r`` (any int) writes it."""
    return _VARIANTS[kind](value, r, country)


def one_array(kind: str, n: int, country: str = "GB") -> pa.Array:
    return MAKERS[kind](np.array([n]), np.array([COUNTRIES.index(country)]))


def one(kind: str, n: int, country: str = "GB") -> str:
    """The canonical ``kind`` value of number ``n`` for an account in ``country``."""
    return one_array(kind, n, country)[0].as_py()
