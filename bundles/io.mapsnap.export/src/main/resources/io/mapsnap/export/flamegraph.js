// Interaction for a flame graph written by FlameGraphSvgExporter. Frame names are read from the document
// (each frame's <title>), never written into this script: the script is the same for every profile.
(function () {
  "use strict";
  var svg = document.documentElement;
  var fontWidth = parseFloat(svg.getAttribute("data-font-width"));
  var graphLeft = parseFloat(svg.getAttribute("data-graph-left"));
  var graphWidth = parseFloat(svg.getAttribute("data-graph-width"));
  var details = document.getElementById("details");
  var resetControl = document.getElementById("reset");
  var searchControl = document.getElementById("search");
  var matched = document.getElementById("matched");
  var frames = Array.prototype.slice.call(document.querySelectorAll("g.f"));
  var zoomed = false;
  var searching = false;

  frames.forEach(function (g) {
    var rect = g.querySelector("rect");
    g.x = parseFloat(rect.getAttribute("x"));
    g.w = parseFloat(rect.getAttribute("width"));
    g.depth = parseInt(g.getAttribute("data-d"), 10);
    g.fill = rect.getAttribute("fill");
    g.addEventListener("mouseover", function () { details.textContent = describe(g); });
    g.addEventListener("mouseout", function () { details.textContent = "\u00a0"; });
    g.addEventListener("click", function () { zoom(g); });
  });

  // The title is "NAME (N samples, P%)": the name is everything before the last parenthesized group.
  function titleOf(g) { return g.querySelector("title").textContent; }
  function describe(g) { return titleOf(g); }
  function nameOf(g) { return titleOf(g).replace(/ \([^()]*\)$/, ""); }

  function fit(name, width) {
    var chars = Math.floor((width - 6) / fontWidth);
    if (chars < 3) { return ""; }
    return name.length <= chars ? name : name.substring(0, chars - 2) + "..";
  }

  function place(g, x, w) {
    var rect = g.querySelector("rect");
    var text = g.querySelector("text");
    rect.setAttribute("x", x.toFixed(2));
    rect.setAttribute("width", w.toFixed(2));
    text.setAttribute("x", (x + 3).toFixed(2));
    text.textContent = fit(nameOf(g), w);
  }

  function zoom(target) {
    // Coordinates are written with two decimals, so an edge may be off by 0.01; boxes narrower than 0.1 px are
    // not drawn, so a tolerance of 0.02 never takes a neighbour for a child.
    var x0 = target.x, w0 = target.w, eps = 0.02;
    var scale = graphWidth / w0;
    frames.forEach(function (g) {
      g.classList.remove("hide", "parent");
      var inside = g.x >= x0 - eps && g.x + g.w <= x0 + w0 + eps;
      var covers = g.x <= x0 + eps && g.x + g.w >= x0 + w0 - eps;
      if (g.depth < target.depth && covers) {
        g.classList.add("parent");
        place(g, graphLeft, graphWidth);
      } else if (g.depth >= target.depth && inside) {
        place(g, graphLeft + (g.x - x0) * scale, g.w * scale);
      } else {
        g.classList.add("hide");
      }
    });
    zoomed = target.depth > 0;
    resetControl.classList.toggle("hide", !zoomed);
  }

  function resetZoom() {
    frames.forEach(function (g) {
      g.classList.remove("hide", "parent");
      place(g, g.x, g.w);
    });
    zoomed = false;
    resetControl.classList.add("hide");
  }

  function search(term) {
    var pattern;
    try {
      pattern = new RegExp(term);
    } catch (e) {
      matched.textContent = "not a regular expression: " + e.message;
      return;
    }
    var intervals = [];
    frames.forEach(function (g) {
      var rect = g.querySelector("rect");
      if (pattern.test(nameOf(g))) {
        rect.setAttribute("fill", "rgb(230,0,230)");
        intervals.push([g.x, g.x + g.w]);
      } else {
        rect.setAttribute("fill", g.fill);
      }
    });
    // Nested matches (a recursive function) cover the same samples: count the union of their spans.
    intervals.sort(function (a, b) { return a[0] - b[0]; });
    var covered = 0, end = -Infinity;
    intervals.forEach(function (span) {
      if (span[0] >= end) { covered += span[1] - span[0]; end = span[1]; }
      else if (span[1] > end) { covered += span[1] - end; end = span[1]; }
    });
    searching = true;
    searchControl.textContent = "Clear search";
    matched.textContent = "Matched: " + (100 * covered / graphWidth).toFixed(2) + "% (" + term + ")";
  }

  function clearSearch() {
    frames.forEach(function (g) { g.querySelector("rect").setAttribute("fill", g.fill); });
    searching = false;
    searchControl.textContent = "Search";
    matched.textContent = "\u00a0";
  }

  function askSearch() {
    if (searching) { clearSearch(); return; }
    var term = window.prompt("Search frames (regular expression):", "");
    if (term) { search(term); }
  }

  resetControl.addEventListener("click", resetZoom);
  searchControl.addEventListener("click", askSearch);
  window.addEventListener("keydown", function (e) {
    if ((e.key === "f" && (e.ctrlKey || e.metaKey)) || e.key === "/") {
      e.preventDefault();
      askSearch();
    } else if (e.key === "Escape") {
      resetZoom();
      clearSearch();
    }
  });
})();
