/*
 * Runs inside the sandboxed player iframe (opaque origin, no cookies, no API).
 * Waits for the parent's "init" message, starts h5p-standalone, and reports
 * xAPI statements, saved state and its height back to the parent by postMessage.
 * The parent decides what to believe; nothing here is trusted.
 */
(function () {
  'use strict';

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

  function reportHeight() {
    post({type: 'resize', height: Math.ceil(document.documentElement.scrollHeight)});
  }

  function start(init) {
    var options = {
      id: config.contentId,
      h5pJsonPath: config.h5pJsonPath,
      contentJsonPath: config.contentJsonPath,
      librariesPath: config.librariesPath,
      frameJs: config.frameJs,
      frameCss: config.frameCss,
      frame: false,
      icon: false,
      copyright: false,
      export: false,
      embed: false,
      fullScreen: true,
      xAPIObjectIRI: init.iri,
      // Without "user" H5P core never tries to save over AJAX; we relay instead.
      saveFreq: init.saveFreq || false
    };
    if (init.state) {
      options.contentUserData = [{state: init.state}];
    }
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
    }).catch(function () {
      document.getElementById('h5p-error').hidden = false;
      post({type: 'error'});
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
    new ResizeObserver(reportHeight).observe(document.documentElement);
  }
  window.setInterval(reportHeight, 1000);
  post({type: 'ready'});
}());
