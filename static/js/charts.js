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

  /* Print: draw every chart that has not been drawn yet. */
  window.addEventListener("beforeprint", function () {
    document.querySelectorAll(".chart-plot[data-figure]").forEach(function (element) {
      if (!element.dataset.drawn) {
        draw(element);
      }
    });
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
