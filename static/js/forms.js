// Sozialberichte NRW – forms (webapp/forms). No inline code: loaded with defer.
//
// * The error summary gets the focus: after a full page load (autofocus does it without
//   JavaScript, too) and after htmx swapped an invalid form (status 422) in place.
// * A form that could not be stored (expired token 400, too many requests 429, database
//   down 503) comes back as a page that shows the entries: htmx swaps it in place like the
//   422 (the htmx config treats other errors as failures), and its heading gets the focus.
// * The summary's links put the focus into the field they name (GOV.UK behaviour).
(function () {
  "use strict";

  var MAIN_ID = "inhalt";
  var SHOWN_BACK = [400, 429, 503];

  function focusResult(root) {
    var target = root.querySelector(".error-summary") || root.querySelector("h1");
    if (target) {
      target.focus();
    }
  }

  /** Whether the request of an htmx event came from one of the portal's forms. */
  function fromPortalForm(detail) {
    var elt = (detail.requestConfig && detail.requestConfig.elt) || detail.elt;
    return Boolean(elt && elt.closest && elt.closest(".form-section form"));
  }

  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (
      fromPortalForm(event.detail) &&
      xhr &&
      SHOWN_BACK.indexOf(xhr.status) !== -1 &&
      xhr.getResponseHeader("HX-Retarget")
    ) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // afterSettle also fires for out-of-band swaps: only the form's answer in main counts.
    if (event.target && event.target.id === MAIN_ID && fromPortalForm(event.detail)) {
      focusResult(event.target);
    }
  });

  document.addEventListener("DOMContentLoaded", function () {
    var summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  });

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
    (field.closest(".form-group") || field).scrollIntoView();
    field.focus({ preventScroll: true });
  });
})();
