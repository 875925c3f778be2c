// Anze — small page helpers. No framework, no inline handlers; all
// listeners are delegated so they also cover content swapped in by htmx.
(function () {
  'use strict';

  function csrfToken() {
    var meta = document.querySelector('meta[name="csrf-token"]');
    return meta ? meta.getAttribute('content') : null;
  }

  // (a) Send the CSRF token with every htmx request.
  function initHtmx() {
    document.body.addEventListener('htmx:configRequest', function (evt) {
      var token = csrfToken();
      if (token) {
        evt.detail.headers['X-CSRF-Token'] = token;
      }
    });
  }
  if (document.body) {
    initHtmx();
  } else {
    document.addEventListener('DOMContentLoaded', initHtmx);
  }

  // (b) data-confirm="message" on a form or on its submit button.
  // Capture phase on window runs before htmx's own submit listener on the
  // form, so a cancelled confirm stops both normal and htmx submissions.
  window.addEventListener('submit', function (evt) {
    var form = evt.target;
    var submitter = evt.submitter;
    var message = null;
    if (submitter && submitter.hasAttribute('data-confirm')) {
      message = submitter.getAttribute('data-confirm');
    } else if (form && form.hasAttribute && form.hasAttribute('data-confirm')) {
      message = form.getAttribute('data-confirm');
    }
    if (message && !window.confirm(message)) {
      evt.preventDefault();
      evt.stopImmediatePropagation();
    }
  }, true);

  // (c) <input type="file" data-filename-target="ID"> shows the chosen file
  // name(s) in the element with that id.
  document.addEventListener('change', function (evt) {
    var input = evt.target;
    if (!input || input.type !== 'file' || !input.hasAttribute('data-filename-target')) {
      return;
    }
    var target = document.getElementById(input.getAttribute('data-filename-target'));
    if (!target) {
      return;
    }
    if (!target.hasAttribute('data-empty-text')) {
      target.setAttribute('data-empty-text', target.textContent);
    }
    var names = [];
    for (var i = 0; input.files && i < input.files.length; i++) {
      names.push(input.files[i].name);
    }
    target.textContent = names.length ? names.join(', ') : target.getAttribute('data-empty-text');
  });
})();
