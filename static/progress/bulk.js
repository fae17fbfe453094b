/* Bulk enrolment: move the focus to an error summary; poll the status of a running upload.
   Without JavaScript the status page refreshes itself (noscript meta refresh). */
(function () {
  "use strict";
  var summary = document.querySelector("[data-autofocus]");
  if (summary) { summary.focus(); }

  var section = document.querySelector("[data-bulk-status]");
  if (!section) { return; }
  var url = section.getAttribute("data-bulk-status");
  var bar = section.querySelector("[data-bulk-bar]");
  var text = section.querySelector("[data-bulk-text]");
  var live = section.querySelector("[data-bulk-live]");
  var lastAnnounced = -1;

  function poll() {
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (!data) { window.setTimeout(poll, 5000); return; }
        if (!data.running) { window.location.reload(); return; }
        bar.value = data.percent;
        text.textContent = data.text + " (" + data.percent + " %)";
        // Announce in steps of ten percent, not on every poll, so screen readers are not flooded.
        var step = Math.floor(data.percent / 10);
        if (step !== lastAnnounced) {
          lastAnnounced = step;
          live.textContent = data.text;
        }
        window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1500);
})();
