/* Practice questions in lessons: check an answer without leaving the page. Works without this file too. */
(function () {
  "use strict";
  if (window.lpPracticeReady || !window.fetch) return;
  window.lpPracticeReady = true;
  // Strings come from the djangojs catalogue (/i18n/js/); without it the German msgids stand.
  var gettext = window.gettext || function (msgid) { return msgid; };

  function render(box, result) {
    box.textContent = "";
    var p = document.createElement("p");
    p.className = "practice-result__message practice-result--" + result.state;
    var strong = document.createElement("strong");
    strong.textContent = result.message;
    p.appendChild(strong);
    box.appendChild(p);
    // Feedback is HTML the server has sanitised (nh3); correct answers are plain text.
    (result.feedback || []).forEach(function (html) {
      var div = document.createElement("div");
      div.innerHTML = html;
      box.appendChild(div);
    });
    if (result.correct && result.correct.length) {
      var intro = document.createElement("p");
      intro.textContent = gettext("Richtige Antwort:");
      var list = document.createElement("ul");
      result.correct.forEach(function (text) {
        var li = document.createElement("li");
        li.textContent = text;
        list.appendChild(li);
      });
      box.appendChild(intro);
      box.appendChild(list);
    }
    if (result.note) {
      var note = document.createElement("p");
      note.className = "practice-result__note";
      note.textContent = result.note;
      box.appendChild(note);
    }
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("[data-practice]")) return;
    event.preventDefault();
    var box = form.querySelector("[data-practice-result]");
    var token = form.querySelector("input[name=csrfmiddlewaretoken]").value;
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: { "X-CSRFToken": token, "Accept": "application/json" }
    }).then(function (response) {
      // Refusals (expired, not signed in, another person's page) come as JSON with a German message.
      return response.json().then(function (result) {
        if (!response.ok && !result.message) throw new Error("status " + response.status);
        return result;
      });
    }).then(function (result) { render(box, result); })
      .catch(function () { box.textContent = gettext("Die Prüfung ist gerade nicht möglich. Bitte versuchen Sie es gleich noch einmal."); });
  });
})();
