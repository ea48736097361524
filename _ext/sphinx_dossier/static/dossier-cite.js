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

  // -- browse: facet filters (the timeline) ------------------------------------------
  // The page lists every item; each carries classes dossier-f-<facet>-<value>. This adds
  // one labelled select per facet, hides the items that do not match and the year
  // headings left empty, and says how many are shown in a live region.
  function initFacets() {
    document.querySelectorAll("script.dossier-facets").forEach(function (script, n) {
      var data;
      try {
        data = JSON.parse(script.textContent);
      } catch (e) {
        return;
      }
      // In the page (the timeline) the script filters the element holding it; in the
      // head (the events index, a page of Sphinx's own) the one data-scope names, whose
      // rows it tags by the event each links to.
      var scope = script.dataset.scope
        ? document.querySelector(script.dataset.scope)
        : script.parentNode;
      if (!scope) return;
      if (data.items) {
        scope.querySelectorAll("a[href]").forEach(function (link) {
          var m = /(?:^|\/)events\/([^\/#?]+)\.html/.exec(link.getAttribute("href"));
          var row = link.closest("tr");
          if (!m || !row || !data.items[m[1]]) return;
          data.items[m[1]].forEach(function (c) { row.classList.add(c); });
        });
      }
      var items = Array.prototype.slice.call(scope.querySelectorAll(".dossier-facet-item"));
      if (!items.length) return;
      var form = document.createElement("form");
      form.className = "dossier-facets";
      form.setAttribute("role", "search");
      form.setAttribute("aria-label", "Filter the " + data.noun[1]);
      var selects = [];
      data.facets.forEach(function (facet) {
        if (!facet.values.length) return;
        var id = "dossier-facet-" + n + "-" + facet.name;
        var label = document.createElement("label");
        label.setAttribute("for", id);
        label.textContent = facet.label;
        var select = document.createElement("select");
        select.id = id;
        select.name = facet.name;
        var all = document.createElement("option");
        all.value = "";
        all.textContent = "All";
        select.appendChild(all);
        facet.values.forEach(function (pair) {
          var option = document.createElement("option");
          option.value = pair[0];
          option.textContent = pair[1];
          select.appendChild(option);
        });
        var field = document.createElement("span");
        field.className = "dossier-facet";
        field.appendChild(label);
        field.appendChild(select);
        form.appendChild(field);
        selects.push(select);
      });
      var reset = document.createElement("button");
      reset.type = "reset";
      reset.textContent = "Show all";
      form.appendChild(reset);
      var count = document.createElement("p");
      count.className = "dossier-facet-count";
      count.setAttribute("role", "status");
      count.setAttribute("aria-live", "polite");
      form.appendChild(count);
      function apply() {
        var wanted = selects.filter(function (s) { return s.value; }).map(function (s) {
          return "dossier-f-" + s.name + "-" + s.value;
        });
        var shown = 0;
        items.forEach(function (item) {
          var match = wanted.every(function (c) { return item.classList.contains(c); });
          item.hidden = !match;
          if (match) shown += 1;
        });
        scope.querySelectorAll("ul, ol").forEach(function (list) {
          var own = list.querySelectorAll(":scope > .dossier-facet-item");
          if (!own.length) return;
          var visible = Array.prototype.some.call(own, function (li) { return !li.hidden; });
          list.hidden = !visible;
          var heading = list.previousElementSibling;
          if (heading && heading.classList.contains("dossier-year")) heading.hidden = !visible;
        });
        // An index table's year rows (and the spacer row before each) follow their rows.
        scope.querySelectorAll("tr.cap").forEach(function (cap) {
          var visible = false;
          for (var row = cap.nextElementSibling; row && !row.classList.contains("pcap") &&
            !row.classList.contains("cap"); row = row.nextElementSibling) {
            if (row.classList.contains("dossier-facet-item") && !row.hidden) visible = true;
          }
          cap.hidden = !visible;
          var spacer = cap.previousElementSibling;
          if (spacer && spacer.classList.contains("pcap")) spacer.hidden = !visible;
        });
        count.textContent = shown + " of " + items.length + " " +
          (items.length === 1 ? data.noun[0] : data.noun[1]);
      }
      form.addEventListener("change", apply);
      form.addEventListener("reset", function () { window.setTimeout(apply, 0); });
      form.addEventListener("submit", function (event) { event.preventDefault(); });
      if (script.dataset.scope) {
        scope.parentNode.insertBefore(form, scope);
      } else {
        script.parentNode.insertBefore(form, script);
      }
      apply();
    });
  }
  // -- end browse ---------------------------------------------------------------------

  function init() {
    initTips();
    initCiteUrls();
    initCitations();
    initPrint();
    initFacets();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
