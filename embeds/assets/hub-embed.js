/* hub-embed.js – Kommunales Integrationszentrum Ennepe-Ruhr-Kreis.
   <div data-hub-section="events" data-hub-city="witten"></div> becomes the hub's list;
   iframes of /embed/ get their height from the messages they post. No dependencies. */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || window.hubEmbedLoaded) return;
  window.hubEmbedLoaded = true;
  var hub = new URL(script.src).origin;
  var names = ["city", "target_group", "topic", "status", "upcoming", "from", "to", "q",
    "limit", "ordering", "title", "heading", "accent", "text", "background", "font"];

  function load(box) {
    var params = new URLSearchParams();
    names.forEach(function (name) {
      var value = box.getAttribute("data-hub-" + name.replace(/_/g, "-"));
      if (value) params.set(name, value);
    });
    params.set("format", "fragment");
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
          box.textContent = "Die Liste des Kommunalen Integrationszentrums konnte nicht geladen werden.";
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
