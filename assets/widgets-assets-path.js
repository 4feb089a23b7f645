// Tell the widget runtime (html-manager's embed-amd.js, loaded next) where its own
// files are: in _static/vendor/html-manager/ on this site, whatever the page's depth.
// Its modules take their public path (used for the icon fonts) from the module's
// require.js address, so that address is mapped here; left alone it would resolve
// against the page's folder and miss.
(function () {
  var base = new URL("vendor/html-manager", document.currentScript.src).href;
  window.__jupyter_widgets_assets_path__ = base + "/";
  if (window.requirejs) {
    window.requirejs.config({ paths: { "@jupyter-widgets/html-manager/dist": base } });
  }
})();
