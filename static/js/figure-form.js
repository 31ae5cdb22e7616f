/* The reporting form (templates/workspace/figure_form.html):
   - beside the value, the chosen indicator's unit and expected range and the last approved
     figure of that indicator and geography, from the JSON the server put in
     #figure-context-data, shown again when the indicator or the geography changes;
   - a form is sent once: a second click (a double click) while it is being sent is ignored. */
(function () {
  "use strict";

  function start() {
    var form = document.querySelector("form.figure-form");
    if (!form) {
      return;
    }
    form.addEventListener("submit", function (event) {
      if (form.dataset.sending) {
        event.preventDefault();
        return;
      }
      form.dataset.sending = "true";
      form.setAttribute("aria-busy", "true");
    });
    /* coming back to the page (the browser's back button) makes it usable again */
    window.addEventListener("pageshow", function () {
      delete form.dataset.sending;
      form.removeAttribute("aria-busy");
    });

    var source = document.getElementById("figure-context-data");
    var context = document.getElementById("figure-context");
    var indicator = form.querySelector("[name=indicator]");
    var geography = form.querySelector("[name=geography]");
    if (!source || !context || !indicator || !geography) {
      return;
    }
    var data = JSON.parse(source.textContent);

    function set(part, text) {
      var element = context.querySelector("[data-part=" + part + "]");
      if (element && element.textContent !== text) {
        element.textContent = text;
      }
    }

    function show() {
      var about = data.indicators[indicator.value];
      var latest = data.latest[indicator.value + "|" + geography.value];
      set("unit", about ? about.unit : data.none);
      set("range", about ? about.range : data.none);
      set("latest", about ? latest || data.no_figure : data.none);
    }

    indicator.addEventListener("change", show);
    geography.addEventListener("change", show);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
