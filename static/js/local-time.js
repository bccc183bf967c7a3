/* Writes each interview time in the browser's own time zone too, the zone named, under the
   time given in the mission's zone (the server's text stays the reference). */
(function () {
  "use strict";
  if (!window.Intl || !Intl.DateTimeFormat) {
    return;
  }
  var zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  var lang = document.documentElement.lang || "fr";
  var format = new Intl.DateTimeFormat(lang, {
    weekday: "long", day: "numeric", month: "long", hour: "2-digit", minute: "2-digit",
    timeZone: zone, timeZoneName: "long"
  });
  var shown = false;
  document.querySelectorAll("[data-local-time]").forEach(function (element) {
    var when = new Date(element.getAttribute("data-local-time"));
    if (!isNaN(when)) {
      element.textContent = format.format(when) + " (" + zone + ")";
      shown = true;
    }
  });
  var note = document.getElementById("browser-zone");
  if (note && shown) {
    note.hidden = false;
    note.textContent = " " + note.textContent;
  }
})();
