/*
 * Runs on our own pages, around each sandboxed H5P player iframe.
 * The iframe has an opaque origin and no access to the session; this script is
 * the only bridge: it answers "ready" with the saved state, and forwards xAPI
 * statements and state to our API with the session cookie and CSRF token -
 * after checking who sent them, their shape and the activity they claim.
 */
(function () {
  'use strict';

  // The include may appear several times on a page; run once.
  if (window.lpH5PEmbed) {
    return;
  }
  window.lpH5PEmbed = true;

  var MIN_HEIGHT = 64;
  var MAX_HEIGHT = 6000;

  function csrfToken() {
    var match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : '';
  }

  // One request at a time, in the order the player sent them ("answered" before "completed").
  var queue = Promise.resolve();

  function send(url, body) {
    queue = queue.then(function () {
      return window.fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: {'Content-Type': 'application/json', 'X-CSRFToken': csrfToken()},
        body: JSON.stringify(body)
      });
    }).catch(function () { /* offline: the next save carries the state again */ });
    return queue;
  }

  function isObject(value) {
    return value !== null && typeof value === 'object' && !Array.isArray(value);
  }

  function validStatement(statement, iri) {
    if (!isObject(statement) || !isObject(statement.verb) || !isObject(statement.object)) {
      return false;
    }
    var id = statement.object.id;
    if (typeof statement.verb.id !== 'string' || typeof id !== 'string') {
      return false;
    }
    // Our activity, or a question inside it; anything else claims another activity.
    return id === iri || id.indexOf(iri + '?subContentId=') === 0;
  }

  function setup(wrapper) {
    if (wrapper.hasAttribute('data-h5p-started')) {
      return;
    }
    wrapper.setAttribute('data-h5p-started', '');
    var config = JSON.parse(wrapper.querySelector('script[type="application/json"]').textContent);
    var iframe = wrapper.querySelector('iframe');
    var status = wrapper.querySelector('[data-h5p-status]');
    var allowedOrigins = ['null'];
    if (config.frameOrigin && config.frameOrigin !== 'null') {
      allowedOrigins.push(config.frameOrigin);
    }

    window.addEventListener('message', function (event) {
      if (event.source !== iframe.contentWindow || allowedOrigins.indexOf(event.origin) === -1) {
        return;
      }
      var data = event.data;
      if (!isObject(data) || data.source !== 'lp-h5p' || String(data.content) !== String(config.content)) {
        return;
      }
      if (data.type === 'ready') {
        iframe.contentWindow.postMessage({
          source: 'lp-h5p',
          type: 'init',
          iri: config.iri,
          state: config.state,
          actor: config.actor,
          saveFreq: config.stateUrl ? config.saveFreq : false
        }, '*');
      }
      else if (data.type === 'resize' && typeof data.height === 'number') {
        // Exactly the content's height (the frame is content-box, its border comes on top).
        var height = Math.max(MIN_HEIGHT, Math.min(MAX_HEIGHT, Math.ceil(data.height)));
        if (iframe.style.height !== height + 'px') {
          iframe.style.height = height + 'px';
        }
      }
      else if (data.type === 'xapi' && config.xapiUrl && validStatement(data.statement, config.iri)) {
        send(config.xapiUrl, {page: config.page, content: config.content, statement: data.statement});
      }
      else if (data.type === 'state' && config.stateUrl && typeof data.state === 'string' && data.state.length < 200000) {
        config.state = data.state;
        send(config.stateUrl, {page: config.page, content: config.content, state: data.state});
      }
      else if (data.type === 'error' && status) {
        status.hidden = false;
      }
    });
    var fullscreen = wrapper.querySelector('[data-h5p-fullscreen]');
    if (fullscreen) {
      if (!wrapper.requestFullscreen) {
        fullscreen.hidden = true;
      }
      fullscreen.addEventListener('click', function () {
        if (document.fullscreenElement) {
          document.exitFullscreen();
        }
        else {
          wrapper.requestFullscreen().then(function () { iframe.focus(); });
        }
      });
    }
    iframe.src = config.frameUrl;
  }

  function init() {
    var wrappers = document.querySelectorAll('[data-h5p-embed]');
    if (!('IntersectionObserver' in window)) {
      Array.prototype.forEach.call(wrappers, setup);
      return;
    }
    // Lazy: several items on one lesson page start only when they come near the viewport.
    var observer = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) {
          observer.unobserve(entry.target);
          setup(entry.target);
        }
      });
    }, {rootMargin: '200px'});
    Array.prototype.forEach.call(wrappers, function (wrapper) { observer.observe(wrapper); });
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', init);
  }
  else {
    init();
  }
}());
