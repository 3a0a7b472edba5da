from django.db import migrations, models

# The Russian names of the cities the seed command creates, by GeoNames id (a copy: migrations
# must not change when the seed list does).
RUSSIAN_NAMES = {
    1496747: "Новосибирск",
    1510853: "Барнаул",
    1493467: "Рубцовск",
    1496153: "Омск",
    1502026: "Красноярск",
    1503772: "Ханты-Мансийск",
    1489425: "Томск",
    2023469: "Иркутск",
    1503901: "Кемерово",
    1510018: "Бийск",
}


def fill_russian_names(apps, schema_editor):
    """Give the seeded cities already stored their Russian names (editors' own are kept)."""
    City = apps.get_model("cities", "City")
    for city in City.objects.filter(name_ru="", geonames_id__in=RUSSIAN_NAMES):
        city.name_ru = RUSSIAN_NAMES[city.geonames_id]
        city.save(update_fields=["name_ru"])
    City.objects.filter(name_ru="", slug="narym").update(name_ru="Нарым")


class Migration(migrations.Migration):
    dependencies = [
        ("cities", "0003_city_slug_from_name"),
    ]

    operations = [
        migrations.AddField(
            model_name="city",
            name="name_ru",
            field=models.CharField(
                blank=True,
                help_text="The name in Russian, in the nominative (Новосибирск): Russian texts naming the city in any grammatical case are matched to it.",
                max_length=100,
                verbose_name="Russian name",
            ),
        ),
        migrations.RunPython(fill_russian_names, migrations.RunPython.noop),
    ]
