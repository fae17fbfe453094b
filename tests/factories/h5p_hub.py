"""H5P packages shaped like those the H5P Hub exports, written here for the corpus.

Real content types only reach the platform inside uploaded packages, so the corpus
(tests/courses/h5p/corpus.yaml) needs packages that look like the Hub's: an h5p.json with title,
language, mainLibrary, license, authors and every preloaded library; per library a folder
``<machineName>-<major>.<minor>`` with library.json (patch version, coreApi, preloadedJs/Css,
preloadedDependencies), semantics.json for content types and language/<code>.json with the
editor's labels. The scripts are small, own implementations of each type's playing and scoring
(what matters here is what the package is and what its statements say); no Hub code is copied.

Each public function builds one package and returns its bytes; corpus.yaml lists every one.
"""

from __future__ import annotations

from typing import Any

from courses.h5p.builder import H5PPackageBuilder


def _dep(name: str, major: int, minor: int) -> dict[str, Any]:
    return {"machineName": name, "majorVersion": major, "minorVersion": minor}


def _library(
    name: str,
    major: int,
    minor: int,
    patch: int,
    *,
    title: str,
    runnable: bool = False,
    js: str | None = None,
    css: str | None = None,
    deps: list[dict[str, Any]] | None = None,
    semantics: list[dict[str, Any]] | None = None,
    language: dict[str, Any] | None = None,
    core_api: tuple[int, int] = (1, 19),
    extra: dict[str, Any] | None = None,
) -> dict[str, bytes | str | Any]:
    """The files of one library folder, as ``{relative path: content}``; JSON values stay objects."""
    meta: dict[str, Any] = {
        "title": title,
        "machineName": name,
        "majorVersion": major,
        "minorVersion": minor,
        "patchVersion": patch,
        "runnable": 1 if runnable else 0,
        "license": "MIT",
        "author": "Lernplattform (Nachbau für Tests)",
        "coreApi": {"majorVersion": core_api[0], "minorVersion": core_api[1]},
    }
    if runnable:
        meta["embedTypes"] = ["iframe"]
        meta["fullscreen"] = 0
    files: dict[str, Any] = {}
    short = name.split(".")[-1].lower()
    if js is not None:
        meta["preloadedJs"] = [{"path": f"scripts/{short}.js"}]
        files[f"scripts/{short}.js"] = js
    if css is not None:
        meta["preloadedCss"] = [{"path": f"styles/{short}.css"}]
        files[f"styles/{short}.css"] = css
    if deps:
        meta["preloadedDependencies"] = deps
    meta.update(extra or {})
    files["library.json"] = meta
    if semantics is not None:
        files["semantics.json"] = semantics
    if language is not None:
        files["language/de.json"] = language
    return files


def _add(builder: H5PPackageBuilder, library: dict[str, Any]) -> H5PPackageBuilder:
    meta = library["library.json"]
    folder = f"{meta['machineName']}-{meta['majorVersion']}.{meta['minorVersion']}"
    for path, value in library.items():
        if isinstance(value, str | bytes):
            builder.add_file(f"{folder}/{path}", value)
        else:
            builder.add_json(f"{folder}/{path}", value)
    return builder


def _h5p_json(title: str, main: str, deps: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {
        "title": title,
        "language": "de",
        "mainLibrary": main,
        "embedTypes": ["iframe"],
        "license": "CC BY",
        "licenseVersion": "4.0",
        "defaultLanguage": "de",
        "authors": [{"name": "Kreisverwaltung Beispielkreis", "role": "Author"}],
        "preloadedDependencies": deps,
        **extra,
    }


# --------------------------------------------------------------------------- shared libraries

FONT_AWESOME = _library(
    "FontAwesome", 4, 5, 4, title="Font Awesome", css=".fa{display:inline-block;font-style:normal}\n", core_api=(1, 0)
)
JOUBEL_UI = _library(
    "H5P.JoubelUI",
    1,
    3,
    19,
    title="Joubel UI",
    js=(
        "var H5P = H5P || {};\n"
        "H5P.JoubelUI = (function ($) {\n"
        "  return {\n"
        "    createButton: function (options) {\n"
        "      var button = document.createElement('button');\n"
        "      button.type = 'button';\n"
        "      button.className = 'h5p-joubelui-button ' + (options['class'] || '');\n"
        "      button.textContent = options.html || options.text || '';\n"
        "      if (options.on && options.on.click) { button.addEventListener('click', options.on.click); }\n"
        "      return $ ? $(button) : button;\n"
        "    }\n"
        "  };\n"
        "})(H5P.jQuery);\n"
    ),
    css=".h5p-joubelui-button{border-radius:.25em;padding:.5em 1em}\n",
    deps=[_dep("FontAwesome", 4, 5)],
)
QUESTION = _library(
    "H5P.Question",
    1,
    5,
    10,
    title="Question",
    js=(
        "var H5P = H5P || {};\n"
        "H5P.Question = (function (EventDispatcher) {\n"
        "  function Question(type) {\n"
        "    EventDispatcher.call(this);\n"
        "    this.questionType = type;\n"
        "  }\n"
        "  Question.prototype = Object.create(EventDispatcher.prototype);\n"
        "  Question.prototype.constructor = Question;\n"
        "  // An 'answered' statement with the score, as Hub question types send it.\n"
        "  Question.prototype.reportAnswered = function (score, max) {\n"
        "    this.triggerXAPIScored(score, max, 'answered', true, score === max);\n"
        "  };\n"
        "  return Question;\n"
        "})(H5P.EventDispatcher);\n"
    ),
    css=".h5p-question-feedback{margin-top:1em}\n",
    deps=[_dep("H5P.JoubelUI", 1, 3)],
    language={"semantics": [{"label": "Rückmeldung"}]},
)
ADVANCED_TEXT = _library(
    "H5P.AdvancedText",
    1,
    1,
    14,
    title="Text",
    runnable=True,
    js=(
        "var H5P = H5P || {};\n"
        "H5P.AdvancedText = function (params) {\n"
        "  this.attach = function ($container) {\n"
        "    var div = document.createElement('div');\n"
        "    div.className = 'h5p-advanced-text';\n"
        "    div.textContent = params.text || '';\n"
        "    $container.get(0).appendChild(div);\n"
        "  };\n"
        "};\n"
    ),
    semantics=[{"name": "text", "type": "text", "widget": "html", "label": "Text"}],
    language={"semantics": [{"label": "Text"}]},
)

MULTICHOICE_JS = (
    "var H5P = H5P || {};\n"
    "H5P.MultiChoice = function (params, contentId) {\n"
    "  H5P.Question.call(this, 'multichoice');\n"
    "  var self = this;\n"
    "  var answers = params.answers || [];\n"
    "  var max = params.behaviour && params.behaviour.singlePoint ? 1\n"
    "    : answers.filter(function (a) { return a.correct; }).length;\n"
    "  this.getMaxScore = function () { return max; };\n"
    "  this.attach = function ($container) {\n"
    "    var root = $container.get(0);\n"
    "    var form = document.createElement('fieldset');\n"
    "    var legend = document.createElement('legend');\n"
    "    legend.textContent = params.question || '';\n"
    "    form.appendChild(legend);\n"
    "    answers.forEach(function (answer, index) {\n"
    "      var label = document.createElement('label');\n"
    "      var box = document.createElement('input');\n"
    "      box.type = 'checkbox'; box.value = index;\n"
    "      label.appendChild(box); label.appendChild(document.createTextNode(' ' + answer.text));\n"
    "      form.appendChild(label);\n"
    "    });\n"
    "    var check = document.createElement('button');\n"
    "    check.type = 'button'; check.textContent = (params.UI && params.UI.checkAnswerButton) || 'Check';\n"
    "    check.addEventListener('click', function () {\n"
    "      var score = 0;\n"
    "      form.querySelectorAll('input').forEach(function (box) {\n"
    "        var right = answers[box.value].correct;\n"
    "        if (box.checked) { score += right ? 1 : -1; }\n"
    "      });\n"
    "      score = Math.max(0, Math.min(max, score));\n"
    "      self.reportAnswered(score, max);\n"
    "    });\n"
    "    root.appendChild(form); root.appendChild(check);\n"
    "  };\n"
    "};\n"
    "H5P.MultiChoice.prototype = Object.create(H5P.Question.prototype);\n"
    "H5P.MultiChoice.prototype.constructor = H5P.MultiChoice;\n"
)
MULTICHOICE = _library(
    "H5P.MultiChoice",
    1,
    16,
    4,
    title="Multiple Choice",
    runnable=True,
    js=MULTICHOICE_JS,
    css=".h5p-multichoice label{display:block}\n",
    deps=[_dep("H5P.Question", 1, 5), _dep("H5P.JoubelUI", 1, 3), _dep("FontAwesome", 4, 5)],
    semantics=[
        {"name": "question", "type": "text", "widget": "html", "label": "Frage"},
        {
            "name": "answers",
            "type": "list",
            "label": "Antworten",
            "min": 1,
            "entity": "Antwort",
            "field": {
                "name": "answer",
                "type": "group",
                "label": "Antwort",
                "fields": [
                    {"name": "text", "type": "text", "widget": "html", "label": "Text"},
                    {"name": "correct", "type": "boolean", "label": "Richtig", "default": False},
                ],
            },
        },
        {
            "name": "behaviour",
            "type": "group",
            "label": "Verhalten",
            "optional": True,
            "fields": [{"name": "singlePoint", "type": "boolean", "label": "Ein Punkt", "default": False}],
        },
        {
            "name": "UI",
            "type": "group",
            "label": "Texte",
            "common": True,
            "optional": True,
            "fields": [{"name": "checkAnswerButton", "type": "text", "label": "Prüfen", "default": "Prüfen"}],
        },
    ],
    language={"semantics": [{"label": "Frage"}, {"label": "Antworten"}, {"label": "Verhalten"}, {"label": "Texte"}]},
)
TRUE_FALSE = _library(
    "H5P.TrueFalse",
    1,
    8,
    7,
    title="True/False Question",
    runnable=True,
    js=(
        "var H5P = H5P || {};\n"
        "H5P.TrueFalse = function (params) {\n"
        "  H5P.Question.call(this, 'true-false');\n"
        "  var self = this;\n"
        "  this.getMaxScore = function () { return 1; };\n"
        "  this.attach = function ($container) {\n"
        "    [true, false].forEach(function (value) {\n"
        "      var button = document.createElement('button');\n"
        "      button.type = 'button';\n"
        "      button.textContent = value ? params.l10n.trueText : params.l10n.falseText;\n"
        "      button.addEventListener('click', function () {\n"
        "        self.reportAnswered(value === (params.correct === 'true') ? 1 : 0, 1);\n"
        "      });\n"
        "      $container.get(0).appendChild(button);\n"
        "    });\n"
        "  };\n"
        "};\n"
        "H5P.TrueFalse.prototype = Object.create(H5P.Question.prototype);\n"
        "H5P.TrueFalse.prototype.constructor = H5P.TrueFalse;\n"
    ),
    deps=[_dep("H5P.Question", 1, 5), _dep("H5P.JoubelUI", 1, 3), _dep("FontAwesome", 4, 5)],
    semantics=[
        {"name": "question", "type": "text", "widget": "html", "label": "Aussage"},
        {
            "name": "correct",
            "type": "select",
            "label": "Richtige Antwort",
            "options": [{"value": "true", "label": "Wahr"}, {"value": "false", "label": "Falsch"}],
            "default": "true",
        },
        {
            "name": "l10n",
            "type": "group",
            "common": True,
            "label": "Texte",
            "fields": [
                {"name": "trueText", "type": "text", "label": "Wahr", "default": "Wahr"},
                {"name": "falseText", "type": "text", "label": "Falsch", "default": "Falsch"},
            ],
        },
    ],
    language={"semantics": [{"label": "Aussage"}, {"label": "Richtige Antwort"}, {"label": "Texte"}]},
)
QUESTION_SET = _library(
    "H5P.QuestionSet",
    1,
    20,
    11,
    title="Question Set",
    runnable=True,
    js=(
        "var H5P = H5P || {};\n"
        "// Plays its questions one after another; each sends its own 'answered' (a sub-statement of\n"
        "// this set), then the set sends 'completed' with the sum.\n"
        "H5P.QuestionSet = function (params, contentId) {\n"
        "  H5P.EventDispatcher.call(this);\n"
        "  var self = this;\n"
        "  var instances = [];\n"
        "  this.attach = function ($container) {\n"
        "    (params.questions || []).forEach(function (question) {\n"
        "      var wrapper = H5P.jQuery('<div class=\"h5p-question-set-item\"></div>');\n"
        "      var instance = H5P.newRunnable(question, contentId, wrapper, false, {parent: self});\n"
        "      instance.on('xAPI', function (event) {\n"
        "        if (event.getVerb() === 'answered') { instance.answered = event.getScore(); finish(); }\n"
        "      });\n"
        "      instances.push(instance);\n"
        "      $container.append(wrapper);\n"
        "    });\n"
        "  };\n"
        "  function finish() {\n"
        "    if (instances.some(function (i) { return i.answered === undefined; })) { return; }\n"
        "    var score = 0, max = 0;\n"
        "    instances.forEach(function (i) { score += i.answered; max += i.getMaxScore(); });\n"
        "    var passed = score * 100 / max >= params.passPercentage;\n"
        "    self.triggerXAPIScored(score, max, 'completed', true, passed);\n"
        "  }\n"
        "};\n"
        "H5P.QuestionSet.prototype = Object.create(H5P.EventDispatcher.prototype);\n"
        "H5P.QuestionSet.prototype.constructor = H5P.QuestionSet;\n"
    ),
    css=".h5p-question-set-item{margin-bottom:1.5em}\n",
    deps=[_dep("H5P.JoubelUI", 1, 3), _dep("FontAwesome", 4, 5)],
    semantics=[
        {"name": "introPage", "type": "group", "label": "Startseite", "optional": True, "fields": []},
        {
            "name": "questions",
            "type": "list",
            "label": "Fragen",
            "min": 1,
            "entity": "Frage",
            "field": {
                "name": "question",
                "type": "library",
                "label": "Frage",
                "options": ["H5P.MultiChoice 1.16", "H5P.TrueFalse 1.8"],
            },
        },
        {"name": "passPercentage", "type": "number", "label": "Bestehensgrenze", "default": 50, "min": 0, "max": 100},
    ],
    language={"semantics": [{"label": "Startseite"}, {"label": "Fragen"}, {"label": "Bestehensgrenze"}]},
)
ACCORDION = _library(
    "H5P.Accordion",
    1,
    0,
    27,
    title="Accordion",
    runnable=True,
    js=(
        "var H5P = H5P || {};\n"
        "H5P.Accordion = function (params, contentId) {\n"
        "  H5P.EventDispatcher.call(this);\n"
        "  this.attach = function ($container) {\n"
        "    (params.panels || []).forEach(function (panel) {\n"
        "      var details = document.createElement('details');\n"
        "      var summary = document.createElement('summary');\n"
        "      summary.textContent = panel.title;\n"
        "      details.appendChild(summary);\n"
        "      var body = H5P.jQuery('<div></div>');\n"
        "      H5P.newRunnable(panel.content, contentId, body);\n"
        "      details.appendChild(body.get(0));\n"
        "      $container.get(0).appendChild(details);\n"
        "    });\n"
        "  };\n"
        "};\n"
        "H5P.Accordion.prototype = Object.create(H5P.EventDispatcher.prototype);\n"
        "H5P.Accordion.prototype.constructor = H5P.Accordion;\n"
    ),
    css=".h5p-accordion summary{cursor:pointer}\n",
    deps=[_dep("FontAwesome", 4, 5)],
    semantics=[
        {
            "name": "panels",
            "type": "list",
            "label": "Abschnitte",
            "min": 1,
            "entity": "Abschnitt",
            "field": {
                "name": "panel",
                "type": "group",
                "label": "Abschnitt",
                "fields": [
                    {"name": "title", "type": "text", "label": "Titel"},
                    {"name": "content", "type": "library", "label": "Inhalt", "options": ["H5P.AdvancedText 1.1"]},
                ],
            },
        }
    ],
    language={"semantics": [{"label": "Abschnitte"}]},
)

MC_DEPS = [
    _dep("H5P.MultiChoice", 1, 16),
    _dep("H5P.Question", 1, 5),
    _dep("H5P.JoubelUI", 1, 3),
    _dep("FontAwesome", 4, 5),
]


def _with(builder: H5PPackageBuilder, *libraries: dict[str, Any]) -> H5PPackageBuilder:
    for library in libraries:
        _add(builder, library)
    return builder


def _multichoice_builder() -> H5PPackageBuilder:
    content = {
        "question": "<p>Welche Angaben gehören in ein Verzeichnis von Verarbeitungstätigkeiten?</p>",
        "answers": [
            {"text": "<div>Zwecke der Verarbeitung</div>", "correct": True},
            {"text": "<div>Kategorien betroffener Personen</div>", "correct": True},
            {"text": "<div>Privatadressen der Beschäftigten</div>", "correct": False},
        ],
        "behaviour": {"singlePoint": False},
        "UI": {"checkAnswerButton": "Überprüfen"},
    }
    builder = H5PPackageBuilder().h5p_json(_h5p_json("Verarbeitungsverzeichnis", "H5P.MultiChoice", MC_DEPS))
    return _with(builder.content_json(content), MULTICHOICE, QUESTION, JOUBEL_UI, FONT_AWESOME)


# --------------------------------------------------------------------------- accepted packages


def hub_multichoice() -> bytes:
    """Multiple Choice as the Hub exports it: sends only 'answered' with the score."""
    return _multichoice_builder().build()


def hub_true_false() -> bytes:
    deps = [
        _dep("H5P.TrueFalse", 1, 8),
        _dep("H5P.Question", 1, 5),
        _dep("H5P.JoubelUI", 1, 3),
        _dep("FontAwesome", 4, 5),
    ]
    content = {
        "question": "<p>Open Data dürfen personenbezogene Daten enthalten.</p>",
        "correct": "false",
        "l10n": {"trueText": "Wahr", "falseText": "Falsch"},
    }
    builder = H5PPackageBuilder().h5p_json(_h5p_json("Offene Daten", "H5P.TrueFalse", deps)).content_json(content)
    return _with(builder, TRUE_FALSE, QUESTION, JOUBEL_UI, FONT_AWESOME).build()


def hub_question_set() -> bytes:
    """A container: its questions report as sub-statements, the set 'completed' with the sum."""
    deps = [
        _dep("H5P.QuestionSet", 1, 20),
        *MC_DEPS,
        _dep("H5P.TrueFalse", 1, 8),
    ]
    content = {
        "passPercentage": 50,
        "questions": [
            {
                "library": "H5P.MultiChoice 1.16",
                "subContentId": "7f1c0b9e-2f4a-4c1e-9a57-3b7c2d5e8a10",
                "params": {
                    "question": "<p>Wer benennt die Datenschutzbeauftragte?</p>",
                    "answers": [
                        {"text": "Die Behördenleitung", "correct": True},
                        {"text": "Der Rat", "correct": False},
                    ],
                },
            },
            {
                "library": "H5P.TrueFalse 1.8",
                "subContentId": "c2a9d4e1-8b3f-4f60-a1d2-5e6f7a8b9c01",
                "params": {"question": "<p>Eine Datenpanne ist binnen 72 Stunden zu melden.</p>", "correct": "true"},
            },
        ],
    }
    builder = (
        H5PPackageBuilder().h5p_json(_h5p_json("Datenschutz-Check", "H5P.QuestionSet", deps)).content_json(content)
    )
    return _with(builder, QUESTION_SET, MULTICHOICE, TRUE_FALSE, QUESTION, JOUBEL_UI, FONT_AWESOME).build()


def hub_accordion() -> bytes:
    """Non-scoring content: the activity completes on viewing."""
    deps = [_dep("H5P.Accordion", 1, 0), _dep("H5P.AdvancedText", 1, 1), _dep("FontAwesome", 4, 5)]
    content = {
        "panels": [
            {
                "title": "Was ist DCAT-AP.de?",
                "content": {
                    "library": "H5P.AdvancedText 1.1",
                    "subContentId": "1b2c3d4e-5f60-4718-8293-a4b5c6d7e8f9",
                    "params": {"text": "<p>Das deutsche Metadatenschema für offene Verwaltungsdaten.</p>"},
                },
            }
        ]
    }
    builder = H5PPackageBuilder().h5p_json(_h5p_json("Begriffe zu Open Data", "H5P.Accordion", deps))
    return _with(builder.content_json(content), ACCORDION, ADVANCED_TEXT, FONT_AWESOME).build()


def hub_identical_duplicate_entry() -> bytes:
    """Some exporters write an entry twice with the same bytes; H5P core overwrites, so it is accepted."""
    builder = _multichoice_builder()
    entry = builder.entries["H5P.MultiChoice-1.16/language/de.json"]
    return builder.add_duplicate(entry.name, entry.data).build()


# --------------------------------------------------------------------------- refused packages


def hub_svg_in_content() -> bytes:
    """core 1.27 refuses svg in content/ (scriptable); libraries may keep their icons."""
    builder = _multichoice_builder()
    builder.add_file("content/images/wappen.svg", '<svg xmlns="http://www.w3.org/2000/svg"><script>1</script></svg>')
    return builder.build()


def hub_invalid_language_json() -> bytes:
    builder = _multichoice_builder()
    return builder.add_file("H5P.MultiChoice-1.16/language/de.json", '{"semantics": [ {"label": "Frage"} ').build()


def hub_core_api_too_new() -> bytes:
    newer = _library(
        "H5P.MultiChoice",
        1,
        16,
        4,
        title="Multiple Choice",
        runnable=True,
        js=MULTICHOICE_JS,
        deps=[_dep("H5P.Question", 1, 5), _dep("H5P.JoubelUI", 1, 3), _dep("FontAwesome", 4, 5)],
        semantics=MULTICHOICE["semantics.json"],
        core_api=(1, 99),
    )
    builder = H5PPackageBuilder().h5p_json(_h5p_json("Zu neu", "H5P.MultiChoice", MC_DEPS))
    builder.content_json(_multichoice_content())
    return _with(builder, newer, QUESTION, JOUBEL_UI, FONT_AWESOME).build()


def _multichoice_content() -> dict[str, Any]:
    return {"question": "<p>Frage</p>", "answers": [{"text": "A", "correct": True}, {"text": "B", "correct": False}]}


def hub_conflicting_duplicate_entry() -> bytes:
    builder = _multichoice_builder()
    return builder.add_duplicate("content/content.json", '{"question": "<p>Andere Frage</p>", "answers": []}').build()


def hub_missing_library() -> bytes:
    """h5p.json needs H5P.Question, but the package does not carry it (and the platform has none)."""
    builder = H5PPackageBuilder().h5p_json(_h5p_json("Unvollständig", "H5P.MultiChoice", MC_DEPS))
    return _with(builder.content_json(_multichoice_content()), MULTICHOICE, JOUBEL_UI, FONT_AWESOME).build()


def hub_path_traversal() -> bytes:
    return _multichoice_builder().add_file("content/../../../etc/cron.d/h5p", "* * * * * root id\n").build()


def hub_symlink() -> bytes:
    return _multichoice_builder().add_symlink("content/images/passwd.png", "/etc/passwd").build()


def hub_missing_h5p_json() -> bytes:
    return _multichoice_builder().remove("h5p.json").build()
