/* Quiz attempt: debounced autosave and an accessible countdown. The form works without this file. */
(function () {
  "use strict";
  // Strings come from the djangojs catalogue (/i18n/js/); without it the German msgids stand.
  var gettext = window.gettext || function (msgid) { return msgid; };
  var ngettext = window.ngettext || function (singular, plural, n) { return n === 1 ? singular : plural; };
  function fill(text, values) { return text.replace(/%\((\w+)\)s/g, function (all, key) { return values[key]; }); }
  var form = document.querySelector("[data-quiz-attempt]");
  if (!form || !window.fetch || !window.FormData) return;

  var saveUrl = form.getAttribute("data-autosave-url");
  var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
  var status = form.querySelector("[data-autosave-status]");
  var alertRegion = form.querySelector("[data-autosave-alert]");
  var pending = {};
  var timer = null;
  var inFlight = false;
  var failing = false;
  var DEBOUNCE_MS = 1200;
  var RETRY_MS = 5000;

  function pad(n) { return (n < 10 ? "0" : "") + n; }
  function clock(d) { return pad(d.getHours()) + ":" + pad(d.getMinutes()) + ":" + pad(d.getSeconds()); }

  function slotOf(el) {
    var fieldset = el.closest ? el.closest("[data-slot]") : null;
    return fieldset ? fieldset.getAttribute("data-slot") : null;
  }

  function schedule(delay) {
    clearTimeout(timer);
    timer = setTimeout(flush, delay);
  }

  function onEdit(event) {
    var slot = slotOf(event.target);
    if (!slot) return;
    pending[slot] = true;
    status.textContent = gettext("Änderungen werden gespeichert …");
    schedule(event.type === "change" ? 300 : DEBOUNCE_MS);
  }

  function showErrors(saved, errors) {
    saved.forEach(function (n) { setError(String(n), ""); });
    Object.keys(errors || {}).forEach(function (n) { setError(n, errors[n]); });
  }

  function setError(n, message) {
    var el = form.querySelector("[data-error-for='" + n + "']");
    var fieldset = form.querySelector("[data-slot='" + n + "']");
    if (!el || !fieldset) return;
    el.textContent = message;
    el.hidden = !message;
    if (message) fieldset.setAttribute("aria-invalid", "true"); else fieldset.removeAttribute("aria-invalid");
  }

  function payload(slots) {
    var data = new FormData();
    data.append("csrfmiddlewaretoken", token);
    slots.forEach(function (n) {
      data.append("slots", n);
      var fieldset = form.querySelector("[data-slot='" + n + "']");
      fieldset.querySelectorAll("[name]").forEach(function (el) {
        if ((el.type === "radio" || el.type === "checkbox") && !el.checked) return;
        data.append(el.name, el.value);
      });
    });
    return data;
  }

  function flush(keepalive) {
    var slots = Object.keys(pending);
    if (!slots.length) return Promise.resolve();
    if (inFlight) { schedule(DEBOUNCE_MS); return Promise.resolve(); }
    pending = {};
    inFlight = true;
    return fetch(saveUrl, {
      method: "POST",
      body: payload(slots),
      credentials: "same-origin",
      keepalive: !!keepalive,
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      return response.json().then(function (data) { return { status: response.status, data: data }; });
    }).then(function (result) {
      inFlight = false;
      if (result.status === 409 && result.data.review_url) { window.location.assign(result.data.review_url); return; }
      if (result.status !== 200 && result.status !== 400) throw new Error("status " + result.status);
      showErrors(result.data.saved || [], result.data.errors);
      status.textContent = fill(gettext("Gespeichert um %(time)s."), { time: clock(new Date()) });
      if (result.status === 400) alertRegion.textContent = gettext("Eine Antwort konnte nicht gespeichert werden; bitte prüfen Sie den Hinweis bei der Frage.");
      else if (failing) alertRegion.textContent = gettext("Verbindung wieder da: alle Antworten sind gespeichert.");
      failing = false;
      if (Object.keys(pending).length) schedule(DEBOUNCE_MS);
    }).catch(function () {
      inFlight = false;
      slots.forEach(function (n) { pending[n] = true; });
      status.textContent = gettext("Nicht gespeichert – neuer Versuch in wenigen Sekunden.");
      if (!failing) alertRegion.textContent = gettext("Speichern fehlgeschlagen. Ihre Eingaben bleiben hier erhalten; wir versuchen es erneut.");
      failing = true;
      schedule(RETRY_MS);
    });
  }

  // "x von n beantwortet" follows the answers as they are given (the server's figure on load).
  var counter = document.querySelector("[data-answered-count]");
  function isAnswered(fieldset) {
    var controls = fieldset.querySelectorAll("input, select, textarea");
    for (var i = 0; i < controls.length; i++) {
      var el = controls[i];
      if (el.name === "flagged" || el.type === "hidden") continue;
      if (el.type === "radio" || el.type === "checkbox") { if (el.checked) return true; }
      else if (el.value && el.value.trim() !== "") return true;
    }
    return false;
  }
  function recount() {
    if (!counter) return;
    var n = 0;
    form.querySelectorAll("[data-slot]").forEach(function (fieldset) { if (isAnswered(fieldset)) n += 1; });
    counter.textContent = String(n);
  }
  form.addEventListener("change", recount);
  form.addEventListener("input", recount);

  form.addEventListener("input", onEdit);
  form.addEventListener("change", onEdit);
  // Leaving the page: send what is pending (keepalive lets the request outlive the page).
  document.addEventListener("visibilitychange", function () { if (document.visibilityState === "hidden") flush(true); });
  window.addEventListener("pagehide", function () { flush(true); });
  form.addEventListener("submit", function () { clearTimeout(timer); pending = {}; });
  status.textContent = gettext("Ihre Antworten werden automatisch gespeichert.");

  // Countdown: shown every second, announced to screen readers only at a few moments.
  var box = document.querySelector("[data-deadline]");
  if (!box) return;
  var deadline = Date.parse(box.getAttribute("data-deadline"));
  var skew = Date.parse(box.getAttribute("data-now")) - Date.now();
  var visible = box.querySelector("[data-timer-visible]");
  var announce = box.querySelector("[data-timer-announce]");
  var announced = {};
  var MARKS = [30, 20, 15, 10, 5, 2, 1];

  function tick() {
    var left = Math.max(0, Math.round((deadline - (Date.now() + skew)) / 1000));
    var m = Math.floor(left / 60), s = left % 60;
    visible.textContent = fill(gettext("Noch %(time)s Minuten."), { time: m + ":" + pad(s) });
    var minutes = Math.ceil(left / 60);
    MARKS.forEach(function (mark) {
      if (minutes === mark && !announced[mark] && left > 0) {
        announced[mark] = true;
        announce.textContent = fill(ngettext("Noch %(n)s Minute Zeit.", "Noch %(n)s Minuten Zeit.", mark), { n: mark });
      }
    });
    if (left <= 0) {
      clearInterval(interval);
      announce.textContent = gettext("Die Zeit ist abgelaufen. Ihr Versuch wird abgegeben.");
      // Save what is pending, then reload: the server closes the attempt as of its deadline.
      flush(false).then(function () { window.location.reload(); });
    }
  }
  var interval = setInterval(tick, 1000);
  tick();
})();
