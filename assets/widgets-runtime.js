// Set-up for the widget runtime (html-manager's embed-amd.js, loaded right after this).
//
// 1. Where its own files are: in _static/vendor/html-manager/ on this site, whatever
//    the page's depth. Its modules take their public path (used for the icon fonts)
//    from the module's require.js address, so that address is mapped here; left alone
//    it would resolve against the page's folder and miss.
(function () {
  var base = new URL("vendor/html-manager", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = base + "/";
  if (window.requirejs) {
    // Every module the runtime defines by name gets an address in that folder, so
    // the fonts that any of them asks for resolve to the copies beside embed-amd.js.
    window.requirejs.config({ paths: {
      "@jupyter-widgets/html-manager/dist": base,
      "@jupyter-widgets/base": base + "/base",
      "@jupyter-widgets/controls": base + "/controls",
      "@jupyter-widgets/output": base + "/output",
      "@jupyter-widgets/html-manager": base + "/html-manager",
    } });
  }
})();

// 2. Math in widget labels. The controls typeset a label with MathJax 2's
//    `MathJax.Hub.Queue` when no other typesetter is set; the site runs MathJax 3, which
//    has no Hub, so every labelled control would throw. This adds the one call they use,
//    done with MathJax 3's API. MathJax is loaded with `defer`, so it exists by
//    DOMContentLoaded, and this listener runs before the runtime's own (added later).
document.addEventListener("DOMContentLoaded", function () {
  var mathjax = window.MathJax;
  if (!mathjax || mathjax.Hub || !mathjax.version) {
    return;
  }
  mathjax.Hub = {
    Queue: function (command) {
      var element = command && command[2];
      var ready = mathjax.startup && mathjax.startup.promise ? mathjax.startup.promise : Promise.resolve();
      ready.then(function () {
        return mathjax.typesetPromise ? mathjax.typesetPromise(element ? [element] : undefined) : null;
      });
    },
  };
});

// 3. Names for controls that have none. A widget slider's handle (role="slider") carries no accessible
//    name; the visible description sits in a separate label. Each handle is named after
//    its widget's description, as widgets appear (the runtime draws them after load).
(function () {
  // The Play widget's buttons show only an icon; name each after its icon.
  var PLAY_ICONS = { "fa-play": "Play", "fa-pause": "Pause", "fa-stop": "Stop", "fa-retweet": "Repeat", "fa-repeat": "Repeat" };
  function nameButtons(root) {
    root.querySelectorAll(".widget-play button:not([aria-label])").forEach(function (button) {
      var icon = button.querySelector("i");
      for (var name in PLAY_ICONS) {
        if (icon && icon.classList.contains(name)) {
          button.setAttribute("aria-label", PLAY_ICONS[name]);
        }
      }
    });
  }
  function nameSliders(root) {
    root.querySelectorAll(".widget-slider .noUi-handle[role=slider]:not([aria-label])").forEach(function (handle) {
      var widget = handle.closest(".widget-slider");
      var label = widget && widget.querySelector(".widget-label");
      var name = label && label.textContent.trim();
      if (name) {
        handle.setAttribute("aria-label", name);
      }
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    nameSliders(document);
    nameButtons(document);
    new MutationObserver(function () { nameSliders(document); nameButtons(document); })
      .observe(document.body, { childList: true, subtree: true });
  });
})();
