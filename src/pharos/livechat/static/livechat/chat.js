// The customer's chat (the widget's panel). A guest's questions go to the bot over HTTP;
// a signed-in customer's chat runs over the chat socket: messages carry a client ID and
// are sent again after a reconnect until acknowledged (the server stores each ID once),
// and a reconnecting socket asks for everything after the last sequence number it saw.
(function () {
  "use strict";

  var root = document.getElementById("chat");
  if (!root) return;
  var text = JSON.parse(document.getElementById("chat-text").textContent);
  var csrf = (root.querySelector("input[name=csrfmiddlewaretoken]") || {}).value || "";
  var signedIn = root.getAttribute("data-signed-in") === "true";
  var log = document.getElementById("chat-log");
  var statusLine = document.getElementById("chat-status");
  var composer = document.getElementById("chat-composer");
  var input = document.getElementById("chat-input");
  var startForm = document.getElementById("chat-start");
  var queueBox = document.getElementById("chat-queue");
  var endButton = document.getElementById("chat-end");
  var ended = document.getElementById("chat-ended");
  var typingLine = document.getElementById("chat-typing");

  var reference = root.getAttribute("data-reference") || "";
  var lastSequence = 0;
  var socket = null;
  var retries = 0;
  var unacknowledged = {};  // client ID -> {body, item}
  var typingSentAt = 0;
  var typingTimer = null;
  var state = null;

  function format(template, values) {
    return template.replace(/%\((\w+)\)s/g, function (_match, key) { return values[key]; });
  }

  function newId() {
    if (window.crypto && window.crypto.randomUUID) return window.crypto.randomUUID();
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function post(url, body, isForm) {
    var headers = { "X-CSRFToken": csrf, Accept: "application/json" };
    if (!isForm) headers["Content-Type"] = "application/json";
    return fetch(url, {
      method: "POST", credentials: "same-origin", headers: headers,
      body: isForm ? body : JSON.stringify(body),
    }).then(function (response) {
      return response.json().catch(function () { return { error: text.failed }; }).then(function (data) {
        if (!response.ok && !data.error) data.error = text.failed;
        return data;
      });
    });
  }

  function setStatus(message) { statusLine.textContent = message; }

  function scrollDown() { log.scrollTop = log.scrollHeight; }

  // --- drawing messages -------------------------------------------------------------------
  function authorLabel(message) {
    if (message.author_kind === "customer") return text.you;
    if (message.author_kind === "bot") return text.assistant;
    return message.author_name || text.agent;
  }

  // Where a secret was removed, words of the customer's language, not the stored marker.
  function shown(body) {
    return String(body).replace(/\[redacted:([a-z_]+)\]/g, function (marker, kind) {
      return text.removed[kind] || marker;
    });
  }

  function item(kind, label, body) {
    var li = document.createElement("li");
    li.className = "chat-message chat-" + kind;
    var who = document.createElement("p");
    who.className = "chat-author";
    who.textContent = label;
    var bubble = document.createElement("div");
    bubble.className = "chat-bubble";
    bubble.textContent = shown(body);  // text, never HTML: whatever anyone types stays text
    li.appendChild(who);
    li.appendChild(bubble);
    return li;
  }

  function links(li, list) {
    if (!list || !list.length) return;
    var ul = document.createElement("ul");
    ul.className = "chat-links";
    list.forEach(function (link) {
      var entry = document.createElement("li");
      // An FAQ entry is an answer in words with no page of its own: its question, not a link.
      var a = document.createElement(link.url ? "a" : "strong");
      if (link.url) {
        a.href = link.url;
        a.target = "_blank";
        a.rel = "noopener";
      }
      a.textContent = link.title;
      entry.appendChild(a);
      if (link.excerpt) {
        var excerpt = document.createElement("p");
        excerpt.textContent = link.excerpt;
        entry.appendChild(excerpt);
      }
      ul.appendChild(entry);
    });
    li.appendChild(ul);
  }

  function buttons(li, names, onPress) {
    if (!names || !names.length) return;
    var row = document.createElement("div");
    row.className = "chat-buttons";
    names.forEach(function (name) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = name === "solved" ? "" : "secondary";
      button.textContent = text[name];
      button.setAttribute("data-action", name);
      button.addEventListener("click", function () {
        row.querySelectorAll("button").forEach(function (other) { other.disabled = true; });
        onPress(name);
      });
      row.appendChild(button);
    });
    li.appendChild(row);
  }

  function attachments(li, files) {
    (files || []).forEach(function (file) {
      var a = document.createElement("a");
      a.href = file.url;
      a.target = "_blank";
      a.rel = "noopener";
      a.className = "chat-file";
      if (file.content_type.indexOf("image/") === 0) {
        var image = document.createElement("img");
        image.src = file.url;
        image.alt = file.name;
        image.loading = "lazy";
        a.appendChild(image);
      } else {
        a.textContent = file.name;
      }
      li.appendChild(a);
    });
  }

  function disableOldButtons() {
    log.querySelectorAll(".chat-buttons button").forEach(function (button) { button.disabled = true; });
  }

  function draw(message) {
    if (message.author_kind === "system" || message.internal) return;  // the status line says it
    if (log.querySelector('[data-sequence="' + message.sequence + '"]')) return;
    var pending = message.client_message_id && unacknowledged[message.client_message_id];
    var li = pending ? pending.item : item(message.author_kind, authorLabel(message), message.body);
    if (pending) {
      li.classList.remove("chat-pending");
      // What was stored, not what was typed: a pasted secret shows as its marker.
      li.querySelector(".chat-bubble").textContent = shown(message.body);
      delete unacknowledged[message.client_message_id];
    }
    li.setAttribute("data-sequence", message.sequence);
    if (message.author_kind === "bot") {
      disableOldButtons();
      links(li, message.payload && message.payload.links);
      buttons(li, message.payload && message.payload.buttons, function (name) {
        send({ type: "action", name: name });
      });
    }
    attachments(li, message.attachments);
    // In sequence order, whatever order the frames came in.
    var after = null;
    log.querySelectorAll("[data-sequence]").forEach(function (other) {
      if (!after && Number(other.getAttribute("data-sequence")) > message.sequence) after = other;
    });
    if (!pending || after) log.insertBefore(li, after);
    lastSequence = Math.max(lastSequence, message.sequence);
    scrollDown();
    if (message.author_kind === "agent") markRead();
  }

  // Read receipts: the agent's messages count as read once the panel is on screen; the
  // customer's last message shows when the agent has read it.
  var readSent = 0;
  function markRead() {
    if (document.hidden || lastSequence <= readSent || !socket || socket.readyState !== WebSocket.OPEN) return;
    readSent = lastSequence;
    socket.send(JSON.stringify({ type: "read", sequence: lastSequence }));
  }
  document.addEventListener("visibilitychange", markRead);

  function showRead(sequence) {
    var mine = log.querySelectorAll(".chat-customer[data-sequence]");
    var last = null;
    mine.forEach(function (li) { if (Number(li.getAttribute("data-sequence")) <= sequence) last = li; });
    if (!last) return;
    log.querySelectorAll(".chat-read").forEach(function (old) { old.remove(); });
    var note = document.createElement("p");
    note.className = "chat-read";
    note.textContent = text.read;
    last.appendChild(note);
  }

  // --- the chat's state ---------------------------------------------------------------------
  function showState(next) {
    state = next;
    var live = ["bot", "queued", "assigned", "waiting_on_customer"].indexOf(next.status) !== -1;
    queueBox.hidden = true;
    if (next.channel === "web") {
      showEnded(format(text.left, { reference: next.reference }), true);
      return;
    }
    if (!live) { showEnded(text.ended, false); return; }
    ended.hidden = true;
    composer.hidden = false;
    endButton.hidden = false;
    if (next.status === "bot") setStatus(text.with_bot);
    else if (next.status === "queued") showQueue(next);
    else setStatus(format(next.accepted ? text.assigned : text.joining, { name: next.agent }));
  }

  function showQueue(next) {
    var lines = [format(text.queued, { position: next.position || 1 })];
    if (next.agents_online === 0) lines.push(text.nobody_online);
    else if (next.wait_seconds === 0) lines.push(text.wait_now);
    else if (next.wait_seconds) lines.push(format(text.wait, { minutes: Math.max(1, Math.round(next.wait_seconds / 60)) }));
    if (next.can_leave_message && next.agents_online !== 0) lines.push(text.long_wait);
    setStatus(lines[0]);
    document.getElementById("chat-queue-text").textContent = lines.join(" ");
    document.getElementById("chat-leave").hidden = !next.can_leave_message;
    queueBox.hidden = false;
  }

  function showEnded(message, leftAsTicket) {
    setStatus(message);
    composer.hidden = true;
    endButton.hidden = true;
    typingLine.hidden = true;
    ended.hidden = false;
    disableOldButtons();
    var rating = document.getElementById("chat-rating");
    rating.hidden = leftAsTicket || !!(state && state.rated);
    document.getElementById("chat-thanks").hidden = !(state && state.rated);
    ended.querySelector("p").textContent = message;
  }

  // --- the socket -----------------------------------------------------------------------------
  function connect() {
    if (!reference) return;
    var scheme = window.location.protocol === "https:" ? "wss://" : "ws://";
    socket = new WebSocket(scheme + window.location.host + "/ws/chat/" + reference + "/");
    socket.addEventListener("open", function () {
      retries = 0;
      socket.send(JSON.stringify({ type: "hello", last_sequence: lastSequence }));
      Object.keys(unacknowledged).forEach(function (id) {
        socket.send(JSON.stringify({ type: "message", body: unacknowledged[id].body, client_message_id: id }));
      });
    });
    socket.addEventListener("message", function (event) {
      var frame;
      try { frame = JSON.parse(event.data); } catch (ignored) { return; }
      if (frame.type === "chat.message") draw(frame);
      else if (frame.type === "chat.state") showState(frame);
      else if (frame.type === "chat.typing") showTyping();
      else if (frame.type === "chat.read" && typeof frame.sequence === "number") showRead(frame.sequence);
      else if (frame.type === "ack") acknowledged(frame);
      else if (frame.type === "rated") rated();
      else if (frame.type === "error") notice(frame.detail);
    });
    socket.addEventListener("close", function (event) {
      socket = null;
      if (event.code === 4404) { setStatus(text.failed); return; }
      setStatus(text.reconnecting);
      retries += 1;
      setTimeout(connect, Math.min(10000, 500 * Math.pow(2, Math.min(retries, 5))));
    });
  }

  function send(frame) {
    if (socket && socket.readyState === WebSocket.OPEN) {
      socket.send(JSON.stringify(frame));
      return true;
    }
    notice(text.not_sent);
    return false;
  }

  function acknowledged(frame) {
    var pending = unacknowledged[frame.client_message_id];
    if (pending) pending.item.classList.remove("chat-pending");
  }

  function showTyping() {
    typingLine.hidden = false;
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { typingLine.hidden = true; }, 4000);
  }

  function notice(message) {
    var li = item("notice", "", message);
    li.setAttribute("role", "alert");
    log.appendChild(li);
    scrollDown();
    setTimeout(function () { li.remove(); }, 8000);
  }

  function rated() {
    document.getElementById("chat-rating").hidden = true;
    document.getElementById("chat-thanks").hidden = false;
    if (state) state.rated = true;
  }

  // --- what the customer does ---------------------------------------------------------------
  function writeMessage(body) {
    var id = newId();
    var li = item("customer chat-pending", text.you, body);
    unacknowledged[id] = { body: body, item: li };
    log.appendChild(li);
    scrollDown();
    send({ type: "message", body: body, client_message_id: id });
  }

  function startChat(body) {
    var topic = (startForm.querySelector("input[name=topic]:checked") || {}).value || "";
    var id = newId();
    var li = item("customer chat-pending", text.you, body);
    log.appendChild(li);
    post(root.getAttribute("data-start-url"), { topic: topic, body: body, client_message_id: id })
      .then(function (data) {
        if (data.error) { li.remove(); input.value = body; notice(data.error); return; }
        li.remove();  // it comes back with its sequence number
        reference = data.reference;
        startForm.hidden = true;
        var attach = document.getElementById("chat-attach");
        if (attach) attach.hidden = false;
        connect();
      })
      .catch(function () { li.remove(); input.value = body; notice(text.failed); });
  }

  function askAsGuest(body) {
    var topic = (startForm.querySelector("input[name=topic]:checked") || {}).value || "";
    var asked = item("customer", text.you, body);
    log.appendChild(asked);
    var topics = startForm.querySelector(".chat-topics");
    if (topics) topics.hidden = true;  // chosen once; the conversation gets the room
    post(root.getAttribute("data-ask-url"), { topic: topic, body: body }).then(function (data) {
      if (data.error) { notice(data.error); return; }
      if (data.question) asked.querySelector(".chat-bubble").textContent = shown(data.question);
      disableOldButtons();
      var li = item("bot", text.assistant, data.text);
      links(li, data.links);
      if (data.kind === "sign_in") signInLink(li);
      buttons(li, data.buttons, function (name) {
        if (data.feedback) {
          post(root.getAttribute("data-ask-feedback-url"), { token: data.feedback, feedback: name }).catch(function () {});
        }
        if (name === "solved") log.appendChild(item("bot", text.assistant, text.glad));
        else { var again = item("bot", text.assistant, text.sign_in_needed); signInLink(again); log.appendChild(again); }
        scrollDown();
      });
      log.appendChild(li);
      scrollDown();
    }).catch(function () { notice(text.failed); });
  }

  function signInLink(li) {
    var a = document.createElement("a");
    a.href = root.getAttribute("data-sign-in-url");
    a.target = "_top";
    a.className = "chat-sign-in";
    a.textContent = text.sign_in;
    li.appendChild(a);
  }

  if (composer) {
    composer.addEventListener("submit", function (event) {
      event.preventDefault();
      var body = input.value.trim();
      if (!body) return;
      input.value = "";
      if (!signedIn) askAsGuest(body);
      else if (!reference) startChat(body);
      else writeMessage(body);
    });
    input.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        composer.requestSubmit();
      }
    });
    input.addEventListener("input", function () {
      if (!reference || Date.now() - typingSentAt < 3000) return;
      typingSentAt = Date.now();
      send({ type: "typing" });
    });
  }

  var fileInput = document.getElementById("chat-file");
  if (fileInput) {
    fileInput.addEventListener("change", function () {
      if (!fileInput.files.length || !reference) return;
      var form = new FormData();
      form.append("files", fileInput.files[0]);
      setStatus(text.uploading);
      post(root.getAttribute("data-files-url").replace("REFERENCE", reference), form, true)
        .then(function (data) {
          fileInput.value = "";
          if (data.error) notice(data.error);
          if (state) showState(state);
        });
    });
  }

  var endPressedAt = 0;
  if (endButton) {
    endButton.addEventListener("click", function () {
      if (Date.now() - endPressedAt > 4000) {  // a second press within 4 s confirms
        endPressedAt = Date.now();
        endButton.textContent = text.confirm_end;
        setTimeout(function () { endButton.textContent = endButton.getAttribute("data-label"); }, 4000);
        return;
      }
      send({ type: "action", name: "end" });
    });
    endButton.setAttribute("data-label", endButton.textContent);
  }

  var leave = document.getElementById("chat-leave");
  if (leave) leave.addEventListener("click", function () { send({ type: "action", name: "leave_message" }); });

  var rating = document.getElementById("chat-rating");
  if (rating) {
    rating.addEventListener("submit", function (event) {
      event.preventDefault();
      var chosen = rating.querySelector("input[name=rating]:checked");
      if (!chosen) return;
      send({ type: "rate", rating: Number(chosen.value), comment: document.getElementById("chat-comment").value });
    });
  }

  var transcript = document.getElementById("chat-transcript");
  if (transcript) {
    transcript.addEventListener("click", function () {
      if (send({ type: "action", name: "email_transcript" })) {
        transcript.disabled = true;
        notice(text.transcript_sent);
      }
    });
  }

  var again = document.getElementById("chat-new");
  if (again) {
    again.addEventListener("click", function () { window.location.reload(); });
  }

  var closer = document.getElementById("chat-close");
  if (window.parent !== window && closer) {
    closer.hidden = false;
    closer.addEventListener("click", function () { window.parent.postMessage({ pharosChat: "close" }, "*"); });
  }

  if (reference) connect();
})();
