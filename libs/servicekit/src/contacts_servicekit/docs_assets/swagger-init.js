// Starts Swagger UI on this service's OpenAPI document. A file of its own, not an inline
// script, so the page's Content-Security-Policy can refuse every inline script.
"use strict";
window.ui = SwaggerUIBundle({
  url: document.getElementById("swagger-ui").dataset.openapiUrl,
  dom_id: "#swagger-ui",
  layout: "BaseLayout",
  deepLinking: true,
  displayOperationId: true, // the client's method names
  showExtensions: true,
  showCommonExtensions: true,
  validatorUrl: null, // the default would send the document to a public validator
  presets: [SwaggerUIBundle.presets.apis, SwaggerUIBundle.SwaggerUIStandalonePreset],
});
