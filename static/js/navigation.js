/*
 * In-place navigation that screen-reader and keyboard users can follow (htmx 2).
 *
 * Links in the containers marked data-hx-boost load the next page's fragments into
 * <main id="inhalt"> (webapp/fragments.py). After every such navigation, and after Back and
 * Forward: the view scrolls to the top, the focus moves to the new h1 and the status region
 * says "Seite geladen: <Titel>". A failed request is announced, then the page is loaded
 * normally. The texts come from data- attributes of #status (translated on the server).
 *
 * No inline code: this file is loaded with defer after htmx.
 */
(function () {
  "use strict";

  var MAIN_ID = "inhalt";
  /** Time to hear (the start of) the failure message before the normal page load (ms). */
  var FALLBACK_DELAY = 2000;
  /** Links to files and feeds always load normally. */
  var FILE_PATH = /\.(xml|ics|pdf|txt|csv|zip|docx?|xlsx?|pptx?|odt|ods|odp)$/i;

  function statusRegion() {
    return document.getElementById("status");
  }

  function announce(text) {
    var region = statusRegion();
    if (!region || !text) {
      return;
    }
    // The Mediopunkt (and the zero-width space after it) is for the eye: a screen reader would
    // say "Mittelpunkt" (texts taken from the page, such as the h1, still contain it).
    text = String(text).replace(/\u00b7\u200b?|\u200b/g, "");
    // Empty first, so the same text twice in a row is announced again.
    region.textContent = "";
    window.setTimeout(function () {
      region.textContent = text;
    }, 50);
  }

  /** For the portal's other scripts: one way to speak through the status region. */
  window.portal = window.portal || {};
  window.portal.announce = announce;

  function fullLoadOnly(link) {
    return (
      link.hasAttribute("download") ||
      link.hasAttribute("hreflang") ||
      link.classList.contains("language-switch") ||
      /^(mailto|tel):/i.test(link.getAttribute("href") || "") ||
      FILE_PATH.test(link.pathname || "") ||
      /\/downloads\//.test(link.pathname || "")
    );
  }

  // data-hx-boost on a container boosts its links only: a form takes part only when it says so
  // itself (data-hx-boost="true"), and downloads, feeds and language links always load normally.
  document.addEventListener("htmx:beforeProcessNode", function (event) {
    var elt = event.target;
    if (!elt.hasAttribute || elt.hasAttribute("data-hx-boost")) {
      return;
    }
    if (elt.tagName === "FORM" || (elt.tagName === "A" && fullLoadOnly(elt))) {
      elt.setAttribute("data-hx-boost", "false");
    }
  });

  function main() {
    return document.getElementById(MAIN_ID);
  }

  function setBusy(busy) {
    var region = main();
    if (!region) {
      return;
    }
    if (busy) {
      region.setAttribute("aria-busy", "true");
    } else {
      region.removeAttribute("aria-busy");
    }
  }

  function pageLoaded() {
    var region = main();
    if (!region) {
      return;
    }
    setBusy(false);
    var heading = region.querySelector("h1");
    window.scrollTo(0, 0);
    (heading || region).focus({ preventScroll: true });
    var template = statusRegion() && statusRegion().getAttribute("data-page-loaded");
    var title = (heading || region).textContent.replace(/\s+/g, " ").trim();
    if (template) {
      announce(withDetail(template.replace("{title}", title), region));
    }
  }

  /**
   * Back and Forward replace the whole body (history from the server) in one task. The focus
   * then moves in a task of its own: made in the swap's task, Orca (43, with Chromium) followed
   * events of the new content that Chromium reports after it and landed in the new page's
   * year filter instead of the h1 (tests/test_screenreader.py). An in-place navigation moves
   * the focus after htmx's settle delay, when the new content has been reported already.
   */
  function pageRestored() {
    window.setTimeout(pageLoaded, 0);
  }

  /**
   * What the new page itself says first (an element marked data-page-loaded-detail, e.g. the
   * number of search hits) is part of the announcement: heard at once, not lines later.
   */
  function withDetail(text, region) {
    var detail = region.querySelector("[data-page-loaded-detail]");
    var extra = detail ? detail.textContent.replace(/\s+/g, " ").trim() : "";
    return extra ? text + ". " + extra : text;
  }

  /** Content that asks for the focus (e.g. the first appended news item) gets it once. */
  function focusMarked() {
    var marked = document.querySelector("[data-focus-after-swap]");
    if (marked) {
      marked.removeAttribute("data-focus-after-swap");
      marked.focus();
    }
  }

  function verbOf(detail) {
    var config = (detail && detail.requestConfig) || {};
    return String(config.verb || "get").toLowerCase();
  }

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.boosted) {
      setBusy(true);
    }
  });

  // A boosted link whose answer is not a page's fragments (another kind of view): load it
  // normally rather than swap a whole document into the page.
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    var wouldSwap = event.detail.shouldSwap && !event.detail.isError;
    if (event.detail.boosted && wouldSwap && xhr && !xhr.getResponseHeader("HX-Retarget")) {
      event.detail.shouldSwap = false;
      window.location.href = xhr.responseURL || event.detail.pathInfo.requestPath;
    }
  });

  // afterSettle also fires for every out-of-band swap: only the main content is a new page.
  document.addEventListener("htmx:afterSettle", function (event) {
    if (event.target.id === MAIN_ID && verbOf(event.detail) === "get") {
      pageLoaded();
    }
    focusMarked();
  });

  // Back and Forward: the page comes from the server (historyCacheSize 0), then the same.
  document.addEventListener("htmx:historyRestore", pageRestored);
  document.addEventListener("htmx:historyCacheMiss", function (event) {
    event.detail.xhr.addEventListener("error", function () {
      window.location.reload();
    });
  });
  document.addEventListener("htmx:historyCacheMissLoadError", function () {
    window.location.reload();
  });

  function fallBack(event) {
    var detail = event.detail || {};
    setBusy(false);
    var region = statusRegion();
    announce(region && region.getAttribute("data-load-failed"));
    if (verbOf(detail) !== "get") {
      return; // never repeat a form submission on its own
    }
    var path = detail.pathInfo && (detail.pathInfo.finalRequestPath || detail.pathInfo.requestPath);
    window.setTimeout(function () {
      window.location.href = path || window.location.href;
    }, FALLBACK_DELAY);
  }

  ["htmx:sendError", "htmx:timeout", "htmx:responseError"].forEach(function (name) {
    document.addEventListener(name, fallBack);
  });
})();
