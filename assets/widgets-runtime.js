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
    window.requirejs.config({ paths: { "@jupyter-widgets/html-manager/dist": base } });
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
