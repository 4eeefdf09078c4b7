/*
 * Municipal chat widget: an accessible chat window that talks to the Rasa assistant
 * over Rasa 3.6's socket.io channel. Plain JS, no build step.
 *
 * A site adds it with one tag:
 *   <script src="https://HOST/widget.js" data-server-url="https://RASA" data-municipality="CODE"
 *           data-lang="ka" defer></script>
 * Optional: data-country (ISO code, e.g. "ge", "it"), data-socket-path (default
 * "/socket.io/"), data-metadata-key (default "metadata", the key Rasa's SocketIOInput reads
 * unless credentials.yml sets `metadata_key`). The municipality and country go with every
 * message: the assistant answers with the place's facts (content/places/).
 *
 * Server text is only ever put into the page with textContent / text nodes.
 */
(function () {
  "use strict";

  var script = document.currentScript || document.querySelector("script[data-server-url]");
  if (!script || window.__municipalChatWidget) return;
  window.__municipalChatWidget = true;

  var GEORGIAN = /[\u10A0-\u10FF\u1C90-\u1CBF\u2D00-\u2D2F]/;
  var LATIN = /[A-Za-z]/;
  var URL_RE = /https?:\/\/[^\s<>"'«»„“]+/gi;
  var HISTORY_LIMIT = 200;
  var ACK_TIMEOUT_MS = 30000;

  var STRINGS = {
    ka: {
      title: "ონლაინ ასისტენტი",
      intro: "მოგესალმებით! დასვით კითხვა ქართულად ან ინგლისურად.",
      open: "ჩატის გახსნა",
      close: "ჩატის დახურვა",
      newChat: "ახალი საუბარი",
      log: "საუბარი",
      inputLabel: "შეტყობინება",
      placeholder: "დაწერეთ შეკითხვა…",
      send: "გაგზავნა",
      you: "თქვენ",
      bot: "ასისტენტი",
      idle: "",
      connecting: "დაკავშირება…",
      online: "დაკავშირებულია",
      offline: "კავშირი არ არის. შეტყობინებები გაიგზავნება, როცა კავშირი აღდგება.",
      reconnecting: "კავშირი გაწყდა. ხელახლა დაკავშირება…",
      notSent: "ჯერ არ გაგზავნილა",
      newTab: "(იხსნება ახალ ჩანართში)",
      image: "სურათი ასისტენტისგან",
      rate: "ეს პასუხი გამოგადგათ?",
      helpful: "გამომადგა",
      notHelpful: "არ გამომადგა"
    },
    en: {
      title: "Online assistant",
      intro: "Hello! Ask a question in Georgian or English.",
      open: "Open chat",
      close: "Close chat",
      newChat: "New conversation",
      log: "Conversation",
      inputLabel: "Message",
      placeholder: "Type your question…",
      send: "Send",
      you: "You",
      bot: "Assistant",
      idle: "",
      connecting: "Connecting…",
      online: "Online",
      offline: "Offline. Your messages will be sent when the connection is back.",
      reconnecting: "Connection lost. Reconnecting…",
      notSent: "Not sent yet",
      newTab: "(opens in a new tab)",
      image: "Image from the assistant",
      rate: "Was this answer helpful?",
      helpful: "Helpful",
      notHelpful: "Not helpful"
    }
  };

  function normLang(value) {
    return String(value || "").toLowerCase().indexOf("en") === 0 ? "en" : "ka";
  }

  var ds = script.dataset;
  var base = new URL(".", script.src || location.href).href;
  var config = {
    serverUrl: ds.serverUrl || "http://localhost:5005",
    socketPath: ds.socketPath || "/socket.io/",
    municipality: ds.municipality || "",
    country: ds.country || "",
    pageLang: normLang(ds.lang || document.documentElement.lang),
    metadataKey: ds.metadataKey || "metadata"
  };

  // ---- stored state: session id, history, outbox, draft, language, open --------------
  var storeKey = "municipal-chat:" + config.municipality + ":" + config.serverUrl;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(16) + Math.random().toString(16).slice(2);
  }

  function loadState() {
    var s = null;
    try { s = JSON.parse(localStorage.getItem(storeKey)); } catch (e) { s = null; }
    s = s && typeof s === "object" ? s : {};
    return {
      sessionId: typeof s.sessionId === "string" && s.sessionId ? s.sessionId : newId(),
      lang: s.lang === "en" || s.lang === "ka" ? s.lang : config.pageLang,
      history: Array.isArray(s.history) ? s.history : [],
      outbox: Array.isArray(s.outbox) ? s.outbox : [],
      draft: typeof s.draft === "string" ? s.draft : "",
      open: s.open === true
    };
  }

  var state = loadState();

  function save() {
    if (state.history.length > HISTORY_LIMIT) {
      state.history = state.history.slice(-HISTORY_LIMIT);
    }
    try { localStorage.setItem(storeKey, JSON.stringify(state)); } catch (e) { /* storage off */ }
  }

  function t(key) { return STRINGS[state.lang][key]; }

  // ---- DOM helpers -------------------------------------------------------------------
  function el(tag, className, attrs) {
    var node = document.createElement(tag);
    if (className) node.className = className;
    for (var name in attrs || {}) node.setAttribute(name, attrs[name]);
    return node;
  }

  function icon(path) {
    var ns = "http://www.w3.org/2000/svg";
    var svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", "20");
    svg.setAttribute("height", "20");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    var p = document.createElementNS(ns, "path");
    p.setAttribute("d", path);
    p.setAttribute("fill", "currentColor");
    svg.appendChild(p);
    return svg;
  }

  var ICON_CHAT = "M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z";
  var ICON_CLOSE = "M6.4 5 12 10.6 17.6 5 19 6.4 13.4 12 19 17.6 17.6 19 12 13.4 6.4 19 5 17.6 10.6 12 5 6.4z";

  function scriptLang(text) {
    if (GEORGIAN.test(text)) return "ka";
    if (LATIN.test(text)) return "en";
    return "";
  }

  function safeHref(raw) {
    try {
      var u = new URL(raw);
      return u.protocol === "http:" || u.protocol === "https:" ? u.href : null;
    } catch (e) {
      return null;
    }
  }

  function trimUrl(raw) {
    raw = raw.replace(/[.,;:!?'"»]+$/, "");
    var opens = raw.split("(").length, closes = raw.split(")").length;
    while (/\)$/.test(raw) && closes > opens) { raw = raw.slice(0, -1); closes--; }
    return raw;
  }

  /* Puts text into parent as text nodes, with http(s) URLs as links. */
  function appendLinkified(parent, text) {
    var last = 0, m;
    URL_RE.lastIndex = 0;
    while ((m = URL_RE.exec(text)) !== null) {
      var raw = trimUrl(m[0]);
      var href = safeHref(raw);
      if (!href) continue;
      if (m.index > last) parent.appendChild(document.createTextNode(text.slice(last, m.index)));
      var a = el("a", "mchat-link", { href: href, target: "_blank", rel: "noopener noreferrer" });
      a.textContent = raw;
      var note = el("span", "mchat-sr-only mchat-newtab");
      note.textContent = " " + t("newTab");
      a.appendChild(note);
      parent.appendChild(a);
      last = m.index + raw.length;
      URL_RE.lastIndex = last;
    }
    if (last < text.length) parent.appendChild(document.createTextNode(text.slice(last)));
  }

  // ---- building the widget -----------------------------------------------------------
  var root = el("div", "mchat", { "data-state": "idle" });
  root.style.visibility = "hidden"; // until widget.css has loaded

  var launcher = el("button", "mchat-launcher", {
    type: "button", "aria-expanded": "false", "aria-controls": "mchat-panel"
  });
  var launcherIcon = el("span", "mchat-launcher-icon");
  launcherIcon.appendChild(icon(ICON_CHAT));
  var launcherText = el("span", "mchat-launcher-text");
  launcher.appendChild(launcherIcon);
  launcher.appendChild(launcherText);

  var panel = el("div", "mchat-panel", {
    id: "mchat-panel", role: "dialog", "aria-labelledby": "mchat-title", "aria-modal": "false"
  });
  panel.hidden = true;

  var header = el("div", "mchat-header");
  var title = el("h2", "mchat-title", { id: "mchat-title" });
  var newChatButton = el("button", "mchat-new", { type: "button" });
  var closeButton = el("button", "mchat-close", { type: "button" });
  closeButton.appendChild(icon(ICON_CLOSE));
  header.appendChild(title);
  header.appendChild(newChatButton);
  header.appendChild(closeButton);

  var status = el("p", "mchat-status", { role: "status", "aria-live": "polite", id: "mchat-status" });
  var intro = el("p", "mchat-intro");
  var log = el("div", "mchat-log", { role: "log", "aria-live": "polite", tabindex: "0" });

  var form = el("form", "mchat-form", { novalidate: "" });
  var label = el("label", "mchat-sr-only", { "for": "mchat-input" });
  var input = el("input", "mchat-input", {
    id: "mchat-input", type: "text", autocomplete: "off", maxlength: "1000",
    enterkeyhint: "send", "aria-describedby": "mchat-status"
  });
  var sendButton = el("button", "mchat-send", { type: "submit" });
  form.appendChild(label);
  form.appendChild(input);
  form.appendChild(sendButton);

  panel.appendChild(header);
  panel.appendChild(status);
  panel.appendChild(intro);
  panel.appendChild(log);
  panel.appendChild(form);
  root.appendChild(panel);
  root.appendChild(launcher);

  var css = el("link", null, { rel: "stylesheet", href: base + "widget.css" });
  css.onload = css.onerror = function () { root.style.visibility = ""; };
  document.head.appendChild(css);

  // ---- rendering messages ------------------------------------------------------------
  function renderEntry(entry) {
    var item = el("div", "mchat-msg mchat-msg--" + entry.from);
    item.setAttribute("data-id", entry.id);
    var lang = scriptLang(entry.text || "");
    if (lang) item.setAttribute("lang", lang);
    var who = el("span", "mchat-sr-only mchat-who");
    who.setAttribute("data-role", entry.from);
    who.textContent = t(entry.from === "user" ? "you" : "bot") + ": ";
    item.appendChild(who);
    if (entry.text) {
      var text = el("span", "mchat-text");
      if (entry.from === "bot") appendLinkified(text, entry.text);
      else text.textContent = entry.text;
      item.appendChild(text);
    }
    if (entry.image && safeHref(entry.image)) {
      var img = el("img", "mchat-image", { src: safeHref(entry.image), alt: t("image") });
      item.appendChild(img);
    }
    if (entry.pending) {
      var note = el("span", "mchat-pending");
      note.textContent = t("notSent");
      item.appendChild(note);
    }
    return item;
  }

  /* Thumbs under the assistant's latest answer (not under its thanks for a rating): the
     rating goes to Rasa as /feedback{"rating": ...}, which stores it with the answer's
     topic, the language and the place, never the text (actions/feedback.py). */
  var RATINGS = [
    { key: "helpful", shown: "\uD83D\uDC4D", payload: '/feedback{"rating": "up"}' },
    { key: "notHelpful", shown: "\uD83D\uDC4E", payload: '/feedback{"rating": "down"}' }
  ];

  function addRating() {
    var last = state.history[state.history.length - 1];
    if (!last || last.from !== "bot") return;
    for (var i = state.history.length - 1; i >= 0; i--) {
      if (state.history[i].from === "user") {
        if (state.history[i].rating) return;  // the answer to a rating: nothing to rate
        break;
      }
      if (i === 0) return;  // no question yet
    }
    var msg = log.querySelector('[data-id="' + last.id + '"]');
    if (!msg) return;
    var group = el("div", "mchat-rate", { role: "group", "aria-label": t("rate") });
    RATINGS.forEach(function (r) {
      var button = el("button", "mchat-rate-button", { type: "button", "aria-label": t(r.key), title: t(r.key) });
      button.textContent = r.shown;
      button.addEventListener("click", function () {
        sendMessage(r.shown, r.payload, { rating: r.key });
        input.focus();
      });
      group.appendChild(button);
    });
    var after = msg.nextSibling && msg.nextSibling.className === "mchat-buttons" ? msg.nextSibling : msg;
    after.parentNode.insertBefore(group, after.nextSibling);
  }

  /* Buttons are live only on the bot messages after the user's last message. */
  function refreshButtons() {
    var groups = log.querySelectorAll(".mchat-buttons, .mchat-rate");
    for (var g = 0; g < groups.length; g++) groups[g].parentNode.removeChild(groups[g]);
    for (var i = state.history.length - 1; i >= 0; i--) {
      var entry = state.history[i];
      if (entry.from === "user") break;
      if (!entry.buttons || !entry.buttons.length) continue;
      var msg = log.querySelector('[data-id="' + entry.id + '"]');
      if (!msg) continue;
      var group = el("div", "mchat-buttons", { role: "group" });
      entry.buttons.forEach(function (b) {
        var button = el("button", "mchat-choice", { type: "button" });
        button.textContent = b.title;
        button.addEventListener("click", function () {
          sendMessage(b.title, b.payload);
          input.focus();
        });
        group.appendChild(button);
      });
      msg.parentNode.insertBefore(group, msg.nextSibling);
    }
    addRating();
  }

  function scrollToEnd() { log.scrollTop = log.scrollHeight; }

  function addEntry(entry) {
    state.history.push(entry);
    save();
    log.appendChild(renderEntry(entry));
    refreshButtons();
    scrollToEnd();
  }

  function markSent(id) {
    state.history.forEach(function (e) { if (e.id === id) delete e.pending; });
    var note = log.querySelector('[data-id="' + id + '"] .mchat-pending');
    if (note) note.parentNode.removeChild(note);
  }

  // ---- language of the widget's own words --------------------------------------------
  function setLang(lang) {
    state.lang = lang;
    root.setAttribute("lang", lang);
    launcherText.textContent = t(panel.hidden ? "open" : "close");
    title.textContent = t("title");
    intro.textContent = t("intro");
    newChatButton.textContent = t("newChat");
    closeButton.setAttribute("aria-label", t("close"));
    log.setAttribute("aria-label", t("log"));
    label.textContent = t("inputLabel");
    input.setAttribute("placeholder", t("placeholder"));
    sendButton.textContent = t("send");
    var text = t(root.getAttribute("data-state"));
    if (status.textContent !== text) status.textContent = text;
    var nodes = log.querySelectorAll(".mchat-who");
    for (var i = 0; i < nodes.length; i++) {
      nodes[i].textContent = t(nodes[i].getAttribute("data-role") === "user" ? "you" : "bot") + ": ";
    }
    nodes = log.querySelectorAll(".mchat-pending");
    for (i = 0; i < nodes.length; i++) nodes[i].textContent = t("notSent");
    nodes = log.querySelectorAll(".mchat-newtab");
    for (i = 0; i < nodes.length; i++) nodes[i].textContent = " " + t("newTab");
    nodes = log.querySelectorAll(".mchat-image");
    for (i = 0; i < nodes.length; i++) nodes[i].setAttribute("alt", t("image"));
    nodes = log.querySelectorAll(".mchat-rate");
    for (i = 0; i < nodes.length; i++) nodes[i].setAttribute("aria-label", t("rate"));
    nodes = log.querySelectorAll(".mchat-rate-button");
    for (i = 0; i < nodes.length; i++) {
      var key = RATINGS[i % RATINGS.length].key;
      nodes[i].setAttribute("aria-label", t(key));
      nodes[i].setAttribute("title", t(key));
    }
    save();
  }

  /* A user's Georgian letters switch the UI to Georgian; anything else keeps it. */
  function langAfterUser(text) {
    if (GEORGIAN.test(text)) setLang("ka");
  }

  /* The bot's reply decides otherwise: Georgian letters -> ka, Latin letters -> en. */
  function langAfterBot(text) {
    var lang = scriptLang(String(text || "").replace(URL_RE, ""));
    if (lang) setLang(lang);
  }

  // ---- connection --------------------------------------------------------------------
  var socket = null;
  var ready = false;     // connected and the session confirmed (room joined)
  var inflight = null;   // id of the one message in flight: Rasa sees them in order
  var everOnline = false;
  var failures = 0;

  function setStatus(name) {
    root.setAttribute("data-state", name);
    var text = t(name);
    if (status.textContent !== text) status.textContent = text;
  }

  /* Our own socket.io-client 4 (protocol 5), without taking over a window.io the host
     page may already have for something else. */
  var ioClient = null;

  function loadSocketIO(done) {
    var prior = window.io;
    if (typeof prior === "function" && prior.protocol === 5) { ioClient = prior; return done(null); }
    var tag = el("script", null, { src: base + "socket.io.min.js" });
    tag.onload = function () {
      ioClient = window.io;
      if (typeof prior !== "undefined") window.io = prior;
      done(typeof ioClient === "function" ? null : new Error("no io"));
    };
    tag.onerror = function () { done(new Error("socket.io.min.js did not load")); };
    document.head.appendChild(tag);
  }

  function requestSession() {
    ready = false;
    socket.emit("session_request", { session_id: state.sessionId });
  }

  function connect() {
    if (socket) return;
    socket = {}; // placeholder: connecting
    setStatus("connecting");
    loadSocketIO(function (err) {
      if (err) {
        socket = null;
        setStatus("offline");
        setTimeout(function () { if (!panel.hidden || state.outbox.length) connect(); }, 10000);
        return;
      }
      socket = ioClient(config.serverUrl, {
        path: config.socketPath,
        transports: ["websocket", "polling"],
        tryAllTransports: true, // fall back to long-polling where a proxy blocks WebSockets
        reconnectionDelayMax: 10000,
        timeout: 10000
      });
      socket.on("connect", function () {
        failures = 0;
        requestSession();
      });
      socket.on("session_confirm", function (data) {
        var id = typeof data === "string" ? data : data && data.session_id;
        if (id && id !== state.sessionId) { state.sessionId = id; save(); }
        ready = true;
        everOnline = true;
        setStatus("online");
        flush();
      });
      socket.on("bot_uttered", onBotUttered);
      socket.on("disconnect", function (reason) {
        ready = false;
        inflight = null;
        if (reason === "io server disconnect") socket.connect();
        setStatus(everOnline && navigator.onLine !== false ? "reconnecting" : "offline");
      });
      socket.on("connect_error", function () {
        failures++;
        if (!everOnline || failures >= 3 || navigator.onLine === false) setStatus("offline");
      });
    });
  }

  window.addEventListener("offline", function () { if (socket && !ready) setStatus("offline"); });

  function flush() {
    if (!ready || inflight || !state.outbox.length) return;
    var item = state.outbox[0];
    var data = { message: item.message, session_id: state.sessionId };
    data[config.metadataKey] = { municipality: config.municipality, country: config.country,
                                 language: config.pageLang };
    inflight = item.id;
    socket.timeout(ACK_TIMEOUT_MS).emit("user_uttered", data, function (err) {
      // Rasa acknowledges once it has handled the message. An error while disconnected
      // means it may not have arrived: keep it for the next connection.
      if ((err && !socket.connected) || inflight !== item.id) return;
      inflight = null;
      if (state.outbox[0] && state.outbox[0].id === item.id) state.outbox.shift();
      markSent(item.id);
      save();
      flush();
    });
  }

  function sendMessage(shown, message, extra) {
    shown = String(shown || "").trim();
    message = String(message || shown).trim();
    if (!shown) return;
    var id = newId();
    var entry = { id: id, from: "user", text: shown, pending: true };
    if (extra && extra.rating) entry.rating = extra.rating;
    addEntry(entry);
    state.outbox.push({ id: id, message: message });
    save();
    langAfterUser(shown);
    connect();
    flush();
  }

  function normalizeButtons(list) {
    if (!Array.isArray(list)) return [];
    return list.filter(function (b) {
      return b && typeof b.title === "string" && b.title.trim() &&
        (typeof b.payload === "string" || typeof b.payload === "undefined");
    }).slice(0, 12).map(function (b) {
      return { title: b.title, payload: b.payload || b.title };
    });
  }

  function onBotUttered(data) {
    if (!data || typeof data !== "object") return;
    var text = typeof data.text === "string" ? data.text : "";
    var buttons = normalizeButtons(data.quick_replies || data.buttons);
    var att = data.attachment;
    var image = att && att.type === "image" && att.payload && typeof att.payload.src === "string"
      ? att.payload.src : "";
    if (!text && !buttons.length && !image) return;
    var entry = { id: newId(), from: "bot", text: text };
    if (buttons.length) entry.buttons = buttons;
    if (image) entry.image = image;
    addEntry(entry);
    langAfterBot(text);
  }

  // ---- opening, closing, keyboard ----------------------------------------------------
  var narrow = window.matchMedia("(max-width: 30em), (max-height: 32em)");

  function updateModal() {
    panel.setAttribute("aria-modal", narrow.matches ? "true" : "false");
  }

  function openPanel(moveFocus) {
    panel.hidden = false;
    launcher.setAttribute("aria-expanded", "true");
    launcherText.textContent = t("close");
    state.open = true;
    save();
    updateModal();
    connect();
    scrollToEnd();
    if (moveFocus) input.focus();
  }

  function closePanel(returnFocus) {
    panel.hidden = true;
    launcher.setAttribute("aria-expanded", "false");
    launcherText.textContent = t("open");
    state.open = false;
    save();
    if (returnFocus) launcher.focus();
  }

  launcher.addEventListener("click", function () {
    if (panel.hidden) openPanel(true);
    else closePanel(false);
  });
  closeButton.addEventListener("click", function () { closePanel(true); });

  root.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && !panel.hidden) {
      event.preventDefault();
      closePanel(true);
      return;
    }
    // Full-screen on small screens: keep Tab inside the panel, the page is covered.
    if (event.key === "Tab" && !panel.hidden && narrow.matches) {
      var items = panel.querySelectorAll("button, input, a[href], [tabindex='0']");
      var first = items[0], last = items[items.length - 1];
      if (event.shiftKey && document.activeElement === first) { last.focus(); event.preventDefault(); }
      else if (!event.shiftKey && document.activeElement === last) { first.focus(); event.preventDefault(); }
    }
  });
  if (narrow.addEventListener) narrow.addEventListener("change", updateModal);

  form.addEventListener("submit", function (event) {
    event.preventDefault();
    var text = input.value;
    if (!text.trim()) return;
    input.value = "";
    state.draft = "";
    sendMessage(text);
  });

  input.addEventListener("input", function () {
    state.draft = input.value;
    save();
  });

  newChatButton.addEventListener("click", function () {
    state.history = [];
    state.outbox = [];
    state.draft = "";
    state.sessionId = newId();
    inflight = null;
    input.value = "";
    while (log.firstChild) log.removeChild(log.firstChild);
    setLang(config.pageLang);
    save();
    if (socket && socket.connected) requestSession();
    input.focus();
  });

  // ---- start -------------------------------------------------------------------------
  function start() {
    state.history.forEach(function (entry) {
      if (entry && typeof entry.id === "string" && (entry.from === "user" || entry.from === "bot")) {
        log.appendChild(renderEntry(entry));
      }
    });
    refreshButtons();
    input.value = state.draft;
    setLang(state.lang);
    document.body.appendChild(root);
    if (state.open) openPanel(false);         // no focus move on page load
    else if (state.outbox.length) connect();  // deliver what was typed before the reload
  }

  if (document.body) start();
  else document.addEventListener("DOMContentLoaded", start);
})();
