// The agent console: actions without a page reload, new messages noticed by polling,
// canned replies and help-center links put into the reply, and keyboard shortcuts.
(function () {
  "use strict";

  function csrfToken(form) {
    var input = form.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  // Replace the conversation block with a fresh copy of it from the server.
  function refreshConversation() {
    return fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").getElementById("conversation");
        var current = document.getElementById("conversation");
        if (fresh && current) {
          current.replaceWith(fresh);
          setUpConversation(fresh);
          // A live chat's socket catches up with what came while the copy was on its way.
          document.dispatchEvent(new CustomEvent("pharos:conversation-replaced"));
        }
      });
  }

  function say(container, text, isError) {
    var note = document.createElement("p");
    note.className = isError ? "form-errors" : "hint";
    note.setAttribute("role", "status");
    note.textContent = text;
    container.prepend(note);
    setTimeout(function () { note.remove(); }, 5000);
  }

  function setUpActions(root) {
    root.querySelectorAll("form[data-console-action]").forEach(function (form) {
      form.addEventListener("submit", function (event) {
        event.preventDefault();
        var submitter = event.submitter;
        var action = (submitter && submitter.getAttribute("formaction")) || form.action;
        var failure = (document.getElementById("conversation") || document.body).getAttribute("data-failure") || "";
        fetch(action, {
          method: "POST",
          body: new FormData(form),
          headers: { Accept: "application/json", "X-CSRFToken": csrfToken(form) },
          credentials: "same-origin",
        })
          .then(function (response) {
            // Anything but our JSON (a proxy's error page, a crash) may or may not have been
            // saved: say so, and never post again on our own, which could send a reply twice.
            if ((response.headers.get("Content-Type") || "").indexOf("application/json") === -1) {
              say(form, failure, true);
              return null;
            }
            return response.json();
          })
          .then(function (result) {
            if (!result) return;
            if (!result.ok) { say(form, result.message, true); return; }
            if (result.reference && window.location.pathname.indexOf(result.reference) === -1) {
              window.location.href = window.location.pathname.replace(/c\/[^/]+\//, "c/" + result.reference + "/");
              return;
            }
            refreshConversation();
          })
          .catch(function () { say(form, failure, true); });
      });
    });
  }

  function insertAtCursor(textarea, text) {
    var start = textarea.selectionStart || 0;
    var end = textarea.selectionEnd || 0;
    textarea.value = textarea.value.slice(0, start) + text + textarea.value.slice(end);
    textarea.focus();
    textarea.selectionStart = textarea.selectionEnd = start + text.length;
  }

  function setUpComposer(root) {
    var textarea = root.querySelector("#composer-body");
    if (!textarea) return;
    var canned = root.querySelector("select[data-canned-url]");
    if (canned) {
      canned.addEventListener("change", function () {
        if (!canned.value) return;
        var url = canned.getAttribute("data-canned-url").replace(/\/0\/$/, "/" + canned.value + "/");
        fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
          .then(function (response) { return response.json(); })
          .then(function (data) { insertAtCursor(textarea, data.text); canned.value = ""; });
      });
    }
    var search = root.querySelector("input[data-article-search]");
    var picks = root.querySelector(".article-picks");
    var timer = null;
    if (search && picks) {
      search.addEventListener("input", function () {
        clearTimeout(timer);
        timer = setTimeout(function () {
          var text = search.value.trim();
          picks.innerHTML = "";
          if (text.length < 2) return;
          var url = search.getAttribute("data-article-search") + "?" + new URLSearchParams({
            q: text, lang: search.getAttribute("data-lang"), limit: "5", as_you_type: "true",
          });
          fetch(url, { headers: { Accept: "application/json" } })
            .then(function (response) { return response.json(); })
            .then(function (data) {
              (data.results || []).forEach(function (result) {
                var item = document.createElement("li");
                var button = document.createElement("button");
                button.type = "button";
                button.className = "secondary";
                button.textContent = search.getAttribute("data-insert-label") + ": " + result.title;
                button.addEventListener("click", function () {
                  insertAtCursor(textarea, result.title + ": " + window.location.origin + result.url);
                });
                item.appendChild(button);
                picks.appendChild(item);
              });
            });
        }, 200);
      });
    }
  }

  // New messages or another state: refresh at once unless the agent is typing.
  function refreshUnlessTyping() {
    var textarea = document.getElementById("composer-body");
    if (textarea && textarea.value.trim()) {
      var notice = document.querySelector(".new-messages");
      if (notice) notice.hidden = false;
    } else {
      refreshConversation();
    }
  }
  document.addEventListener("pharos:refresh-conversation", refreshUnlessTyping);

  // Poll for new messages (a live chat's come over its socket as well).
  var polling = null;
  function setUpPolling(root) {
    clearInterval(polling);
    var stateUrl = root.getAttribute("data-conversation-state");
    if (!stateUrl) return;
    polling = setInterval(function () {
      if (document.hidden) return;
      fetch(stateUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
        .then(function (response) { return response.json(); })
        .then(function (state) {
          if (String(state.last_sequence) === root.getAttribute("data-last-sequence")) return;
          refreshUnlessTyping();
        });
    }, 10000);
  }

  function setUpConversation(root) {
    setUpActions(root);
    setUpComposer(root);
    setUpPolling(root);
  }

  function setUpShortcuts() {
    var rows = Array.prototype.slice.call(document.querySelectorAll("[data-inbox-rows] tbody tr a"));
    var position = -1;
    document.addEventListener("keydown", function (event) {
      var target = event.target;
      if (target.closest("input, textarea, select") || event.ctrlKey || event.metaKey || event.altKey) return;
      var shortcut = document.querySelector('[data-shortcut="' + event.key + '"]');
      if (shortcut) { event.preventDefault(); shortcut.focus(); return; }
      if ((event.key === "j" || event.key === "k") && rows.length) {
        event.preventDefault();
        position = Math.max(0, Math.min(rows.length - 1, position + (event.key === "j" ? 1 : -1)));
        rows[position].focus();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var conversation = document.getElementById("conversation");
    if (conversation) setUpConversation(conversation);
    setUpShortcuts();
  });
})();
