/*
 * Runs inside the sandboxed player iframe (opaque origin, no cookies, no API).
 * Waits for the parent's "init" message, starts h5p-standalone, and reports
 * xAPI statements, saved state and its height back to the parent by postMessage.
 * The parent decides what to believe; nothing here is trusted.
 */
(function () {
  'use strict';

  // In a sandbox without allow-same-origin, merely reading window.localStorage throws,
  // and H5P core reads it unguarded (clipboard, request queue). A per-page memory
  // store keeps H5P working; nothing persists, which is what we want here.
  function memoryStorage() {
    var items = {};
    return {
      get length() { return Object.keys(items).length; },
      key: function (i) { return Object.keys(items)[i] || null; },
      getItem: function (k) { return Object.prototype.hasOwnProperty.call(items, k) ? items[k] : null; },
      setItem: function (k, v) { items[k] = String(v); },
      removeItem: function (k) { delete items[k]; },
      clear: function () { items = {}; }
    };
  }
  ['localStorage', 'sessionStorage'].forEach(function (name) {
    try {
      window[name].getItem('probe');
    }
    catch (error) {
      Object.defineProperty(window, name, {value: memoryStorage(), configurable: true});
    }
  });

  var config = JSON.parse(document.getElementById('h5p-frame-config').textContent);
  var container = document.getElementById('h5p-container');
  var parentWindow = window.parent;
  var started = false;
  var lastState = null;

  function post(message) {
    message.source = 'lp-h5p';
    message.content = config.contentId;
    // The parent checks our identity by event.source; these messages hold no secrets.
    parentWindow.postMessage(message, '*');
  }

  function currentState() {
    var integration = window.H5PIntegration;
    var data = integration && integration.contents && integration.contents['cid-' + config.contentId];
    var userData = data && data.contentUserData;
    var main = userData && userData[0];
    return main && typeof main.state === 'string' && main.state !== 'RESET' ? main.state : null;
  }

  function sendState() {
    var state = currentState();
    if (state !== null && state !== lastState) {
      lastState = state;
      post({type: 'state', state: state});
    }
  }

  // Measure the content, not the document: document.scrollHeight is never smaller than the
  // frame's viewport, so reporting it made every frame grow by the parent's padding forever.
  var errorBox = document.getElementById('h5p-error');
  var lastHeight = -1;
  function contentHeight() {
    var height = container.getBoundingClientRect().height;
    if (!errorBox.hidden) {
      height += errorBox.getBoundingClientRect().height;
    }
    return Math.ceil(height);
  }
  function reportHeight() {
    var height = contentHeight();
    if (height !== lastHeight) {
      lastHeight = height;
      post({type: 'resize', height: height});
    }
  }

  function start(init) {
    var options = {
      id: config.contentId,
      h5pJsonPath: config.h5pJsonPath,
      contentJsonPath: config.contentJsonPath,
      librariesPath: config.librariesPath,
      frameJs: config.frameJs,
      frameCss: config.frameCss,
      // H5P's own "iframe" embedding writes into an about:blank child frame; inside our
      // sandbox that child gets its own opaque origin and cannot be written to. Our
      // sandboxed frame already is the isolating iframe, so H5P renders as a div here.
      embedType: 'div',
      frame: false,
      icon: false,
      copyright: false,
      export: false,
      embed: false,
      // One fullscreen control only: ours on the page ("Vollbild"), which takes the whole frame.
      fullScreen: false,
      xAPIObjectIRI: init.iri,
      // Without "user" H5P core never tries to save over AJAX; we relay instead.
      saveFreq: init.saveFreq || false
    };
    if (init.state) {
      options.contentUserData = [{state: init.state}];
    }
    // Inside the sandbox our document has an opaque origin, so every H5P file is cross-origin.
    // Images a content type draws on a canvas (H5P.Agamotto, image hotspots ...) must load in
    // CORS mode or the canvas is tainted and reading it throws. H5P core's setSource() asks
    // H5PIntegration.crossorigin for package-relative paths and crossoriginRegex for absolute
    // URLs; h5p-standalone merges a window.H5PIntegration that exists before it starts. The
    // file views answer every request with "Access-Control-Allow-Origin: *".
    var filesOrigin = new URL(config.librariesPath, window.location.href).origin;
    window.H5PIntegration = {
      crossorigin: 'anonymous',
      crossoriginRegex: '^' + filesOrigin.replace(/[.*+?^${}()|[\]\\]/g, '\\$&') + '/'
    };
    new H5PStandalone.H5P(container, options).then(function () {
      window.H5P.externalDispatcher.on('xAPI', function (event) {
        var statement = JSON.parse(JSON.stringify(event.data.statement));
        if (init.actor) {
          statement.actor = {objectType: 'Agent', name: init.actor.name, mbox: 'mailto:' + init.actor.mail};
        }
        post({type: 'xapi', statement: statement});
        var verb = statement.verb && statement.verb.id;
        if (verb === 'http://adlnet.gov/expapi/verbs/completed' || verb === 'http://adlnet.gov/expapi/verbs/answered') {
          window.setTimeout(sendState, 500);
        }
      });
      if (init.saveFreq) {
        window.setInterval(sendState, init.saveFreq * 1000);
      }
      window.addEventListener('pagehide', sendState);
      post({type: 'loaded'});
      reportHeight();
    }).catch(function (error) {
      errorBox.hidden = false;
      post({type: 'error', message: String(error && error.message || error)});
      reportHeight();
    });
  }

  window.addEventListener('message', function (event) {
    if (event.source !== parentWindow) {
      return;
    }
    var data = event.data;
    if (!data || data.source !== 'lp-h5p' || data.type !== 'init' || started) {
      return;
    }
    started = true;
    start(data);
  });

  if (window.ResizeObserver) {
    var observer = new ResizeObserver(reportHeight);
    observer.observe(container);
    observer.observe(errorBox);
  }
  // Fallback for content that changes size without a layout observer noticing (images, fonts).
  window.setInterval(reportHeight, 1000);
  post({type: 'ready'});
}());
