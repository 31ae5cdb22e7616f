"""A generated report as plain data, between the content (content.py: what the report says, from
the same functions as the public pages) and its renderings (PDF and Word): each renderer walks the
same document, so the two files cannot say different things."""

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True)
class Paragraph:
    text: str
    style: str = ""  # "verdict-achieved", "note", "lead"… a renderer may ignore it


@dataclass(frozen=True)
class Table:
    caption: str
    headers: list[str]
    rows: list[list[str]]  # cells already formatted in the report's language


@dataclass(frozen=True)
class Chart:
    title: str
    figure: dict  # a plotly figure spec from dashboards.charts, drawn by the static renderer
    summary: str  # the chart in words (alternative text)
    source: str = ""  # the citations of the figures drawn ("Data from: ITU, …")


Block = Paragraph | Table | Chart


@dataclass
class Section:
    title: str
    level: int  # 1: a part (a goal, the risks, the annex); 2: a target, an objective; 3: below
    anchor: str  # unique in the report: "target-1-2"
    blocks: list[Block] = field(default_factory=list)


@dataclass
class Report:
    plan_code: str
    year: int  # the reporting year
    language: str  # a code of settings.LANGUAGES
    title: str
    subtitle: str
    cut_off: date  # figures approved and published after this day are not read
    generated_on: date
    sections: list[Section] = field(default_factory=list)

    @property
    def is_rtl(self) -> bool:
        return self.language in {"ar", "fa", "he", "ur"}
