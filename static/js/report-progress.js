// The build page of a progress report (templates/reports/staff_build.html): asks the build's
// status every second and shows its progress, then the download link or the error. The page is
// right without it (rendered with the status of the moment, and a reload link).
(function () {
  "use strict";
  var box = document.querySelector(".report-build[data-status-url]");
  if (!box) return;
  var bar = box.querySelector("progress");
  var line = box.querySelector(".report-status");
  var download = box.querySelector(".report-download");
  var reload = box.querySelector(".report-reload");
  var words = box.querySelector("#report-messages").dataset;
  var delay = 1000;

  function show(state) {
    bar.value = state.progress;
    bar.textContent = state.progress + " %";
    if (state.status === "done") {
      bar.value = 100;
      line.textContent = words.ready;
      download.hidden = false;
    } else if (state.status === "failed") {
      line.textContent = words.failed + " " + state.error;
    } else {
      line.textContent = words.progress + " " + state.progress + " %";
    }
    if (state.finished && reload) reload.hidden = true;
    return state.finished;
  }

  function poll() {
    fetch(box.dataset.statusUrl, { headers: { Accept: "application/json" }, credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.json();
      })
      .then(function (state) {
        if (!show(state)) window.setTimeout(poll, delay);
      })
      .catch(function () {
        // a network hiccup: try again, more slowly
        delay = Math.min(delay * 2, 10000);
        window.setTimeout(poll, delay);
      });
  }

  window.setTimeout(poll, 500);
})();
