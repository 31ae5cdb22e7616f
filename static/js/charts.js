/* Draws the page's charts: each .chart-plot names a <script type="application/json"> element
   holding a plotly figure ({data, layout}) built by the server (indicators/charts.py).
   The first main chart is drawn at once; the others when they come near the screen.
   When it is drawn, the page is marked: performance mark "charts-drawn" and
   <html data-charts-drawn="true"> (the browser tests and the benchmark wait for it). */
(function () {
  "use strict";

  var CONFIG = { displayModeBar: false, responsive: true, scrollZoom: false };

  function draw(element) {
    if (element.dataset.drawn) {
      return Promise.resolve();
    }
    element.dataset.drawn = "pending";
    var source = document.getElementById(element.dataset.figure);
    var figure = JSON.parse(source.textContent);
    var started = performance.now();
    return window.Plotly.newPlot(element, figure.data, figure.layout, CONFIG).then(function () {
      element.dataset.drawn = "true";
      performance.measure("chart " + element.id, { start: started });
      printout.drawn(element);
    });
  }

  function start() {
    if (!window.Plotly) {
      return;
    }
    performance.mark("charts-start");
    /* The page's first chart is drawn at once; the others (further down, or small ones in
       cards) when they come near the screen, so that the first one is not kept waiting. */
    var eager = [];
    var lazy = [];
    document.querySelectorAll(".chart-plot[data-figure]").forEach(function (element) {
      var small = element.closest(".chart-small");
      (!small && !eager.length ? eager : lazy).push(element);
    });
    Promise.all(eager.map(draw)).then(function () {
      performance.mark("charts-drawn");
      document.documentElement.dataset.chartsDrawn = "true";
    });
    if (!lazy.length) {
      return;
    }
    if (!("IntersectionObserver" in window)) {
      lazy.forEach(draw);
      return;
    }
    var observer = new IntersectionObserver(
      function (entries) {
        entries.forEach(function (entry) {
          if (entry.isIntersecting) {
            observer.unobserve(entry.target);
            draw(entry.target);
          }
        });
      },
      { rootMargin: "300px 0px" }
    );
    lazy.forEach(function (element) {
      observer.observe(element);
    });
  }

  /* Printing. plotly draws a chart at the width of its box on the screen (1,120 px on a wide
     screen), far wider than the paper: printed as it is, its end (the last years and the
     target's star) falls off the page. Before printing, every chart is drawn (the lazy ones
     too) or redrawn at the printable width; after printing, at its screen width again. */
  var printout = (function () {
    /* A4 (210 mm) less print.css's @page margins (15 mm each side), in CSS pixels (96 per
       inch): A4 is narrower than Letter, so this fits either paper. */
    var PRINT_WIDTH = Math.floor(((210 - 2 * 15) * 96) / 25.4);
    var active = false;

    /* the page's charts, and its map (static/js/maps.js draws it; it is fitted the same way) */
    function charts() {
      return document.querySelectorAll(".chart-plot[data-figure], .map-plot[data-figure]");
    }

    /* The print layout is narrower still if the reader chose wider margins: once the print
       style sheet applies, the chart's box has the printed width. */
    function width(element) {
      var box = element.clientWidth;
      return box > 0 && box < PRINT_WIDTH ? box : PRINT_WIDTH;
    }

    function fit(element) {
      var wanted = width(element);
      var layout = element._fullLayout;
      if (element.dataset.drawn !== "true" || !layout || Math.abs(layout.width - wanted) < 1) {
        return;
      }
      element.dataset.printWidth = String(wanted);
      window.Plotly.relayout(element, { width: wanted });
    }

    function restore(element) {
      if (!element.dataset.printWidth) {
        return;
      }
      delete element.dataset.printWidth;
      /* no width of its own: plotly fills the box again, and follows the window ("responsive") */
      window.Plotly.relayout(element, { width: null, autosize: true });
    }

    function before() {
      active = true;
      charts().forEach(function (element) {
        if (element.dataset.drawn) {
          fit(element);
        } else if (element.classList.contains("chart-plot")) {
          draw(element);
        }
      });
    }

    function after() {
      active = false;
      charts().forEach(restore);
    }

    window.addEventListener("beforeprint", before);
    window.addEventListener("afterprint", after);
    /* Chromium applies the print style sheet (and the browser tests emulate print media)
       without always firing beforeprint first: the media query says so too. */
    if (window.matchMedia) {
      window.matchMedia("print").addEventListener("change", function (query) {
        (query.matches ? before : after)();
      });
    }

    return {
      /* a chart first drawn for the printout is drawn at its box's width on the screen (which
         plotly keeps as the width to return to), then fitted to the paper at once */
      drawn: function (element) {
        if (active) {
          fit(element);
        }
      },
    };
  })();

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
