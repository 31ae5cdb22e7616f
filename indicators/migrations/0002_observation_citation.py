"""Citations for the figures stored before publisher and publication existed.

Each row whose edition text is one the conversion of the published figures knows gets that
citation (publisher, publication, a clean edition), its old edition text appended to its
provenance, and the report that carries it where only a report does: the same result as
scripts/cite_published_figures.py gives the fixture, so `make data` (import with
--skip-existing) then finds these figures stored and adds only the new ones. The two tables are
a frozen copy of the script's (tests/indicators/test_import.py checks that they agree). A figure
entered by staff, whose edition no table knows, keeps its edition; its publication is its old
edition text and its publisher is left empty, for staff to complete.
"""

from django.db import migrations, models

CITATIONS = {
    "ITU Key ICT indicators, 'Updated: 28 October 2019' (Facts and Figures 2019 data release)": (
        "ITU",
        "Key ICT indicators for developed and developing countries and the world",
        "Key ICT indicators, 28 October 2019",
    ),
    "ITU Annual Report 2017 (tracking Connect 2020 targets; ITU data as published end-2017)": (
        "ITU",
        "Annual Report 2017",
        "Annual Report 2017",
    ),
    "ITU Facts and Figures 2020 (published 30 Nov 2020), as reported by press": (
        "ITU",
        "Facts and Figures 2020",
        "Facts and Figures 2020",
    ),
    "ITU Facts and Figures 2021 (published 30 Nov/1 Dec 2021)": (
        "ITU",
        "Facts and Figures 2021",
        "Facts and Figures 2021",
    ),
    "ITU Facts and Figures 2022 (published Nov 2022; 2022 = ITU estimate)": (
        "ITU",
        "Facts and Figures 2022",
        "Facts and Figures 2022",
    ),
    "ITU Measuring digital development: Facts and Figures 2023 (published Oct/Nov 2023; 2023 = ITU estimate)": (
        "ITU",
        "Facts and Figures 2023",
        "Facts and Figures 2023",
    ),
    "ITU Facts and Figures 2024 (Nov 2024)": (
        "ITU",
        "Facts and Figures 2024",
        "Facts and Figures 2024",
    ),
    "ITU Facts and Figures: Focus on LDCs (March 2023), as reported by press": (
        "ITU",
        "Facts and Figures: Focus on Least Developed Countries",
        "Facts and Figures: Focus on LDCs 2023",
    ),
    "ITU Highlights report of activities (Connect 2030 section), using FF2021 data": (
        "ITU",
        "Highlights report of activities",
        "Highlights report of activities",
    ),
    "ITU Measuring digital development: The affordability of ICT services 2024": (
        "ITU",
        "Measuring digital development: The affordability of ICT services 2024",
        "The affordability of ICT services 2024",
    ),
    "ITU SDG ICT indicators page (text mirrors Facts and Figures 2024)": (
        "ITU",
        "SDG ICT indicators",
        "SDG ICT indicators page, 2024",
    ),
    'ITU backgrounder "Digital inclusion of all" (undated in excerpt; quotes ~2022 data)': (
        "ITU",
        "Digital inclusion of all",
        "Digital inclusion of all (backgrounder)",
    ),
    "ITU Global Cybersecurity Index 2017 (GCIv2, July 2017), as reported by press": (
        "ITU",
        "Global Cybersecurity Index 2017",
        "Global Cybersecurity Index 2017",
    ),
    "ITU Global Cybersecurity Index 2020 (GCIv4, published June 2021)": (
        "ITU",
        "Global Cybersecurity Index 2020",
        "Global Cybersecurity Index 2020",
    ),
    "ITU Global Cybersecurity Index 2024 (5th edition, Sept 2024), as reported by press": (
        "ITU",
        "Global Cybersecurity Index 2024",
        "Global Cybersecurity Index 2024",
    ),
    "Global E-waste Monitor 2017 (UNU/ITU/ISWA, Dec 2017)": (
        "UNU, ITU, ISWA",
        "The Global E-waste Monitor 2017",
        "Global E-waste Monitor 2017",
    ),
    "Global E-waste Monitor 2017 (UNU/ITU/ISWA, Dec 2017), as reported by press": (
        "UNU, ITU, ISWA",
        "The Global E-waste Monitor 2017",
        "Global E-waste Monitor 2017",
    ),
    "Global E-waste Monitor 2020 (GESP: UNU/UNITAR, ITU, ISWA; July 2020), as reported": (
        "UNU/UNITAR, ITU, ISWA",
        "The Global E-waste Monitor 2020",
        "Global E-waste Monitor 2020",
    ),
    "Global E-waste Monitor 2024 (ITU/UNITAR, March 2024)": (
        "ITU, UNITAR",
        "The Global E-waste Monitor 2024",
        "Global E-waste Monitor 2024",
    ),
    "World Bank Global Findex Database 2021 (June 2022)": (
        "World Bank",
        "The Global Findex Database 2021",
        "Global Findex Database 2021",
    ),
    "World Bank Global Findex Database 2021 (June 2022), World Bank statement as reported": (
        "World Bank",
        "The Global Findex Database 2021",
        "Global Findex Database 2021",
    ),
    "Broadband Commission target-2 tracking page citing ITU FF2022 and the ITU/A4AI 2021 affordability brief": (
        "Broadband Commission for Sustainable Development",
        "Advocacy target 2: Affordability",
        "Advocacy target 2 page, 2022",
    ),
    "Broadband Commission target-3 tracking page citing ITU estimates (FF2022 vintage)": (
        "Broadband Commission for Sustainable Development",
        "Advocacy target 3: Universal broadband",
        "Advocacy target 3 page, 2022",
    ),
}

REPORTED_IN = {
    "Rapid TV News report on ITU Facts and Figures 2020": "Rapid TV News",
    "ZDNet report on ITU Facts and Figures 2020": "ZDNet",
    "Maroc Gazette press report on ITU Facts and Figures: Focus on LDCs": "Maroc Gazette",
    "Security Magazine report on the Global Cybersecurity Index 2017": "Security Magazine",
    "UNRIC: ITU releases fourth edition of the Global Cybersecurity Index": "UNRIC",
    "Computer Weekly report on the Global Cybersecurity Index 2024": "Computer Weekly",
    "WastePlant press report on the Global E-waste Monitor 2017": "WastePlant",
    "City Logistics article citing the Global E-waste Monitor 2020": "City Logistics",
    "Circulaire Kennis summary of the Global E-waste Monitor 2024": "Circulaire Kennis",
    "FinDev Gateway: Global Findex Database": "FinDev Gateway",
    "Jordan Times report of a World Bank statement on Global Findex 2021": "The Jordan Times",
    "ITU press release of Facts and Figures 2024 (27 Nov 2024), as summarised in secondary reports (digitaldemocracynow.org, dataxpat.com)": "digitaldemocracynow.org, dataxpat.com",
}


def cite(apps, schema_editor):
    Observation = apps.get_model("indicators", "Observation")
    changed = []
    for observation in Observation.objects.all():
        citation = CITATIONS.get(observation.edition)
        if citation is None:
            observation.publication = observation.edition
        else:
            observation.reported_in = REPORTED_IN.get(observation.source, "")
            observation.source = f"{observation.source} — recorded as: {observation.edition}"
            observation.publisher, observation.publication, observation.edition = citation
        changed.append(observation)
    Observation.objects.bulk_update(
        changed,
        ["publisher", "publication", "edition", "source", "reported_in"],
        batch_size=500,
    )


def uncite(apps, schema_editor):
    Observation = apps.get_model("indicators", "Observation")
    changed = []
    for observation in Observation.objects.all():
        source, marker, edition = observation.source.rpartition(" — recorded as: ")
        if marker:
            observation.source, observation.edition = source, edition
            changed.append(observation)
    Observation.objects.bulk_update(changed, ["source", "edition"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("indicators", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalobservation",
            name="publication",
            field=models.CharField(
                default="",
                help_text="The publication's name as published, e.g. Facts and Figures 2024.",
                max_length=300,
                verbose_name="publication",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalobservation",
            name="publisher",
            field=models.CharField(
                default="",
                help_text="The organisation that published the figure.",
                max_length=200,
                verbose_name="publisher",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="historicalobservation",
            name="reported_in",
            field=models.CharField(
                blank=True,
                help_text="Where only a report carries the figure (a news article, a summary): its name. Empty when the publication itself was read.",
                max_length=200,
                verbose_name="as reported by",
            ),
        ),
        migrations.AddField(
            model_name="observation",
            name="publication",
            field=models.CharField(
                default="",
                help_text="The publication's name as published, e.g. Facts and Figures 2024.",
                max_length=300,
                verbose_name="publication",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="observation",
            name="publisher",
            field=models.CharField(
                default="",
                help_text="The organisation that published the figure.",
                max_length=200,
                verbose_name="publisher",
            ),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name="observation",
            name="reported_in",
            field=models.CharField(
                blank=True,
                help_text="Where only a report carries the figure (a news article, a summary): its name. Empty when the publication itself was read.",
                max_length=200,
                verbose_name="as reported by",
            ),
        ),
        migrations.AlterField(
            model_name="historicalobservation",
            name="edition",
            field=models.CharField(
                help_text="Names the release on its own, e.g. Facts and Figures 2024.",
                max_length=300,
                verbose_name="edition",
            ),
        ),
        migrations.AlterField(
            model_name="historicalobservation",
            name="source",
            field=models.CharField(
                help_text="How the value was obtained: the file, page or report it was read in.",
                max_length=500,
                verbose_name="provenance",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="edition",
            field=models.CharField(
                help_text="Names the release on its own, e.g. Facts and Figures 2024.",
                max_length=300,
                verbose_name="edition",
            ),
        ),
        migrations.AlterField(
            model_name="observation",
            name="source",
            field=models.CharField(
                help_text="How the value was obtained: the file, page or report it was read in.",
                max_length=500,
                verbose_name="provenance",
            ),
        ),
        migrations.RunPython(cite, uncite),
    ]
