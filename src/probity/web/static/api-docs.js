// Draws the API description with the reader the page asks for (Swagger UI or Redoc), both
// served from this site's own copies.
(function () {
  function draw() {
    var el = document.getElementById("api-docs");
    if (!el) return;
    var url = el.getAttribute("data-url");
    if (el.getAttribute("data-reader") === "swagger" && window.SwaggerUIBundle) {
      window.SwaggerUIBundle({ url: url, domNode: el, deepLinking: false });
    } else if (window.Redoc) {
      window.Redoc.init(url, { disableSearch: false, hideDownloadButton: false }, el);
    }
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
