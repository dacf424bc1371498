// Small enhancements on top of server-rendered pages: menu toggle, results as you type,
// and voting without a reload. Every page works without this script.
(function () {
  "use strict";

  function setupMenu() {
    var toggle = document.querySelector(".menu-toggle");
    var menu = document.getElementById("site-menu");
    if (!toggle || !menu) return;
    toggle.addEventListener("click", function () {
      var open = menu.classList.toggle("open");
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
    });
  }

  function setupSearch(form) {
    var input = form.querySelector("input[name=q]");
    var list = form.querySelector(".search-suggestions");
    if (!input || !list) return;
    var api = form.getAttribute("data-search-api");
    var lang = form.getAttribute("data-lang");
    var timer = null;
    var latest = 0;
    var selected = -1;

    function hide() { list.hidden = true; list.innerHTML = ""; selected = -1; input.setAttribute("aria-expanded", "false"); }

    function show(results) {
      list.innerHTML = "";
      results.forEach(function (result, index) {
        var item = document.createElement("li");
        item.setAttribute("role", "option");
        item.id = "suggestion-" + index;
        var link = document.createElement("a");
        link.href = result.url;
        // title_html and snippet_html come escaped from the server with only <mark> added.
        link.innerHTML = result.title_html;
        var snippet = document.createElement("span");
        snippet.className = "suggestion-snippet";
        snippet.innerHTML = result.snippet_html;
        link.appendChild(snippet);
        item.appendChild(link);
        list.appendChild(item);
      });
      list.hidden = results.length === 0;
      input.setAttribute("aria-expanded", results.length ? "true" : "false");
    }

    function query() {
      var text = input.value.trim();
      if (!text) { hide(); return; }
      var ticket = ++latest;
      var url = api + "?" + new URLSearchParams({ q: text, lang: lang, limit: "6", as_you_type: "true" });
      fetch(url, { headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { results: [] }; })
        .then(function (data) { if (ticket === latest) show(data.results || []); })
        .catch(function () { /* typing on: the next keystroke tries again */ });
    }

    function move(step) {
      var items = list.querySelectorAll("li");
      if (!items.length) return;
      if (selected >= 0) items[selected].removeAttribute("aria-selected");
      selected = (selected + step + items.length) % items.length;
      items[selected].setAttribute("aria-selected", "true");
      input.setAttribute("aria-activedescendant", items[selected].id);
    }

    input.addEventListener("input", function () { clearTimeout(timer); timer = setTimeout(query, 150); });
    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown") { event.preventDefault(); move(1); }
      else if (event.key === "ArrowUp") { event.preventDefault(); move(-1); }
      else if (event.key === "Escape") { hide(); }
      else if (event.key === "Enter" && selected >= 0) {
        event.preventDefault();
        window.location.href = list.querySelectorAll("li a")[selected].href;
      }
    });
    document.addEventListener("click", function (event) { if (!form.contains(event.target)) hide(); });
  }

  function setupVoting(form) {
    var status = form.querySelector(".feedback-status");
    var section = form.closest(".feedback");
    form.querySelectorAll("button[name=helpful]").forEach(function (button) {
      button.addEventListener("click", function (event) {
        event.preventDefault();
        var data = new FormData(form);
        data.set("helpful", button.value);
        fetch(form.action, { method: "POST", body: data, headers: { Accept: "application/json" }, credentials: "same-origin" })
          .then(function (response) { return response.json().then(function (body) { return { ok: response.ok, body: body }; }); })
          .then(function (result) {
            if (!result.ok) { status.textContent = result.body.error || ""; return; }
            form.querySelectorAll("button[name=helpful]").forEach(function (other) { other.classList.toggle("chosen", other === button); });
            status.textContent = result.body.message || (section && section.getAttribute("data-thanks")) || "";
          })
          .catch(function () { form.requestSubmit(button); });
      });
    });
  }

  // The ticket form: while the customer types a subject, show articles that may answer it.
  function setupArticleSuggestions(box) {
    var input = document.getElementById(box.getAttribute("data-suggestions-for"));
    var list = box.querySelector("ul");
    if (!input || !list) return;
    var timer = null;
    var latest = 0;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text.length < 2) { box.hidden = true; return; }
        var ticket = ++latest;
        var url = box.getAttribute("data-search-api") + "?" + new URLSearchParams({
          q: text, lang: box.getAttribute("data-lang"), limit: "3", as_you_type: "true",
        });
        fetch(url, { headers: { Accept: "application/json" } })
          .then(function (response) { return response.ok ? response.json() : { results: [] }; })
          .then(function (data) {
            if (ticket !== latest) return;
            list.innerHTML = "";
            (data.results || []).forEach(function (result) {
              var item = document.createElement("li");
              var link = document.createElement("a");
              link.href = result.url;
              link.target = "_blank";
              link.rel = "noopener";
              link.innerHTML = result.title_html;  // escaped by the server, <mark> only
              item.appendChild(link);
              list.appendChild(item);
            });
            box.hidden = !(data.results || []).length;
          })
          .catch(function () { box.hidden = true; });
      }, 250);
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-suggestions-for]").forEach(setupArticleSuggestions);
    setupMenu();
    document.querySelectorAll(".search-box").forEach(setupSearch);
    document.querySelectorAll(".feedback-form").forEach(setupVoting);
  });
})();
