/* Parity progressive enhancement. Every page works without this file:
   - charts: redraw the server's SVG with the locally served Vega for tooltips;
   - error summaries: move focus to them (NHS.UK error summary pattern);
   - reports page: refresh while a report is being generated. */
(function () {
  "use strict";

  function loadScript(src) {
    return new Promise(function (resolve, reject) {
      var s = document.createElement("script");
      s.src = src;
      s.onload = resolve;
      s.onerror = reject;
      document.head.appendChild(s);
    });
  }

  function enhanceCharts() {
    var figures = document.querySelectorAll("figure[data-spec-url]");
    if (!figures.length) { return; }
    var base = "/static/vendor/";
    loadScript(base + "vega.min.js")
      .then(function () { return loadScript(base + "vega-lite.min.js"); })
      .then(function () { return loadScript(base + "vega-interpreter.min.js"); })
      .then(function () { return loadScript(base + "vega-embed.min.js"); })
      .then(function () {
        figures.forEach(function (figure) {
          fetch(figure.getAttribute("data-spec-url"), { credentials: "same-origin" })
            .then(function (r) { return r.ok ? r.json() : Promise.reject(r.status); })
            .then(function (spec) {
              var holder = figure.querySelector(".parity-chart__svg");
              var target = document.createElement("div");
              target.className = "parity-chart__live";
              // ast + interpreter: no eval, so the strict Content-Security-Policy holds
              return window.vegaEmbed(target, spec, {
                renderer: "svg", actions: false, defaultStyle: false, ast: true,
                tooltip: { disableDefaultStyle: true },  // its <style> element would break the CSP
                expr: window.vegaInterpreter.expressionInterpreter
              }).then(function () {
                var svg = target.querySelector("svg");
                if (svg) {
                  // one labelled image: drop Vega's inner ARIA (unlabelled graphics-symbol nodes)
                  svg.querySelectorAll("[role], [aria-roledescription], [aria-label]").forEach(function (el) {
                    el.removeAttribute("role");
                    el.removeAttribute("aria-roledescription");
                    el.removeAttribute("aria-label");
                  });
                  svg.setAttribute("role", "img");
                  svg.setAttribute("aria-label", spec.description || spec.title || "Chart");
                }
                holder.replaceWith(target);
              });
            })
            .catch(function () { /* keep the server-drawn chart */ });
        });
      })
      .catch(function () { /* keep the server-drawn charts */ });
  }

  function focusErrors() {
    var summary = document.querySelector(".nhsuk-error-summary");
    if (summary) { summary.focus(); }
  }

  function refreshWhileBusy() {
    var busy = document.querySelector("[data-refresh]");
    if (busy) {
      setTimeout(function () { window.location.reload(); }, 1000 * Number(busy.getAttribute("data-refresh")));
    }
  }

  document.addEventListener("DOMContentLoaded", function () {
    focusErrors();
    enhanceCharts();
    refreshWhileBusy();
  });
})();
