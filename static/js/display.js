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
  // Back and Forward bring a new body (htmx history restore): the same for its header.
  var observer = "ResizeObserver" in window ? new window.ResizeObserver(openWhenWide) : null;
  function openWhenWide() {
    var menu = document.getElementById("menue");
    var toggle = menu && menu.querySelector("summary");
    if (toggle && !menu.open && window.getComputedStyle(toggle).display === "none") {
      menu.open = true;
    }
  }
  function watchHeader() {
    openWhenWide();
    var header = document.querySelector(".site-header");
    if (observer && header) {
      observer.disconnect();
      observer.observe(header);
    }
  }
  watchHeader();
  document.addEventListener("htmx:historyRestore", watchHeader);

  // Größer, Kleiner, Kontrast, Standardansicht (htmx)
  /** A stateful button's new state, set in place (webapp/display.py button_states). */
  function setButton(id, state) {
    var button = document.getElementById(id);
    if (!button) {
      return;
    }
    if ("pressed" in state) {
      button.setAttribute("aria-pressed", state.pressed ? "true" : "false");
    }
    if ("disabled" in state) {
      if (state.disabled) {
        button.setAttribute("aria-disabled", "true");
      } else {
        button.removeAttribute("aria-disabled");
      }
      var limit = button.querySelector(".display-button__limit");
      if (state.limit) {
        if (!limit) {
          limit = document.createElement("span");
          limit.className = "display-button__limit";
          button.appendChild(document.createTextNode(" "));
          button.appendChild(limit);
        }
        limit.textContent = "(" + state.limit + ")";
      } else if (limit) {
        if (limit.previousSibling && limit.previousSibling.nodeType === 3) {
          limit.previousSibling.remove();
        }
        limit.remove();
      }
    }
  }

  document.addEventListener("anzeige-geaendert", function (event) {
    var detail = event.detail || {};
    Object.keys(detail.buttons || {}).forEach(function (id) {
      setButton(id, detail.buttons[id]);
    });
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
  // here, after Drucken, from the texts on the tools list (data-*): without JavaScript they are
  // not in the page. Back and Forward bring a whole new body from the server (htmx history
  // restore) without them: they are made again after every restore, and the clicks are handled
  // on the document, so that new buttons work as the first ones did.
  if (!("speechSynthesis" in window) || typeof window.SpeechSynthesisUtterance !== "function") {
    return;
  }
  var synth = window.speechSynthesis;
  var BLOCKS = "h1, h2, h3, h4, h5, h6, p, li, dt, dd, th, td, caption, figcaption";
  var session = 0;
  var reading = false;

  function speechButton(speech, id, label, pressed) {
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

  /** The Vorlesen controls of the current body, made once per body. */
  function makeControls() {
    var tools = document.querySelector(".service-bar__tools");
    if (!tools || tools.querySelector(".speech")) {
      return;
    }
    var speech = document.createElement("li");
    speech.className = "speech";
    Object.keys(tools.dataset).forEach(function (key) {
      speech.dataset[key] = tools.dataset[key];
    });
    var print = document.getElementById("anzeige-drucken");
    var printItem = print && print.closest("li");
    tools.insertBefore(speech, printItem ? printItem.nextSibling : tools.firstChild);
    speechButton(speech, "anzeige-vorlesen", speech.dataset.labelStart);
    speechButton(speech, "anzeige-vorlesen-pause", speech.dataset.labelPause, "false").hidden = true;
    speechButton(speech, "anzeige-vorlesen-stopp", speech.dataset.labelStop).hidden = true;
  }

  function controls() {
    return {
      speech: document.querySelector(".speech"),
      start: document.getElementById("anzeige-vorlesen"),
      pause: document.getElementById("anzeige-vorlesen-pause"),
      stop: document.getElementById("anzeige-vorlesen-stopp")
    };
  }

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

  function showReading(on) {
    var c = controls();
    reading = on;
    if (c.pause && c.stop) {
      c.pause.hidden = !on;
      c.stop.hidden = !on;
      c.pause.setAttribute("aria-pressed", "false");
    }
  }

  function finish(message) {
    var c = controls();
    session += 1;
    var hadFocus = document.activeElement === c.pause || document.activeElement === c.stop;
    synth.cancel();
    showReading(false);
    if (hadFocus && c.start) {
      c.start.focus();
    }
    announce(message);
  }

  function read() {
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
          finish(controls().speech.dataset.stopped);
        }
      });
      synth.speak(utterance);
    });
    showReading(parts.length > 0);
    announce(controls().speech.dataset.started);
  }

  function togglePause(pause) {
    var speech = controls().speech;
    if (pause.getAttribute("aria-pressed") === "true") {
      synth.resume();
      pause.setAttribute("aria-pressed", "false");
      announce(speech.dataset.resumed);
    } else {
      synth.pause();
      pause.setAttribute("aria-pressed", "true");
      announce(speech.dataset.paused);
    }
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest(".speech button");
    if (!button) {
      return;
    }
    if (button.id === "anzeige-vorlesen") {
      read();
    } else if (button.id === "anzeige-vorlesen-pause") {
      togglePause(button);
    } else if (button.id === "anzeige-vorlesen-stopp") {
      finish(controls().speech.dataset.stopped);
    }
  });

  window.addEventListener("pagehide", function () {
    synth.cancel();
  });
  // In-place navigation (htmx) brings another page: stop reading the old one (silently after
  // Back/Forward: the new page is announced, and the old buttons are gone).
  document.addEventListener("htmx:pushedIntoHistory", function () {
    if (reading) {
      finish(controls().speech.dataset.stopped);
    }
  });
  document.addEventListener("htmx:historyRestore", function () {
    session += 1;
    synth.cancel();
    reading = false;
    makeControls();
  });
  makeControls();
})();
