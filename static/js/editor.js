// Sozialberichte NRW – editors' area: read out what a page reports after a change (saved,
// check results, a conflict) through the page's status region. The region is empty on
// load and filled a moment later, so screen readers announce it.
(function () {
  "use strict";

  function announce() {
    var region = document.getElementById("status");
    var messages = document.querySelectorAll("#inhalt [data-announce]");
    if (!region || !messages.length) {
      return;
    }
    var text = Array.prototype.map
      .call(messages, function (element) {
        return element.textContent.replace(/\s+/g, " ").trim();
      })
      .join(" ");
    window.setTimeout(function () {
      region.textContent = text;
    }, 150);
  }

  document.addEventListener("DOMContentLoaded", announce);
})();
