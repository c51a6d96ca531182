// procmap's page: dropping files on the drop zone, and saying what went wrong when the server refused a request.
// Everything else is htmx attributes in the HTML; nothing here talks to any other server.
(function () {
  "use strict";

  function dropZone(target) {
    return target && target.closest ? target.closest("#drop") : null;
  }

  document.addEventListener("dragover", function (event) {
    var zone = dropZone(event.target);
    if (zone) { event.preventDefault(); zone.classList.add("over"); }
  });
  document.addEventListener("dragleave", function (event) {
    var zone = dropZone(event.target);
    if (zone) { zone.classList.remove("over"); }
  });
  document.addEventListener("drop", function (event) {
    var zone = dropZone(event.target);
    if (!zone || !event.dataTransfer || !event.dataTransfer.files.length) { return; }
    event.preventDefault();
    zone.classList.remove("over");
    var input = document.getElementById("f-files");
    input.files = event.dataTransfer.files;
    input.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // Enter in a text box sends it, as Enter sends a form.
  document.addEventListener("keydown", function (event) {
    var el = event.target;
    if (event.key === "Enter" && el.tagName === "INPUT" && el.type === "text" && el.closest("#work")) {
      event.preventDefault();
      el.dispatchEvent(new Event("change", { bubbles: true }));
    }
  });

  function say(text) {
    var alert = document.getElementById("alert");
    if (!alert) { return; }
    alert.textContent = text;
    alert.hidden = !text;
  }

  // What the user types while an answer is on its way must survive the answer replacing the form:
  // such edits are put back after the swap and sent again (at once, or when the field is left).
  var edits = {}, sentAt = 0;
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (el.id && el.closest && el.closest("#work") && el.type !== "file") {
      edits[el.id] = { value: el.value, at: Date.now() };
    }
  });
  document.addEventListener("htmx:beforeRequest", function () { sentAt = Date.now(); say(""); });
  document.addEventListener("htmx:afterSwap", function () {
    var late = edits;
    edits = {};
    Object.keys(late).forEach(function (id) {
      var el = document.getElementById(id), edit = late[id];
      if (!el || edit.at < sentAt || el.value === edit.value) { return; }
      el.value = edit.value;
      edits[id] = edit;
      var send = function () { el.dispatchEvent(new Event("change", { bubbles: true })); };
      if (document.activeElement === el) { el.addEventListener("blur", send, { once: true }); } else { send(); }
    });
  });
  document.addEventListener("htmx:responseError", function (event) {
    var xhr = event.detail.xhr, text = xhr.statusText || ("HTTP " + xhr.status);
    try { text = JSON.parse(xhr.responseText).detail || text; } catch (e) { /* not JSON */ }
    say(String(text));
  });
  document.addEventListener("htmx:sendError", function () {
    say("procmap serve is not answering: is it still running?");
  });
})();
