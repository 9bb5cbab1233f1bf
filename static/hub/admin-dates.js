/*
 * The admin's date and time picker (xdsoft datetimepicker) replaces typed text it
 * cannot read with the current date when the field loses focus ("validateOnBlur"), and
 * reads `9.12.26` as the year 26. Typed text stays as typed: the server reads it
 * (pages/admin_dates.py) and answers with a German message on the field when it is not
 * a complete date. Loaded before any picker is set up (insert_global_admin_js).
 *
 * The picker's arrow and "today" buttons are icons without text; each picker added to
 * the page gets German names for them, so screen readers say what they do.
 */
(function () {
  "use strict";
  var picker = window.jQuery && window.jQuery.fn.datetimepicker;
  if (picker && picker.defaults) {
    picker.defaults.validateOnBlur = false;
  }

  var NAMES = [
    [".xdsoft_monthpicker .xdsoft_prev", "Vorheriger Monat"],
    [".xdsoft_monthpicker .xdsoft_today_button", "Heute"],
    [".xdsoft_monthpicker .xdsoft_next", "Nächster Monat"],
    [".xdsoft_timepicker .xdsoft_prev", "Frühere Uhrzeiten"],
    [".xdsoft_timepicker .xdsoft_next", "Spätere Uhrzeiten"],
  ];

  function name(root) {
    if (!root.classList || !root.classList.contains("xdsoft_datetimepicker")) return;
    NAMES.forEach(function (entry) {
      root.querySelectorAll(entry[0]).forEach(function (button) {
        button.setAttribute("aria-label", entry[1]);
        button.setAttribute("title", entry[1]);
      });
    });
  }

  function watch() {
    document.querySelectorAll(".xdsoft_datetimepicker").forEach(name);
    new MutationObserver(function (changes) {
      changes.forEach(function (change) {
        change.addedNodes.forEach(name);
      });
    }).observe(document.body, { childList: true });
  }

  if (document.body) {
    watch();
  } else {
    document.addEventListener("DOMContentLoaded", watch);
  }
})();
