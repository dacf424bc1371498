// Live preview of the Markdown bodies in the help-center editors.
(function () {
  "use strict";
  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }
  function previewUrl() {
    var path = window.location.pathname.replace(/(add|\d+\/change)\/?$/, "");
    return path + "preview/";
  }
  function attach(textarea) {
    var language = textarea.name.endsWith("zh_hans") ? "zh-hans" : "en";
    var button = document.createElement("button");
    button.type = "button";
    button.className = "button markdown-preview-button";
    button.textContent = language === "zh-hans" ? "预览" : "Preview";
    var output = document.createElement("div");
    output.className = "markdown-preview";
    output.hidden = true;
    textarea.after(button, output);
    var timer = null;
    function render() {
      var body = new URLSearchParams({ markdown: textarea.value, language: language });
      fetch(previewUrl(), {
        method: "POST",
        headers: { "X-CSRFToken": csrfToken(), "Content-Type": "application/x-www-form-urlencoded" },
        body: body.toString(),
        credentials: "same-origin",
      })
        .then(function (response) { return response.json(); })
        .then(function (data) {
          // The server sanitised this HTML with the same rules as the public pages.
          output.innerHTML = data.html || "";
          output.hidden = false;
        });
    }
    button.addEventListener("click", render);
    textarea.addEventListener("input", function () {
      if (output.hidden) return;
      clearTimeout(timer);
      timer = setTimeout(render, 400);
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("textarea[name^=body_]").forEach(attach);
  });
})();
