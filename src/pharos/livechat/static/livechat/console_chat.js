// A live chat open in the console: its socket brings the customer's messages as they are
// written (and the bot's, and colleagues'), shows when the customer types, tells the
// customer when the agent types, and sends screenshots and files. The agent's replies
// go through the console's usual reply form; they come back here with their number.
(function () {
  "use strict";

  var socket = null;
  var retries = 0;
  var typingSentAt = 0;
  var typingTimer = null;

  function page() { return document.getElementById("conversation"); }

  function lastSequence() { return Number(page().getAttribute("data-last-sequence")) || 0; }

  function element(tag, className, text) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    if (text) node.textContent = text;
    return node;
  }

  function append(message) {
    var thread = page().querySelector(".thread");
    if (!thread || document.getElementById("m" + message.sequence)) return;
    var item = element("li", "message message-" + message.author_kind + (message.internal ? " message-internal" : ""));
    item.id = "m" + message.sequence;
    var author = element("p", "message-author");
    author.textContent = (message.author_name || message.author_kind) + " · " +
      new Date(message.created_at).toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
    var body = element("div", "message-body live-body", message.body);  // text only
    item.appendChild(author);
    item.appendChild(body);
    var links = (message.payload && message.payload.links) || [];
    var files = message.attachments || [];
    if (links.length || files.length) {
      var list = element("ul", "attachments");
      links.concat(files.map(function (file) { return { url: file.url, title: file.name }; })).forEach(function (link) {
        var entry = element("li");
        if (!link.url) {  // an FAQ entry the bot offered: an answer in words, no page
          entry.appendChild(element("strong", "", link.title));
          list.appendChild(entry);
          return;
        }
        var a = element("a", "", link.title);
        a.href = link.url;
        a.target = "_blank";
        a.rel = "noopener";
        entry.appendChild(a);
        list.appendChild(entry);
      });
      item.appendChild(list);
    }
    thread.appendChild(item);
    page().setAttribute("data-last-sequence", String(Math.max(lastSequence(), message.sequence)));
    item.scrollIntoView({ block: "nearest" });
    if (message.author_kind === "customer") markRead();
  }

  // The customer sees when their messages were read; the agent sees when theirs were.
  function markRead() {
    if (document.hidden || !socket || socket.readyState !== WebSocket.OPEN) return;
    socket.send(JSON.stringify({ type: "read", sequence: lastSequence() }));
  }
  document.addEventListener("visibilitychange", markRead);

  // Kept across replacements of the conversation block: a receipt that arrives while a
  // reply's new block is on its way would otherwise vanish with the old block.
  var readUpTo = null;

  function showRead(sequence) {
    readUpTo = sequence;
    var line = page().querySelector("[data-chat-read]");
    if (!line) return;
    line.hidden = false;
    line.textContent = line.getAttribute("data-label") + " #" + sequence;
  }

  function typing() {
    var line = page().querySelector("[data-chat-typing]");
    if (!line) return;
    line.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { line.hidden = true; }, 4000);
  }

  function stateChanged(state) {
    if (state.status === page().getAttribute("data-status")) return;
    // Accepted, transferred, ended: the page's actions depend on it.
    document.dispatchEvent(new CustomEvent("pharos:refresh-conversation"));
  }

  function connect() {
    var path = page() && page().getAttribute("data-chat-socket");
    if (!path) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + path);
    socket.addEventListener("open", function () {
      retries = 0;
      socket.send(JSON.stringify({ type: "hello", last_sequence: lastSequence() }));
      markRead();
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (ignored) { return; }
      if (frame.type === "chat.message") append(frame);
      else if (frame.type === "chat.typing") typing();
      else if (frame.type === "chat.read" && typeof frame.sequence === "number") showRead(frame.sequence);
      else if (frame.type === "chat.state") stateChanged(frame);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4404) return;
      retries += 1;
      setTimeout(connect, Math.min(10000, 500 * Math.pow(2, Math.min(retries, 5))));
    });
  }

  document.addEventListener("input", function (event) {
    if (event.target.id !== "composer-body" || !socket || socket.readyState !== WebSocket.OPEN) return;
    if (Date.now() - typingSentAt < 3000) return;
    typingSentAt = Date.now();
    socket.send('{"type": "typing"}');
  });

  document.addEventListener("change", function (event) {
    var form = event.target.form;
    if (!form || !form.hasAttribute("data-chat-upload") || !event.target.files.length) return;
    var data = new FormData(form);
    fetch(form.action, {
      method: "POST", body: data, credentials: "same-origin",
      headers: { Accept: "application/json", "X-CSRFToken": data.get("csrfmiddlewaretoken") },
    })
      .then(function (response) { return response.json(); })
      .then(function (result) {
        event.target.value = "";
        if (result.error) window.alert(result.error);
      });
  });

  document.addEventListener("pharos:conversation-replaced", function () {
    if (readUpTo !== null) showRead(readUpTo);
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify({ type: "hello", last_sequence: lastSequence() }));
    }
  });

  document.addEventListener("DOMContentLoaded", connect);
})();
