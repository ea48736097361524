/* Citation pop-ups, page URLs in "cite this entry", open figure text for printing.
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

  function makeTip(marker, entry, n) {
    var tip = document.createElement("span");
    tip.className = "dossier-tip";
    tip.id = "dossier-tip-" + n;
    tip.setAttribute("role", "tooltip");
    var source = document.createElement("span");
    source.className = "dossier-tip-source";
    source.textContent = sourceLine(entry);
    tip.appendChild(source);
    var quote = text(entry.querySelector(".dossier-quote")).replace(/^[“"]|[”"]$/g, "");
    if (quote) {
      var q = document.createElement("span");
      q.className = "dossier-tip-quote";
      q.textContent = quote;
      tip.appendChild(q);
    }
    var note = text(entry.querySelector(".dossier-note"));
    if (note) {
      var nn = document.createElement("span");
      nn.className = "dossier-tip-note";
      nn.textContent = note;
      tip.appendChild(nn);
    }
    return tip;
  }

  function place(marker, tip) {
    // Keep the pop-up on screen: open it leftwards near the right edge.
    tip.classList.remove("dossier-tip-left");
    var rect = marker.getBoundingClientRect();
    if (rect.left + Math.min(352, window.innerWidth * 0.8) > window.innerWidth - 8) {
      tip.classList.add("dossier-tip-left");
    }
  }

  function initTips() {
    var n = 0;
    document.querySelectorAll("a.dossier-marker[href^='#']").forEach(function (marker) {
      var id = decodeURIComponent(marker.getAttribute("href").slice(1));
      var entry = document.getElementById(id);
      if (!entry) return;
      n += 1;
      var tip = makeTip(marker, entry, n);
      var holder = marker.parentNode;
      holder.classList.add("dossier-tip-holder");
      holder.insertBefore(tip, marker.nextSibling);
      marker.setAttribute("aria-describedby", tip.id);
      var show = function () {
        document.documentElement.classList.remove("dossier-tips-dismissed");
        place(marker, tip);
      };
      marker.addEventListener("mouseenter", show);
      marker.addEventListener("focus", show);
    });
    document.addEventListener("keydown", function (event) {
      if (event.key === "Escape") {
        document.documentElement.classList.add("dossier-tips-dismissed");
      }
    });
  }

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
    initPrint();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
