/* hub-embed.js – Kommunales Integrationszentrum Ennepe-Ruhr-Kreis.
   <div data-hub-section="events" data-hub-city="witten"></div> becomes the hub's list;
   iframes of /embed/ get their height from the messages they post. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.hubEmbedLoaded) return;
  window.hubEmbedLoaded = true;
  var hub = new URL(script.src).origin;
  var names = ["lang", "city", "target_group", "topic", "status", "upcoming", "from", "to",
    "q", "limit", "ordering", "title", "heading", "accent", "text", "background", "font"];
  // Shown when the list cannot be loaded, in the embed's language (German otherwise).
  var failed = {
    de: "Die Liste des Kommunalen Integrationszentrums konnte nicht geladen werden.",
    "de-x-ls": "Die Liste vom Kommunalen Integrations·zentrum kann man gerade nicht sehen.",
    en: "The list of the Municipal Integration Centre could not be loaded.",
    ar: "تعذّر تحميل قائمة المركز البلدي للاندماج.",
    uk: "Не вдалося завантажити список Муніципального центру інтеграції.",
    tr: "Belediye Entegrasyon Merkezi'nin listesi yüklenemedi.",
    fa: "فهرست مرکز شهری ادغام بارگیری نشد.",
    ru: "Не удалось загрузить список Муниципального центра интеграции."
  };

  function speak(box, lang) {
    box.lang = lang;
    box.dir = /^(ar|fa)(-|$)/.test(lang) ? "rtl" : "ltr";
  }

  function load(box) {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      var value = box.getAttribute("data-hub-" + name.replace(/_/g, "-"));
      if (value) params.set(name, value);
    });
    params.set("format", "fragment");
    var lang = (box.getAttribute("data-hub-lang") || "de").toLowerCase();
    speak(box, lang);
    var section = encodeURIComponent(box.getAttribute("data-hub-section") || "events");
    box.setAttribute("aria-busy", "true");
    fetch(hub + "/embed/" + section + "/?" + params, { credentials: "omit" })
      .then(function (response) {
        if (!response.ok) throw new Error(response.status);
        return response.text();
      })
      .then(function (html) { box.innerHTML = html; })
      .catch(function () {
        if (!box.querySelector("a")) {
          if (!failed[lang]) lang = "de";
          speak(box, lang);
          box.textContent = failed[lang];
        }
      })
      .then(function () { box.removeAttribute("aria-busy"); });
  }

  window.addEventListener("message", function (event) {
    var data = event.data;
    if (event.origin !== hub || !data || data.type !== "hub-embed:height") return;
    var frames = document.getElementsByTagName("iframe");
    for (var i = 0; i < frames.length; i++) {
      if (frames[i].contentWindow === event.source) {
        frames[i].style.height = Math.max(0, Math.min(+data.height || 0, 20000)) + "px";
      }
    }
  });

  function start() {
    var boxes = document.querySelectorAll("[data-hub-section]");
    for (var i = 0; i < boxes.length; i++) load(boxes[i]);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
