/* Draws the page's world maps and makes their tables sortable.

   Each .map-plot names a <script type="application/json"> element holding a plotly figure
   (dashboards/charts.py build_choropleth_figure) and the address of the world's geometry
   (static/vendor/topojson/world_110m.json, preloaded by the page). The geometry is handed to
   plotly through window.PlotlyGeoAssets, as plotly's own plotly-geo-assets.js does, so that
   plotly never asks its CDN for it. When the first map is drawn the page is marked:
   performance mark "map-drawn" and <html data-map-drawn="true"> (browser tests, benchmark). */
(function () {
  "use strict";

  var CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false, showTips: false };
  var geometry = {};

  function loadGeometry(address) {
    if (!geometry[address]) {
      geometry[address] = fetch(address, { credentials: "same-origin", mode: "cors" }).then(
        function (response) {
          if (!response.ok) {
            throw new Error("map geometry: HTTP " + response.status);
          }
          return response.json();
        }
      );
    }
    return geometry[address];
  }

  function draw(element) {
    var source = document.getElementById(element.dataset.figure);
    var figure = JSON.parse(source.textContent);
    var started = performance.now();
    return loadGeometry(element.dataset.topojson).then(function (topology) {
      window.PlotlyGeoAssets = window.PlotlyGeoAssets || { topojson: {} };
      window.PlotlyGeoAssets.topojson = window.PlotlyGeoAssets.topojson || {};
      window.PlotlyGeoAssets.topojson.world_110m = topology;
      var config = Object.assign({ topojsonURL: element.dataset.topojsonBase }, CONFIG);
      return window.Plotly.newPlot(element, figure.data, figure.layout, config).then(function () {
        element.dataset.drawn = "true";
        performance.measure("map " + element.id, { start: started });
      });
    });
  }

  /* A table whose header cells say data-sort="text|number" gets a button in each: a click
     sorts the rows by that column (again: the other way), and aria-sort says how. */
  function sortable(table) {
    var headers = table.querySelectorAll("thead th[data-sort]");
    headers.forEach(function (header, column) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "sort";
      while (header.firstChild) {
        button.appendChild(header.firstChild);
      }
      header.appendChild(button);
      button.addEventListener("click", function () {
        var ascending = header.getAttribute("aria-sort") !== "ascending";
        headers.forEach(function (other) {
          other.removeAttribute("aria-sort");
        });
        header.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        var numeric = header.dataset.sort === "number";
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        var collator = new Intl.Collator(document.documentElement.lang);
        function key(row) {
          var cell = row.cells[column];
          var value = cell.dataset.sortValue !== undefined ? cell.dataset.sortValue : cell.textContent;
          return numeric ? parseFloat(value) : value;
        }
        rows.sort(function (a, b) {
          var x = key(a);
          var y = key(b);
          var order = numeric ? (isNaN(x) ? -Infinity : x) - (isNaN(y) ? -Infinity : y) : collator.compare(x, y);
          return ascending ? order : -order;
        });
        rows.forEach(function (row) {
          body.appendChild(row);
        });
      });
    });
  }

  function start() {
    document.querySelectorAll("table.sortable").forEach(sortable);
    if (!window.Plotly) {
      return;
    }
    performance.mark("map-start");
    var maps = Array.prototype.slice.call(document.querySelectorAll(".map-plot[data-figure]"));
    if (!maps.length) {
      return;
    }
    Promise.all(maps.map(draw)).then(function () {
      performance.mark("map-drawn");
      document.documentElement.dataset.mapDrawn = "true";
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
