// Starts Swagger UI for /api/openapi.json. Kept out of swagger.html so the
// page works under a strict CSP (script-src 'self', no inline scripts).
(function () {
  'use strict';
  function start() {
    window.ui = window.SwaggerUIBundle({
      url: '/api/openapi.json',
      dom_id: '#swagger',
      deepLinking: true,
      presets: [window.SwaggerUIBundle.presets.apis],
      layout: 'BaseLayout',
      // Never contact validator.swagger.io (no third-party requests).
      validatorUrl: null
    });
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
