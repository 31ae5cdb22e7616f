"""Give every row of fixtures/indicators/itu-published-figures.csv a citation.

A maintainer's tool, run by hand; the portal never imports it (indicators/migrations/0002 holds
a frozen copy of the two tables below for databases loaded before the conversion, and
tests/indicators/test_import.py checks that the copies agree).

Each figure cites its publisher, its publication (the proper name, as published) and its edition
(a label that names the release on its own, as the key of a figure is indicator, geography, year
and edition). How the portal obtained the value stays in `source`, as provenance: the old
`edition` text is appended to it, so nothing recorded before is lost. Where only a report
carries the figure (a press article, a summary), `reported_in` names that report.

    git show cf6fca5:fixtures/indicators/itu-published-figures.csv > /tmp/figures-before.csv
    python3 scripts/cite_published_figures.py /tmp/figures-before.csv \\
        ../shared/data/itu-published-figures.csv > fixtures/indicators/itu-published-figures.csv

Re-runnable: rows already in the new format pass through unchanged, and rows of the shared file
listed in NEW_ROWS are added once. The output depends only on the two inputs and the tables here;
an edition not in CITATIONS stops the script (decide its citation here, never by guessing).
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path
from typing import NamedTuple

FIELDS = (
    "indicator",
    "geography",
    "year",
    "value",
    "publisher",
    "publication",
    "edition",
    "source",
    "source_url",
    "reported_in",
    "note",
)


class Citation(NamedTuple):
    publisher: str
    publication: str
    edition: str


ITU = "ITU"
BROADBAND_COMMISSION = "Broadband Commission for Sustainable Development"

# The `edition` text of the rows before the conversion -> their citation.
CITATIONS: dict[str, Citation] = {
    "ITU Key ICT indicators, 'Updated: 28 October 2019' (Facts and Figures 2019 data release)": (
        Citation(
            ITU,
            "Key ICT indicators for developed and developing countries and the world",
            "Key ICT indicators, 28 October 2019",
        )
    ),
    "ITU Annual Report 2017 (tracking Connect 2020 targets; ITU data as published end-2017)": (
        Citation(ITU, "Annual Report 2017", "Annual Report 2017")
    ),
    "ITU Facts and Figures 2020 (published 30 Nov 2020), as reported by press": Citation(
        ITU, "Facts and Figures 2020", "Facts and Figures 2020"
    ),
    "ITU Facts and Figures 2021 (published 30 Nov/1 Dec 2021)": Citation(
        ITU, "Facts and Figures 2021", "Facts and Figures 2021"
    ),
    "ITU Facts and Figures 2022 (published Nov 2022; 2022 = ITU estimate)": Citation(
        ITU, "Facts and Figures 2022", "Facts and Figures 2022"
    ),
    (
        "ITU Measuring digital development: Facts and Figures 2023 (published Oct/Nov 2023; "
        "2023 = ITU estimate)"
    ): Citation(ITU, "Facts and Figures 2023", "Facts and Figures 2023"),
    "ITU Facts and Figures 2024 (Nov 2024)": Citation(
        ITU, "Facts and Figures 2024", "Facts and Figures 2024"
    ),
    "ITU Facts and Figures: Focus on LDCs (March 2023), as reported by press": Citation(
        ITU,
        "Facts and Figures: Focus on Least Developed Countries",
        "Facts and Figures: Focus on LDCs 2023",
    ),
    "ITU Highlights report of activities (Connect 2030 section), using FF2021 data": Citation(
        ITU, "Highlights report of activities", "Highlights report of activities"
    ),
    "ITU Measuring digital development: The affordability of ICT services 2024": Citation(
        ITU,
        "Measuring digital development: The affordability of ICT services 2024",
        "The affordability of ICT services 2024",
    ),
    "ITU SDG ICT indicators page (text mirrors Facts and Figures 2024)": Citation(
        ITU, "SDG ICT indicators", "SDG ICT indicators page, 2024"
    ),
    'ITU backgrounder "Digital inclusion of all" (undated in excerpt; quotes ~2022 data)': (
        Citation(ITU, "Digital inclusion of all", "Digital inclusion of all (backgrounder)")
    ),
    "ITU Global Cybersecurity Index 2017 (GCIv2, July 2017), as reported by press": Citation(
        ITU, "Global Cybersecurity Index 2017", "Global Cybersecurity Index 2017"
    ),
    "ITU Global Cybersecurity Index 2020 (GCIv4, published June 2021)": Citation(
        ITU, "Global Cybersecurity Index 2020", "Global Cybersecurity Index 2020"
    ),
    "ITU Global Cybersecurity Index 2024 (5th edition, Sept 2024), as reported by press": (
        Citation(ITU, "Global Cybersecurity Index 2024", "Global Cybersecurity Index 2024")
    ),
    "Global E-waste Monitor 2017 (UNU/ITU/ISWA, Dec 2017)": Citation(
        "UNU, ITU, ISWA", "The Global E-waste Monitor 2017", "Global E-waste Monitor 2017"
    ),
    "Global E-waste Monitor 2017 (UNU/ITU/ISWA, Dec 2017), as reported by press": Citation(
        "UNU, ITU, ISWA", "The Global E-waste Monitor 2017", "Global E-waste Monitor 2017"
    ),
    "Global E-waste Monitor 2020 (GESP: UNU/UNITAR, ITU, ISWA; July 2020), as reported": Citation(
        "UNU/UNITAR, ITU, ISWA", "The Global E-waste Monitor 2020", "Global E-waste Monitor 2020"
    ),
    "Global E-waste Monitor 2024 (ITU/UNITAR, March 2024)": Citation(
        "ITU, UNITAR", "The Global E-waste Monitor 2024", "Global E-waste Monitor 2024"
    ),
    "World Bank Global Findex Database 2021 (June 2022)": Citation(
        "World Bank", "The Global Findex Database 2021", "Global Findex Database 2021"
    ),
    "World Bank Global Findex Database 2021 (June 2022), World Bank statement as reported": (
        Citation("World Bank", "The Global Findex Database 2021", "Global Findex Database 2021")
    ),
    (
        "Broadband Commission target-2 tracking page citing ITU FF2022 and the ITU/A4AI 2021 "
        "affordability brief"
    ): Citation(
        BROADBAND_COMMISSION, "Advocacy target 2: Affordability", "Advocacy target 2 page, 2022"
    ),
    "Broadband Commission target-3 tracking page citing ITU estimates (FF2022 vintage)": Citation(
        BROADBAND_COMMISSION,
        "Advocacy target 3: Universal broadband",
        "Advocacy target 3 page, 2022",
    ),
}

# The `source` (provenance) of rows that only a report carries -> that report's name. The
# publication itself was not read for these; the pages say "as reported by …".
REPORTED_IN: dict[str, str] = {
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
    (
        "ITU press release of Facts and Figures 2024 (27 Nov 2024), as summarised in secondary "
        "reports (digitaldemocracynow.org, dataxpat.com)"
    ): "digitaldemocracynow.org, dataxpat.com",
}

# Rows of the shared file added since the last conversion (its line numbers, header = line 1),
# with the portal's indicator and geography for each (fixtures/indicators/README.md, mapping).
NEW_ROWS: dict[int, tuple[str, str]] = {
    190: ("1.2-internet-use", "WLD"),  # World Internet use 2024: 68%
    191: ("1.2-internet-users-millions", "WLD"),  # World Internet users 2024: 5.5 billion
}


def provenance(source: str, recorded_edition: str) -> str:
    """The old source text, and the edition text first recorded with it (kept, not lost)."""
    return f"{source} — recorded as: {recorded_edition}"


def convert(row: dict) -> dict:
    """A row of the old format (no publisher) in the new one; a new-format row unchanged."""
    if row.get("publisher"):
        return {field: row.get(field, "") for field in FIELDS}
    try:
        citation = CITATIONS[row["edition"]]
    except KeyError:
        raise SystemExit(f"no citation decided for the edition {row['edition']!r}") from None
    return {
        **{field: row.get(field, "") for field in FIELDS},
        **citation._asdict(),
        "source": provenance(row["source"], row["edition"]),
        "reported_in": REPORTED_IN.get(row["source"], ""),
    }


def shared_rows(path: Path) -> list[dict]:
    """NEW_ROWS of the shared file, in the import format."""
    with path.open(newline="", encoding="utf-8") as handle:
        lines = dict(enumerate(csv.DictReader(handle), start=2))
    rows = []
    for line, (indicator, geography) in NEW_ROWS.items():
        source_row = lines[line]
        rows.append(
            convert(
                {
                    "indicator": indicator,
                    "geography": geography,
                    "year": source_row["year"],
                    "value": source_row["value"],
                    "source": source_row["source"],
                    "source_url": "",
                    "edition": source_row["source_edition"],
                    "note": source_row["note"],
                }
            )
        )
    return rows


def main(before: Path, shared: Path) -> None:
    with before.open(newline="", encoding="utf-8") as handle:
        rows = [convert(row) for row in csv.DictReader(handle)]
    keys = {(r["indicator"], r["geography"], r["year"], r["edition"]) for r in rows}
    for row in shared_rows(shared):
        if (row["indicator"], row["geography"], row["year"], row["edition"]) not in keys:
            rows.append(row)
    seen = set()
    for row in rows:  # a citation must not merge two figures into one key
        key = (row["indicator"], row["geography"], row["year"], row["edition"])
        if key in seen:
            raise SystemExit(f"two figures for {key}")
        seen.add(key)
    writer = csv.DictWriter(sys.stdout, fieldnames=FIELDS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)


if __name__ == "__main__":
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    main(Path(sys.argv[1]), Path(sys.argv[2]))
