// The console's live part, on every console page: the console socket keeps the agent
// available for chats (a ping every 25 s), tells of a chat given to them, and keeps the
// live-chats page fresh when their chats or their teams' queues change.
(function () {
  "use strict";

  var retries = 0;
  var pinger = null;
  var refreshing = false;

  // One refresh at a time; one asked for meanwhile runs after it (the page it brings may
  // predate the change that asked).
  var wanted = false;
  function refreshLiveChats() {
    var current = document.querySelector("[data-live-refresh]");
    if (!current) return;
    if (refreshing) { wanted = true; return; }
    refreshing = true;
    fetch(window.location.pathname, { credentials: "same-origin" })
      .then(function (response) { return response.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-live-refresh]");
        var now = document.querySelector("[data-live-refresh]");
        if (fresh && now) now.replaceWith(fresh);
      })
      .finally(function () {
        refreshing = false;
        if (wanted) { wanted = false; refreshLiveChats(); }
      });
  }

  function connect() {
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    var socket = new WebSocket(scheme + window.location.host + "/ws/console/");
    socket.addEventListener("open", function () {
      retries = 0;
      clearInterval(pinger);
      pinger = setInterval(function () { socket.send('{"type": "ping"}'); }, 25000);
      refreshLiveChats();  // whatever changed while the socket was down
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (ignored) { return; }
      if (frame.type !== "console.refresh") return;
      refreshLiveChats();
      document.dispatchEvent(new CustomEvent("pharos:console-refresh", { detail: frame }));
    });
    socket.addEventListener("close", function (event) {
      clearInterval(pinger);
      if (event.code === 4404) return;  // not staff, or the session is not verified
      retries += 1;
      setTimeout(connect, Math.min(15000, 500 * Math.pow(2, Math.min(retries, 5))));
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    // The presence buttons post without leaving the page.
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!form.closest || !form.closest("[data-live-refresh]") || !form.classList.contains("presence-form")) return;
      event.preventDefault();
      var data = new FormData(form);
      if (event.submitter) data.append(event.submitter.name, event.submitter.value);
      fetch(form.action, {
        method: "POST", body: data, credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
      }).then(refreshLiveChats);
    });
    connect();
  });
})();
