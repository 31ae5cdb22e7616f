"""The open-data formats the portal publishes, as the "Open data" page lists them: each format
module adds its entries here, so that the page and the API root name every one."""

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Format:
    name: str | Promise  # "SDMX 2.1 (SDMX-ML and SDMX-CSV)"
    description: str | Promise
    url_name: str  # "opendata:sdmx-structure"
    standard_url: str = ""  # where the format is specified


FORMATS: list[Format] = []
