/*
 * H5P.LernplattformQuiz 1.0 - the Lernplattform's own small H5P content type.
 *
 * Single-choice questions rendered as native radio groups (fieldset/legend/label),
 * so keyboard and screen readers work without any ARIA tricks. Reports through the
 * H5P xAPI API: one "answered" statement per question as a sub-statement (its
 * object id carries ?subContentId=..., its context names the quiz as parent) and
 * one "answered" plus one "completed" statement for the whole quiz with
 * result.score.raw/max. Supports resume through getCurrentState()/previousState.
 *
 * Plain ES5 because H5P core loads library scripts as classic scripts.
 */
var H5P = H5P || {};

H5P.LernplattformQuiz = (function () {
  'use strict';

  var DEFAULT_L10N = {
    check: 'Antworten prüfen',
    retry: 'Noch einmal versuchen',
    result: 'Sie haben :score von :max Punkten erreicht.',
    passed: 'Bestanden.',
    failed: 'Noch nicht bestanden.',
    correct: 'richtig',
    wrong: 'falsch',
    questionOf: 'Frage :n von :total',
    answerAll: 'Bitte beantworten Sie zuerst alle Fragen.'
  };

  function format(text, values) {
    return text.replace(/:(\w+)/g, function (match, key) {
      return Object.prototype.hasOwnProperty.call(values, key) ? String(values[key]) : match;
    });
  }

  function el(tag, attrs, text) {
    var node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, attrs[key]);
    });
    if (text !== undefined) {
      node.textContent = text;
    }
    return node;
  }

  /**
   * @param {object} params content.json
   * @param {number|string} contentId
   * @param {object} [extras] H5P extras, may hold previousState and metadata
   */
  function LernplattformQuiz(params, contentId, extras) {
    H5P.EventDispatcher.call(this);
    this.params = params || {};
    this.contentId = contentId;
    this.extras = extras || {};
    this.l10n = {};
    var custom = this.params.l10n || {};
    for (var key in DEFAULT_L10N) {
      this.l10n[key] = typeof custom[key] === 'string' ? custom[key] : DEFAULT_L10N[key];
    }
    this.questions = (this.params.questions || []).map(function (question, index) {
      return {
        id: question.id || 'q' + (index + 1),
        text: question.text || '',
        answers: (question.answers || []).map(function (answer) {
          return {text: answer.text || '', correct: !!answer.correct};
        })
      };
    });
    this.passPercentage = typeof this.params.passPercentage === 'number' ? this.params.passPercentage : 50;
    var state = this.extras.previousState || {};
    this.selected = this.questions.map(function (question, index) {
      var value = state.answers && state.answers[index];
      return typeof value === 'number' && value >= 0 && value < question.answers.length ? value : null;
    });
    this.checked = !!state.checked;
  }

  LernplattformQuiz.prototype = Object.create(H5P.EventDispatcher.prototype);
  LernplattformQuiz.prototype.constructor = LernplattformQuiz;

  LernplattformQuiz.prototype.getTitle = function () {
    var metadata = this.extras.metadata || {};
    return metadata.title || 'Lernplattform-Quiz';
  };

  LernplattformQuiz.prototype.getScore = function () {
    var self = this;
    return this.questions.reduce(function (sum, question, index) {
      var chosen = self.selected[index];
      return sum + (chosen !== null && question.answers[chosen].correct ? 1 : 0);
    }, 0);
  };

  LernplattformQuiz.prototype.getMaxScore = function () {
    return this.questions.length;
  };

  LernplattformQuiz.prototype.getAnswerGiven = function () {
    return this.selected.some(function (value) { return value !== null; });
  };

  LernplattformQuiz.prototype.isPassed = function () {
    var max = this.getMaxScore();
    return max > 0 && (this.getScore() / max) * 100 >= this.passPercentage;
  };

  LernplattformQuiz.prototype.getCurrentState = function () {
    return {answers: this.selected.slice(), checked: this.checked};
  };

  LernplattformQuiz.prototype.resetTask = function () {
    this.selected = this.questions.map(function () { return null; });
    this.checked = false;
    this.render();
  };

  LernplattformQuiz.prototype.showSolutions = function () {
    this.checked = true;
    this.render();
  };

  LernplattformQuiz.prototype.attach = function ($container) {
    this.container = $container.get ? $container.get(0) : $container;
    this.container.classList.add('lp-h5p', 'lp-quiz');
    this.render();
  };

  LernplattformQuiz.prototype.render = function () {
    var self = this;
    var root = this.container;
    if (!root) {
      return;
    }
    root.textContent = '';
    if (this.params.intro) {
      root.appendChild(el('p', {'class': 'lp-quiz-intro'}, this.params.intro));
    }
    // Not a <form>: the player runs in a sandbox without "allow-forms", where
    // submitting is blocked; a plain button works everywhere.
    var form = el('div', {'class': 'lp-quiz-form'});
    this.questions.forEach(function (question, qIndex) {
      var fieldset = el('fieldset', {'class': 'lp-quiz-question'});
      var legend = el('legend');
      legend.appendChild(el('span', {'class': 'lp-quiz-count'},
        format(self.l10n.questionOf, {n: qIndex + 1, total: self.questions.length}) + ': '));
      legend.appendChild(document.createTextNode(question.text));
      fieldset.appendChild(legend);
      question.answers.forEach(function (answer, aIndex) {
        var id = 'lp-quiz-' + self.contentId + '-' + qIndex + '-' + aIndex;
        var row = el('div', {'class': 'lp-quiz-answer'});
        var input = el('input', {type: 'radio', name: 'lp-quiz-' + self.contentId + '-' + qIndex, id: id, value: String(aIndex)});
        input.checked = self.selected[qIndex] === aIndex;
        input.disabled = self.checked;
        input.addEventListener('change', function () {
          self.selected[qIndex] = aIndex;
          self.trigger('resize');
        });
        var label = el('label', {'for': id}, answer.text);
        row.appendChild(input);
        row.appendChild(label);
        if (self.checked && input.checked) {
          var ok = answer.correct;
          row.appendChild(el('span', {'class': 'lp-quiz-mark ' + (ok ? 'lp-quiz-mark-ok' : 'lp-quiz-mark-bad')},
            '(' + (ok ? self.l10n.correct : self.l10n.wrong) + ')'));
        }
        fieldset.appendChild(row);
      });
      form.appendChild(fieldset);
    });
    var actions = el('div', {'class': 'lp-quiz-actions'});
    if (!this.checked) {
      var check = el('button', {type: 'button', 'class': 'lp-quiz-check'}, this.l10n.check);
      check.addEventListener('click', function () {
        self.check();
      });
      actions.appendChild(check);
    }
    else {
      var retry = el('button', {type: 'button', 'class': 'lp-h5p-secondary lp-quiz-retry'}, this.l10n.retry);
      retry.addEventListener('click', function () {
        self.resetTask();
        var first = root.querySelector('input');
        if (first) {
          first.focus();
        }
      });
      actions.appendChild(retry);
    }
    form.appendChild(actions);
    root.appendChild(form);
    this.result = el('p', {'class': 'lp-quiz-result', role: 'status', 'aria-live': 'polite', tabindex: '-1'});
    root.appendChild(this.result);
    if (this.checked) {
      this.showResult();
    }
    this.trigger('resize');
  };

  LernplattformQuiz.prototype.showResult = function () {
    this.result.textContent = format(this.l10n.result, {score: this.getScore(), max: this.getMaxScore()}) +
      ' ' + (this.isPassed() ? this.l10n.passed : this.l10n.failed);
  };

  LernplattformQuiz.prototype.check = function () {
    if (this.selected.some(function (value) { return value === null; })) {
      this.result.textContent = this.l10n.answerAll;
      return;
    }
    this.checked = true;
    this.render();
    this.result.focus();
    this.reportResults();
  };

  LernplattformQuiz.prototype.reportResults = function () {
    var self = this;
    this.questions.forEach(function (question, index) {
      var chosen = self.selected[index];
      var correct = chosen !== null && question.answers[chosen].correct;
      var event = self.createXAPIEventTemplate('answered');
      var statement = event.data.statement;
      var parentId = statement.object.id;
      statement.object.id = parentId + '?subContentId=' + encodeURIComponent(question.id);
      statement.object.definition = {
        name: {'de-DE': question.text},
        interactionType: 'choice',
        type: 'http://adlnet.gov/expapi/activities/cmi.interaction',
        choices: question.answers.map(function (answer, aIndex) {
          return {id: String(aIndex), description: {'de-DE': answer.text}};
        }),
        correctResponsesPattern: question.answers
          .map(function (answer, aIndex) { return answer.correct ? String(aIndex) : null; })
          .filter(function (value) { return value !== null; })
      };
      statement.context = statement.context || {};
      statement.context.contextActivities = statement.context.contextActivities || {};
      statement.context.contextActivities.parent = [{id: parentId, objectType: 'Activity'}];
      event.setScoredResult(correct ? 1 : 0, 1, self, true, correct);
      statement.result.response = chosen === null ? '' : String(chosen);
      self.trigger(event);
    });
    var score = this.getScore();
    var max = this.getMaxScore();
    var passed = this.isPassed();
    this.triggerXAPIScored(score, max, 'answered', true, passed);
    this.triggerXAPIScored(score, max, 'completed', true, passed);
  };

  return LernplattformQuiz;
})();
