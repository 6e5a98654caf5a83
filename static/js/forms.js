// Sozialberichte NRW – forms: focus the error summary (after load and after an htmx swap)
// and make its links put focus into the field they name (GOV.UK behaviour).
(function () {
  "use strict";

  function focusSummary(root) {
    var summary = (root || document).querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest(".error-summary a[href^='#']");
    if (!link) {
      return;
    }
    var field = document.getElementById(link.getAttribute("href").slice(1));
    if (!field) {
      return;
    }
    event.preventDefault();
    var group = field.closest(".form-group") || field;
    group.scrollIntoView();
    field.focus({ preventScroll: true });
  });

  document.addEventListener("DOMContentLoaded", function () {
    focusSummary(document);
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target && event.target.id === "inhalt") {
      focusSummary(event.target);
    }
  });
})();
