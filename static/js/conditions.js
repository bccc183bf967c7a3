/* Shows a question only when the earlier answer it depends on has one of its values
   (data-condition: the earlier field's name; data-condition-values: the values, spaced).
   Without JavaScript every question shows; the server drops the answers of hidden ones. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-autosave]");
  if (!form) {
    return;
  }
  var dependants = form.querySelectorAll("[data-condition]");

  function chosen(name) {
    var values = [];
    form.querySelectorAll("[name='" + name + "']").forEach(function (input) {
      if ((input.type === "radio" || input.type === "checkbox") ? input.checked : input.value) {
        values.push(input.value);
      }
    });
    return values;
  }

  function update() {
    // In order: a question hidden hides those that depend on it.
    var hidden = {};
    dependants.forEach(function (block) {
      var name = block.getAttribute("data-condition");
      var wanted = block.getAttribute("data-condition-values").split(" ");
      var shown = !hidden[name] && chosen(name).some(function (value) {
        return wanted.indexOf(value) !== -1;
      });
      block.hidden = !shown;
      block.querySelectorAll("input, select, textarea").forEach(function (input) {
        input.disabled = !shown;
        hidden[input.name] = !shown;
      });
    });
  }

  form.addEventListener("change", update);
  update();
})();
