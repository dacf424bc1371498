// The chat widget's loader. A page includes one tag:
//   <script src="https://support.example.com/widget.js" data-lang="zh-hans" defer></script>
// (data-token: the exchange's signed sign-in token, when the page knows the trader).
// It adds a chat button; the chat itself opens in a frame served by Pharos, so the page's
// styles and scripts never touch it and it never touches theirs.
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.pharosChatLoaded) return;
  window.pharosChatLoaded = true;

  var origin = new URL(script.src, window.location.href).origin;
  var wanted = script.getAttribute("data-lang") || document.documentElement.lang || navigator.language || "en";
  var lang = wanted.toLowerCase().indexOf("zh") === 0 ? "zh-hans" : "en";
  var token = script.getAttribute("data-token") || "";
  var words = {
    en: { open: "Chat with support", close: "Close the chat", title: "Support chat" },
    "zh-hans": { open: "在线客服", close: "关闭对话", title: "在线客服" },
  }[lang];
  var phone = window.matchMedia("(max-width: 600px)");
  var remembered = "pharos-chat-open";

  var button = document.createElement("button");
  button.type = "button";
  button.id = "pharos-chat-button";
  button.setAttribute("aria-expanded", "false");
  button.setAttribute("data-testid", "chat-button");
  button.textContent = words.open;
  button.style.cssText =
    "position:fixed;right:20px;bottom:20px;z-index:2147483646;border:0;border-radius:999px;" +
    "padding:12px 20px;background:#0b6e99;color:#fff;font:600 15px/1.2 system-ui,sans-serif;" +
    "box-shadow:0 6px 20px rgba(20,33,61,.3);cursor:pointer;";

  var frame = null;
  var box = document.createElement("div");
  box.id = "pharos-chat-panel";
  box.setAttribute("role", "dialog");
  box.setAttribute("aria-label", words.title);
  box.hidden = true;

  function place() {
    box.style.cssText = phone.matches
      ? "position:fixed;inset:0;z-index:2147483647;background:#fff;"
      : "position:fixed;right:20px;bottom:84px;width:380px;height:min(620px,calc(100vh - 110px));" +
        "z-index:2147483647;background:#fff;border-radius:14px;overflow:hidden;" +
        "box-shadow:0 12px 40px rgba(20,33,61,.35);";
    if (box.hidden) box.style.display = "none";
  }

  function panelAddress() {
    var chat = "/" + lang + "/chat/";
    var back = origin === window.location.origin ? window.location.pathname + window.location.search : "";
    chat += back ? "?return=" + encodeURIComponent(back) : "";
    if (token) {
      return origin + "/" + lang + "/accounts/exchange/?token=" + encodeURIComponent(token) + "&next=" + encodeURIComponent(chat);
    }
    return origin + chat;
  }

  function open() {
    if (!frame) {
      frame = document.createElement("iframe");
      frame.src = panelAddress();
      frame.title = words.title;
      frame.setAttribute("data-testid", "chat-frame");
      frame.style.cssText = "border:0;width:100%;height:100%;display:block;";
      box.appendChild(frame);
    }
    box.hidden = false;
    place();
    button.setAttribute("aria-expanded", "true");
    button.style.display = phone.matches ? "none" : "";
    try { window.sessionStorage.setItem(remembered, "1"); } catch (ignored) { /* private mode */ }
  }

  function close() {
    box.hidden = true;
    place();
    button.setAttribute("aria-expanded", "false");
    button.style.display = "";
    button.focus();
    try { window.sessionStorage.removeItem(remembered); } catch (ignored) { /* private mode */ }
  }

  button.addEventListener("click", function () { if (box.hidden) open(); else close(); });
  window.addEventListener("message", function (event) {
    if (event.origin !== origin || !event.data || typeof event.data !== "object") return;
    if (event.data.pharosChat === "close") close();
  });
  phone.addEventListener("change", place);

  function mount() {
    place();
    document.body.appendChild(box);
    document.body.appendChild(button);
    var wasOpen = false;
    try { wasOpen = window.sessionStorage.getItem(remembered) === "1"; } catch (ignored) { /* private mode */ }
    if (wasOpen) open();  // the chat follows the customer from page to page
  }
  if (document.body) mount(); else document.addEventListener("DOMContentLoaded", mount);
})();
