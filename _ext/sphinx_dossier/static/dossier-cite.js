/* Citation pop-ups, page URLs and access dates in citations, copy buttons, open figure
   text for printing.
   Local, dependency-free; without it every marker still links to its citation entry. */
(function () {
  "use strict";

  function text(node) {
    return node ? node.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function sourceLine(entry) {
    var head = entry.querySelector("p");
    if (!head) return "";
    var copy = head.cloneNode(true);
    copy.querySelectorAll(".dossier-back, .dossier-quote-link").forEach(function (el) {
      el.remove();
    });
    return text(copy);
  }

  // ---- pop-ups (issue #16, item 6: taps, close button, placement) -------------------
  function makeTip(marker, entry, n) {
    var tip = document.createElement("span");
    tip.className = "dossier-tip";
    tip.id = "dossier-tip-" + n;
    // The description the marker points at: the evidence only, not the buttons.
    var body = document.createElement("span");
    body.className = "dossier-tip-body";
    body.id = tip.id + "-text";
    body.setAttribute("role", "tooltip");
    var source = document.createElement("span");
    source.className = "dossier-tip-source";
    source.textContent = sourceLine(entry);
    body.appendChild(source);
    var quote = text(entry.querySelector(".dossier-quote")).replace(/^[“"]|[”"]$/g, "");
    if (quote) {
      var q = document.createElement("span");
      q.className = "dossier-tip-quote";
      q.textContent = quote;
      body.appendChild(q);
    }
    var note = text(entry.querySelector(".dossier-note"));
    if (note) {
      var nn = document.createElement("span");
      nn.className = "dossier-tip-note";
      nn.textContent = note;
      body.appendChild(nn);
    }
    tip.appendChild(body);
    // For fingers: a way to the full entry and a way out. Out of the tab order, as the
    // keyboard has Enter on the marker and Escape.
    var go = document.createElement("a");
    go.className = "dossier-tip-go";
    go.href = marker.getAttribute("href");
    go.tabIndex = -1;
    go.textContent = "Go to the citation";
    tip.appendChild(go);
    var close = document.createElement("button");
    close.type = "button";
    close.className = "dossier-tip-close";
    close.tabIndex = -1;
    close.setAttribute("aria-label", "Close the pop-up");
    close.textContent = "×";
    tip.appendChild(close);
    return tip;
  }

  // The line the marker sits on: the marker and the character before it.
  function lineBox(marker) {
    var box = marker.getBoundingClientRect();
    var top = box.top, bottom = box.bottom;
    var node = marker;
    while (!node.previousSibling && node.parentNode && node.parentNode !== document.body) {
      node = node.parentNode; // out of the <sup>, if the marker is in one
    }
    var before = node.previousSibling;
    if (before && before.nodeType === 3 && before.length) {
      var range = document.createRange();
      range.setStart(before, before.length - 1);
      range.setEnd(before, before.length);
      var r = range.getBoundingClientRect();
      if (r.height) {
        top = Math.min(top, r.top);
        bottom = Math.max(bottom, r.bottom);
      }
    }
    return { top: top, bottom: bottom, left: box.left };
  }

  // Below the marker's line, or above it when there is no room below; never over it,
  // and inside the viewport from side to side.
  function place(marker, tip) {
    var gap = 4, edge = 8;
    tip.style.left = "0px";
    tip.style.top = "0px";
    var origin = tip.getBoundingClientRect();
    var line = lineBox(marker);
    var width = origin.width, height = origin.height;
    var x = Math.max(edge, Math.min(line.left - edge, window.innerWidth - width - edge));
    var y = line.bottom + gap;
    if (y + height > window.innerHeight - edge && line.top - gap - height >= edge) {
      y = line.top - gap - height;
    }
    tip.style.left = x - origin.left + "px";
    tip.style.top = y - origin.top + "px";
  }

  function initTips() {
    var n = 0;
    var current = null; // {marker, tip, pinned}
    var lastPointer = "";
    var leaving = 0;

    function close() {
      clearTimeout(leaving);
      if (!current) return;
      current.tip.classList.remove("dossier-tip-open");
      current = null;
    }

    function open(marker, tip, pinned) {
      clearTimeout(leaving);
      if (current && current.tip !== tip) close();
      if (!current) {
        current = { marker: marker, tip: tip, pinned: false };
        tip.classList.add("dossier-tip-open");
        place(marker, tip);
      }
      current.pinned = current.pinned || pinned;
    }

    document.querySelectorAll("a.dossier-marker[href^='#']").forEach(function (marker) {
      var id = decodeURIComponent(marker.getAttribute("href").slice(1));
      var entry = document.getElementById(id);
      if (!entry) return;
      n += 1;
      var tip = makeTip(marker, entry, n);
      var holder = marker.parentNode;
      holder.classList.add("dossier-tip-holder");
      holder.insertBefore(tip, marker.nextSibling);
      marker.setAttribute("aria-describedby", tip.id + "-text");
      var wasOpen = false;
      marker.addEventListener("pointerdown", function () {
        wasOpen = !!(current && current.tip === tip && current.pinned);
      });
      // Hover is a mouse's: a finger's "hover" comes with its tap, handled on click.
      holder.addEventListener("pointerenter", function (event) {
        if (event.pointerType === "mouse") open(marker, tip, false);
      });
      holder.addEventListener("pointerleave", function (event) {
        // A moment's grace, so that the pointer can cross the gap to the pop-up.
        if (event.pointerType === "mouse" && current && current.tip === tip &&
            !current.pinned && document.activeElement !== marker) {
          leaving = setTimeout(close, 300);
        }
      });
      marker.addEventListener("focus", function () {
        open(marker, tip, false);
      });
      marker.addEventListener("blur", function (event) {
        if (current && current.tip === tip && !current.pinned &&
            !(event.relatedTarget && tip.contains(event.relatedTarget)) &&
            !holder.matches(":hover")) close();
      });
      marker.addEventListener("click", function (event) {
        // A first tap shows the evidence where it is; a second tap (or "Go to the
        // citation") jumps to the entry. Mouse and keyboard follow the link at once.
        if (lastPointer === "touch" || lastPointer === "pen") {
          lastPointer = "";
          if (!wasOpen) {
            event.preventDefault();
            open(marker, tip, true);
            return;
          }
        }
        close();
      });
      tip.querySelector(".dossier-tip-close").addEventListener("click", function (event) {
        event.preventDefault();
        marker.focus({ preventScroll: true }); // back where the reader was, closed
        close();
      });
      tip.querySelector(".dossier-tip-go").addEventListener("click", close);
    });
    if (!n) return;
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") close();
    });
    // A tap or click anywhere else puts the pop-up away. Capture, so that the marker's
    // own handlers know which kind of pointer this is.
    document.addEventListener("pointerdown", function (event) {
      lastPointer = event.pointerType;
      if (current && !current.marker.parentNode.contains(event.target)) close();
    }, true);
    window.addEventListener("resize", function () {
      if (current) place(current.marker, current.tip);
    });
  }
  // ---- end pop-ups ---------------------------------------------------------------

  function initCiteUrls() {
    if (!/^https?:$|^file:$/.test(window.location.protocol)) return;
    document.querySelectorAll("a.dossier-cite-url").forEach(function (link) {
      if (/^[a-z][a-z0-9+.-]*:/i.test(link.getAttribute("href"))) return;
      // The record's own page, resolved against this one (which may be another page
      // showing the record): the address a reader can paste.
      var url = new URL(link.getAttribute("href"), window.location.href);
      url.hash = "";
      link.setAttribute("href", url.href);
      link.textContent = url.href;
    });
  }

  var MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
    "September", "October", "November", "December"];
  // The CSL en-US short month terms, as the MLA style prints them.
  var SHORT = ["Jan.", "Feb.", "Mar.", "Apr.", "May", "Jun.", "Jul.", "Aug.", "Sep.", "Oct.",
    "Nov.", "Dec."];

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  // The same patterns as sphinx_dossier.outputs.citation.format_date.
  function formatDate(pattern, date) {
    var m = date.getMonth();
    return pattern
      .replace("{MMMM}", MONTHS[m])
      .replace("{MMM}", SHORT[m])
      .replace("{MM}", two(m + 1))
      .replace("{DD}", two(date.getDate()))
      .replace("{D}", String(date.getDate()))
      .replace("{Y}", String(date.getFullYear()));
  }

  function initCitations() {
    var today = new Date();
    document.querySelectorAll(".dossier-accessed[data-pattern]").forEach(function (span) {
      // The citation is of the page as the reader sees it today.
      span.textContent = formatDate(span.getAttribute("data-pattern"), today);
    });
    if (/^https?:$|^file:$/.test(window.location.protocol)) {
      document.querySelectorAll(".dossier-cite-url[data-href]").forEach(function (span) {
        span.textContent = new URL(span.getAttribute("data-href"), window.location.href).href;
      });
    }
    if (!navigator.clipboard) return;
    document.querySelectorAll(".dossier-cite-format").forEach(function (box) {
      var text = box.querySelector(".dossier-cite-text");
      if (!text) return;
      var button = document.createElement("button");
      button.type = "button";
      button.className = "dossier-cite-copy";
      button.textContent = "Copy";
      button.setAttribute("aria-label", "Copy the " + box.getAttribute("data-format") +
        " citation");
      button.addEventListener("click", function () {
        var parts = [text.textContent.trim()];
        box.querySelectorAll(".dossier-cite-evidence").forEach(function (p) {
          parts.push(p.textContent.trim());
        });
        navigator.clipboard.writeText(parts.join("\n")).then(function () {
          button.textContent = "Copied";
          setTimeout(function () { button.textContent = "Copy"; }, 1500);
        });
      });
      box.appendChild(button);
    });
  }

  function initPrint() {
    window.addEventListener("beforeprint", function () {
      document.querySelectorAll("details.dossier-fig-text").forEach(function (d) {
        d.setAttribute("data-was-open", d.open ? "1" : "0");
        d.open = true;
      });
    });
    window.addEventListener("afterprint", function () {
      document.querySelectorAll("details.dossier-fig-text").forEach(function (d) {
        d.open = d.getAttribute("data-was-open") === "1";
      });
    });
  }

  function init() {
    initTips();
    initCiteUrls();
    initCitations();
    initPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
