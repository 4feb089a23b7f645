// Interactive figures of the course (Vega-Lite), drawn in the browser: no kernel, no network.
//
// widgets/display/vega.py writes each chart as <div class="nnoe-vega"> holding its spec
// as JSON, and adds this script (deferred) to the pages that have one. It loads the
// vendored Vega, Vega-Lite and vega-embed from _static/vendor/vega/ (copied from npm by
// tools/vendor.py), found next to this script whatever the page's depth, and draws
// every chart of the page. Pages with ipywidgets also load require.js, whose `define`
// would make the UMD bundles register as anonymous AMD modules (and throw if simply
// added as scripts), so there they are loaded through require.js itself.
//
// For tests and the curious, each chart element keeps its Vega view as
// `element.nnoeView`, and `window.nnoeVegaReady` is a promise settled when every chart
// of the page is drawn.
(function () {
  "use strict";
  var base = new URL("vendor/vega/", document.currentScript.src).href;
  var FILES = ["vega.min.js", "vega-lite.min.js", "vega-embed.min.js"];

  function addScript(src) {
    return new Promise(function (resolve, reject) {
      var script = document.createElement("script");
      script.src = src;
      script.async = false;
      script.onload = resolve;
      script.onerror = function () { reject(new Error("could not load " + src)); };
      document.head.appendChild(script);
    });
  }

  function loadLibraries() {
    if (window.vegaEmbed) {
      return Promise.resolve(window.vegaEmbed);
    }
    if (typeof window.define === "function" && window.define.amd && window.requirejs) {
      // waitSeconds 0: no time limit. require.js gives up on a module after 7 s by
      // default, and a slow machine or connection loading the 830 kB of Vega takes longer.
      window.requirejs.config({ waitSeconds: 0, paths: {
        "vega": base + "vega.min",
        "vega-lite": base + "vega-lite.min",
        "vega-embed": base + "vega-embed.min",
      } });
      return new Promise(function (resolve, reject) {
        window.requirejs(["vega-embed"], resolve, reject);
      }).then(function (module) { return module && module.default ? module.default : module; });
    }
    return FILES.reduce(function (chain, file) {
      return chain.then(function () { return addScript(base + file); });
    }, Promise.resolve()).then(function () { return window.vegaEmbed; });
  }

  // Text and axes in dark ink. The site's dark theme keeps a cell's HTML output on a
  // light background (pydata-sphinx-theme: `.cell_output .text_html`), so one look fits
  // both themes.
  var INK = "#222832";
  var FAINT = "#bbbbbb";
  var CONFIG = {
    background: "transparent",
    axis: { labelColor: INK, titleColor: INK, domainColor: INK, tickColor: INK, gridColor: FAINT },
    legend: { labelColor: INK, titleColor: INK },
    title: { color: INK, subtitleColor: INK },
    text: { color: INK },
    view: { stroke: FAINT },
  };

  function readJSON(element, selector) {
    var node = element.querySelector(selector);
    return node ? JSON.parse(node.textContent) : {};
  }

  function draw(embed, element) {
    var target = element.querySelector(".nnoe-vega-view");
    var spec = readJSON(element, "script.nnoe-vega-spec");
    var options = readJSON(element, "script.nnoe-vega-options");
    options.config = CONFIG;
    return embed(target, spec, options).then(function (result) {
      element.nnoeView = result.view;
      return result.view.runAsync();
    });
  }

  function drawAll(embed) {
    var charts = Array.prototype.slice.call(document.querySelectorAll(".nnoe-vega"));
    return Promise.all(charts.map(function (element) {
      return draw(embed, element).catch(function (error) {
        var message = document.createElement("p");
        message.className = "nnoe-status nnoe-error";
        message.textContent = "This interactive figure could not be drawn: " + error.message;
        element.appendChild(message);
        throw error;
      });
    }));
  }

  window.nnoeVegaReady = loadLibraries().then(drawAll).then(function () { return true; });
  window.nnoeVegaReady.catch(function (error) {
    console.error("vega-charts.js: " + error.message);
  });
})();
