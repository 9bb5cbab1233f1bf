/*
 * The admin's date and time picker (xdsoft datetimepicker) replaces typed text it
 * cannot read with the current date when the field loses focus ("validateOnBlur"), and
 * reads `9.12.26` as the year 26. Typed text stays as typed: the server reads it
 * (pages/admin_dates.py) and answers with a German message on the field when it is not
 * a complete date. Loaded before any picker is set up (insert_global_admin_js).
 */
(function () {
  "use strict";
  var picker = window.jQuery && window.jQuery.fn.datetimepicker;
  if (picker && picker.defaults) {
    picker.defaults.validateOnBlur = false;
  }
})();
