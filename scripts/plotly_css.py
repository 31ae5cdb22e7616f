"""Write static/vendor/plotly.css: the style rules plotly.js would otherwise insert into a
<style> element when it loads, which a Content-Security-Policy without 'unsafe-inline'
refuses. Plotly.js reads the rules from that file instead when the page has an element
id="plotly.js-style-global" class="no-inline-styles" (plotly.js #7109; the bundles built with
esbuild no longer ship dist/plotly.css, so it is taken from the bundle we serve).

Run after upgrading plotly: python scripts/plotly_css.py static/vendor/plotly-basic-X.min.js
"""

import ast
import re
import sys
from pathlib import Path

VENDOR = Path(__file__).resolve().parent.parent / "static" / "vendor"
# src/build/plotcss.js, minified: NAME={"selector":'rules',...};for(KEY in NAME)
RULES = re.compile(r"(\w+)=(\{\"X,X div\"[^}]*\});for\(\w+ in \1\)")


def plotly_css(bundle: str) -> str:
    found = RULES.search(bundle)
    if not found:
        raise SystemExit("plotly.js's global style rules were not found in the bundle")
    # A JavaScript object literal: Python reads it, but for keys written as bare names (Y:).
    literal = ast.parse(found.group(2), mode="eval").body
    lines = []
    for key, value in zip(literal.keys, literal.values, strict=True):
        selector = key.id if isinstance(key, ast.Name) else ast.literal_eval(key)
        declarations = ast.literal_eval(value)
        # The same placeholders plotcss.js replaces before inserting each rule.
        selector = re.sub(r"^,", " ,", selector)
        selector = selector.replace("X", ".js-plotly-plot .plotly").replace("Y", ".plotly-notifier")
        lines.append(f"{selector}{{{declarations}}}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    bundle = Path(sys.argv[1])
    header = f"/* Style rules of {bundle.name}, written by scripts/plotly_css.py. */\n"
    (VENDOR / "plotly.css").write_text(header + plotly_css(bundle.read_text()))
