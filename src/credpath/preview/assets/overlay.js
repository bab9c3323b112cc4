// credpath serve: the findings overlay and live reload (never part of `credpath site`).
//
// The server streams events (/_credpath/events) for the page this script came with:
// "findings" carries the overlay's new content (HTML the server drew and escaped),
// written in place; "reload" says the page, or the data it reads, has changed.
// A page whose content did not change is never reloaded.
(function () {
  "use strict";
  var script = document.currentScript;
  var page = script.getAttribute("data-page");
  var digest = script.getAttribute("data-digest");
  var KEY = "credpath-overlay-hidden";

  function overlay() {
    return document.getElementById("credpath-overlay");
  }

  function showCollapsed() {
    var box = overlay();
    if (!box) return;
    var hidden = sessionStorage.getItem(KEY) === "1";
    box.classList.toggle("credpath-collapsed", hidden);
    var button = box.querySelector("[data-credpath-toggle]");
    if (button) {
      button.textContent = hidden ? "Show" : "Hide";
      button.setAttribute("aria-expanded", hidden ? "false" : "true");
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    if (!(target instanceof Element) || !target.closest("[data-credpath-toggle]")) return;
    var hidden = sessionStorage.getItem(KEY) === "1";
    sessionStorage.setItem(KEY, hidden ? "0" : "1");
    showCollapsed();
  });

  var url = "/_credpath/events?page=" + encodeURIComponent(page) +
    "&digest=" + encodeURIComponent(digest);
  var events = new EventSource(url);
  events.addEventListener("open", function () {
    document.documentElement.setAttribute("data-credpath-live", "");  // following the saves
  });
  events.addEventListener("findings", function (event) {
    var update = JSON.parse(event.data);
    var box = overlay();
    if (!box) return;
    box.innerHTML = update.html;
    box.setAttribute("data-count", String(update.count));
    box.hidden = update.count === 0;
    showCollapsed();
  });
  events.addEventListener("reload", function () {
    events.close();
    window.location.reload();
  });
  showCollapsed();
})();
