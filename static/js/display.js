/* Display controls with JavaScript (webapp/display.py, partials/display_controls.html).
 *
 * Größer, Kleiner, Kontrast, Standardansicht: htmx posts the form (data-hx-post) and swaps the
 * changed buttons and the #status text out of band; htmx keeps the focus on the button.
 * The server's HX-Trigger-After-Swap event "anzeige-geaendert" names the new classes of
 * <html>, applied here. Drucken opens the browser's print dialog instead of the print view.
 * Vorlesen reads <main> with the browser's own speech synthesis, in the page's language; its
 * buttons are made here (without JavaScript they are not in the page).
 * No inline script or style: a strict Content-Security-Policy holds.
 */
(function () {
  "use strict";

  var root = document.documentElement;

  /** Speak through the status region, the one way navigation.js (loaded first) provides. */
  function announce(text) {
    if (window.portal && window.portal.announce) {
      window.portal.announce(text);
    }
  }

  // "Menü" (partials/header.html) is a <details>: CSS shows its content on wide screens even
  // when closed. Opened there, it stays open when larger text makes the screen narrow, so the
  // button just pressed keeps its place and the focus. It is never closed from here.
  var menu = document.getElementById("menue");
  var toggle = menu && menu.querySelector("summary");
  function openWhenWide() {
    if (menu && !menu.open && window.getComputedStyle(toggle).display === "none") {
      menu.open = true;
    }
  }
  if (toggle) {
    openWhenWide();
    if ("ResizeObserver" in window) {
      new window.ResizeObserver(openWhenWide).observe(document.querySelector(".site-header"));
    }
  }

  // Größer, Kleiner, Kontrast, Standardansicht (htmx)
  document.addEventListener("anzeige-geaendert", function (event) {
    var detail = event.detail || {};
    (detail.known || []).forEach(function (name) {
      root.classList.remove(name);
    });
    (detail.classes || []).forEach(function (name) {
      root.classList.add(name);
    });
  });

  document.addEventListener("htmx:beforeRequest", function (event) {
    var status = document.getElementById("status");
    if (status && event.target.closest && event.target.closest(".display-form")) {
      status.textContent = "";
    }
  });

  // Drucken: the print dialog. Capture phase, so no other handler (htmx) takes the form.
  document.addEventListener(
    "submit",
    function (event) {
      var button = event.submitter;
      if (!button || button.id !== "anzeige-drucken") {
        return;
      }
      event.preventDefault();
      event.stopPropagation();
      window.print();
    },
    true
  );

  /** A paragraph for the print information (classes of print.css). */
  function line(className, text) {
    var p = document.createElement("p");
    if (className) {
      p.className = className;
    }
    p.textContent = text;
    return p;
  }

  // Outside the print view the print information is only data-* (no text that text browsers
  // or screen readers would read): it is written into the block just before printing.
  window.addEventListener("beforeprint", function () {
    var info = document.getElementById("druckinfo");
    if (!info || !info.hasAttribute("data-address")) {
      return; // the print view has the server's text and date
    }
    var today = new Date().toLocaleDateString(root.lang || undefined, {
      day: "numeric",
      month: "long",
      year: "numeric"
    });
    var date = line("print-info__date", info.dataset.dateLabel + " ");
    var span = document.createElement("span");
    span.className = "print-info__today";
    span.textContent = today;
    date.appendChild(span);
    info.replaceChildren(
      line("print-info__title", info.dataset.title),
      line("", info.dataset.address),
      date
    );
  });

  // Vorlesen: only where the browser has speech synthesis. Its list item and buttons are made
  // here, after Drucken, from the texts on the tools list (data-*).
  var tools = document.querySelector(".service-bar__tools");
  if (
    !tools ||
    !("speechSynthesis" in window) ||
    typeof window.SpeechSynthesisUtterance !== "function"
  ) {
    return;
  }
  var synth = window.speechSynthesis;
  var speech = document.createElement("li");
  speech.className = "speech";
  speech.hidden = true;
  Object.keys(tools.dataset).forEach(function (key) {
    speech.dataset[key] = tools.dataset[key];
  });
  var print = document.getElementById("anzeige-drucken");
  var printItem = print && print.closest("li");
  tools.insertBefore(speech, printItem ? printItem.nextSibling : tools.firstChild);

  /** Vorlesen, Pause and Stopp exist only here: without JavaScript they are not in the page. */
  function speechButton(id, label, pressed) {
    var button = document.createElement("button");
    button.type = "button";
    button.id = id;
    button.className = "display-button";
    button.textContent = label;
    if (pressed !== undefined) {
      button.setAttribute("aria-pressed", pressed);
    }
    speech.appendChild(button);
    return button;
  }
  var start = speechButton("anzeige-vorlesen", speech.dataset.labelStart);
  var pause = speechButton("anzeige-vorlesen-pause", speech.dataset.labelPause, "false");
  var stop = speechButton("anzeige-vorlesen-stopp", speech.dataset.labelStop);
  pause.hidden = true;
  stop.hidden = true;
  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, caption, figcaption";
  var session = 0;

  function texts() {
    var main = document.querySelector("main");
    if (!main) {
      return [];
    }
    var blocks = Array.prototype.slice.call(main.querySelectorAll(BLOCKS));
    return blocks
      .filter(function (block) {
        return !block.querySelector(BLOCKS) && block.getClientRects().length > 0;
      })
      .map(function (block) {
        var marked = block.closest("[lang]");
        // The Mediopunkt (Sozial·bericht) is for the eye: speech gets "Sozialbericht".
        var text = block.innerText.replace(/\u00b7\u200b?/g, "").trim();
        return { text: text, lang: marked ? marked.lang : root.lang };
      })
      .filter(function (part) {
        return part.text;
      });
  }

  function voiceFor(lang) {
    var voices = synth.getVoices ? synth.getVoices() : [];
    var base = (lang || "").split("-")[0].toLowerCase();
    for (var i = 0; i < voices.length; i += 1) {
      if ((voices[i].lang || "").toLowerCase().split(/[-_]/)[0] === base) {
        return voices[i];
      }
    }
    return null;
  }

  function showReading(reading) {
    pause.hidden = !reading;
    stop.hidden = !reading;
    pause.setAttribute("aria-pressed", "false");
  }

  function finish(message) {
    session += 1;
    var hadFocus = document.activeElement === pause || document.activeElement === stop;
    synth.cancel();
    showReading(false);
    if (hadFocus) {
      start.focus();
    }
    announce(message);
  }

  start.addEventListener("click", function () {
    session += 1;
    var current = session;
    var parts = texts();
    var left = parts.length;
    synth.cancel();
    parts.forEach(function (part) {
      var utterance = new window.SpeechSynthesisUtterance(part.text);
      utterance.lang = part.lang || "de";
      var voice = voiceFor(utterance.lang);
      if (voice) {
        utterance.voice = voice;
      }
      utterance.addEventListener("end", function () {
        left -= 1;
        if (left === 0 && current === session) {
          finish(speech.dataset.stopped);
        }
      });
      synth.speak(utterance);
    });
    showReading(parts.length > 0);
    announce(speech.dataset.started);
  });

  pause.addEventListener("click", function () {
    if (pause.getAttribute("aria-pressed") === "true") {
      synth.resume();
      pause.setAttribute("aria-pressed", "false");
      announce(speech.dataset.resumed);
    } else {
      synth.pause();
      pause.setAttribute("aria-pressed", "true");
      announce(speech.dataset.paused);
    }
  });

  stop.addEventListener("click", function () {
    finish(speech.dataset.stopped);
  });

  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
  // In-place navigation (htmx) brings another page: stop reading the old one.
  ["htmx:pushedIntoHistory", "htmx:historyRestore"].forEach(function (name) {
    document.addEventListener(name, function () {
      if (!stop.hidden) {
        finish(speech.dataset.stopped);
      }
    });
  });
  speech.hidden = false;
})();
