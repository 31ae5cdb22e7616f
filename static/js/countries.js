/* The countries page: filters the list of Member States as the visitor types a name or an ISO
   code, or picks a region or a group (the same form, submitted, filters on the server: the page
   works without this script). */
(function () {
  "use strict";

  function start() {
    var search = document.getElementById("country-search");
    var region = document.getElementById("country-region");
    var group = document.getElementById("country-group");
    var list = document.getElementById("country-list");
    var count = document.getElementById("country-count");
    if (!search || !list) {
      return;
    }
    var items = Array.prototype.slice.call(list.querySelectorAll("li[data-code]"));
    var template = count ? count.dataset.template : null;

    function filter() {
      var needle = search.value.trim().toLocaleLowerCase();
      var inRegion = region ? region.value : "";
      var inGroup = group ? group.value : "";
      var shown = 0;
      items.forEach(function (item) {
        var code = item.dataset.code.toLocaleLowerCase();
        var iso2 = (item.dataset.iso2 || "").toLocaleLowerCase();
        var match =
          !needle ||
          needle === code ||
          needle === iso2 ||
          item.dataset.name.indexOf(needle) !== -1 ||
          item.dataset.formal.indexOf(needle) !== -1;
        if (inRegion && item.dataset.region !== inRegion) {
          match = false;
        }
        if (inGroup && (" " + item.dataset.groups + " ").indexOf(" " + inGroup + " ") === -1) {
          match = false;
        }
        item.hidden = !match;
        if (match) {
          shown += 1;
        }
      });
      list.querySelectorAll("section.region").forEach(function (section) {
        section.hidden = !section.querySelector("li[data-code]:not([hidden])");
      });
      if (count && template) {
        count.textContent = template.replace("{shown}", shown);
      }
    }

    search.addEventListener("input", filter);
    if (region) {
      region.addEventListener("change", filter);
    }
    if (group) {
      group.addEventListener("change", filter);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
