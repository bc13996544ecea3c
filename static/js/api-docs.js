// Start Swagger UI on the API documentation page (api/templates/api/swagger_ui.html) from its data attributes.
document.addEventListener("DOMContentLoaded", function () {
  var holder = document.getElementById("swagger-ui");
  if (!holder || typeof SwaggerUIBundle === "undefined") { return; }
  var csrfHeader = holder.getAttribute("data-csrf-header");
  var csrfToken = holder.getAttribute("data-csrf-token");
  window.ui = SwaggerUIBundle({
    url: holder.getAttribute("data-schema-url"),
    dom_id: "#swagger-ui",
    presets: [SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
    deepLinking: true,
    // A logged-in browser session calls the API with its cookie: writes then need the CSRF token.
    requestInterceptor: function (request) {
      var method = (request.method || "GET").toUpperCase();
      if (method !== "GET" && method !== "HEAD" && request.credentials === "same-origin" && csrfHeader && csrfToken) {
        request.headers[csrfHeader] = csrfToken;
      }
      return request;
    }
  });
});
