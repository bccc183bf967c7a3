/* Saves the application draft while the candidate types, and when the tab is closed.
   Progressive enhancement: without JavaScript, every button press saves the draft too. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form || !window.fetch) {
    return;
  }
  var status = document.getElementById("autosave-status");
  var timer = null;

  function payload() {
    var data = new FormData(form);
    form.querySelectorAll("input[type=file]").forEach(function (input) {
      data.delete(input.name);
    });
    data.set("next", "autosave");
    return data;
  }

  function save() {
    timer = null;
    fetch(window.location.href, { method: "POST", body: payload(), credentials: "same-origin" })
      .then(function (response) {
        if (response.ok && status) {
          status.textContent = status.getAttribute("data-saved");
        }
      })
      .catch(function () { /* offline: the next press of a button saves it */ });
  }

  form.addEventListener("input", function (event) {
    if (event.target.type === "file") {
      return;
    }
    window.clearTimeout(timer);
    timer = window.setTimeout(save, 1500);
  });

  window.addEventListener("pagehide", function () {
    if (timer && navigator.sendBeacon) {
      window.clearTimeout(timer);
      navigator.sendBeacon(window.location.href, payload());
    }
  });
})();
