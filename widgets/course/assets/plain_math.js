(function plainMathInLab() {
  if (!document.body || !document.body.hasAttribute("data-jp-theme-name")) {
    return;  // not JupyterLab: MathJax typesets the quiz
  }
  var SYMBOLS = {
    alpha: "\u03b1", beta: "\u03b2", gamma: "\u03b3", delta: "\u03b4", Delta: "\u0394",
    epsilon: "\u03b5", eta: "\u03b7", theta: "\u03b8", lambda: "\u03bb", mu: "\u03bc",
    sigma: "\u03c3", Sigma: "\u03a3", sum: "\u03a3", nabla: "\u2207", partial: "\u2202",
    cdot: "\u00b7", infty: "\u221e", max: "max", min: "min", ln: "ln",
    log: "log", exp: "exp", sin: "sin", cos: "cos", tanh: "tanh"
  };
  var RELATIONS = {
    leftarrow: "\u2190", rightarrow: "\u2192", to: "\u2192", le: "\u2264", leq: "\u2264",
    ge: "\u2265", geq: "\u2265", ne: "\u2260", approx: "\u2248", times: "\u00d7", pm: "\u00b1"
  };
  var OPERATORS = { "=": "=", "+": "+", "-": "\u2212", "<": "&lt;", ">": "&gt;" };
  function wrap(text) {  // parentheses round a fraction's part unless it is one token
    return /^[A-Za-z0-9.\u0370-\u03ff]+$/.test(text) ? text : "(" + text + ")";
  }
  function group(tex, i) {  // the {...} group or single character at i: [text, next index]
    if (tex[i] !== "{") { return [tex[i] || "", i + 1]; }
    var depth = 0;
    for (var j = i; j < tex.length; j++) {
      if (tex[j] === "{") { depth++; } else if (tex[j] === "}" && --depth === 0) { return [tex.slice(i + 1, j), j + 1]; }
    }
    return [tex.slice(i + 1), tex.length];
  }
  function html(tex) {
    var out = "", i = 0;
    while (i < tex.length) {
      var c = tex[i];
      if (c === "^" || c === "_") {
        var g = group(tex, i + 1), tag = c === "^" ? "sup" : "sub";
        out += "<" + tag + ">" + html(g[0]) + "</" + tag + ">"; i = g[1];
      } else if (c === "\\") {
        var m = /^\\([A-Za-z]+|.)/.exec(tex.slice(i)), name = m[1];
        i += m[0].length;
        if (RELATIONS.hasOwnProperty(name)) { out += " " + RELATIONS[name] + " "; continue; }
        if (name === "frac") {
          var a = group(tex, i), b = group(tex, a[1]);
          out += wrap(html(a[0])) + "/" + wrap(html(b[0])); i = b[1];
        } else if (name === "sqrt") {
          var r = group(tex, i); out += "\u221a(" + html(r[0]) + ")"; i = r[1];
        } else if (name === "text" || name === "mathrm" || name === "operatorname") {
          var t = group(tex, i); out += t[0]; i = t[1];
        } else if (name === "," || name === ";" || name === " ") {
          out += "\u2009";
        } else if (name === "left" || name === "right") {
          // the delimiter that follows is kept as it is
        } else {
          out += SYMBOLS.hasOwnProperty(name) ? SYMBOLS[name] : name;
        }
      } else if (c === "{" || c === "}" || c === " ") {
        i++;  // grouping, and spaces, which math mode ignores
      } else if (OPERATORS.hasOwnProperty(c)) {
        out += " " + OPERATORS[c] + " "; i++;
      } else {
        out += c === "&" ? "&amp;" : c; i++;
      }
    }
    return out;
  }
  function rewrite(root) {
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT), nodes = [];
    while (walker.nextNode()) {
      if (walker.currentNode.nodeValue.indexOf("\\(") >= 0) { nodes.push(walker.currentNode); }
    }
    nodes.forEach(function (node) {
      var span = document.createElement("span");
      span.innerHTML = node.nodeValue.replace(/&/g, "&amp;").replace(/</g, "&lt;")
        .replace(/\\\((.*?)\\\)/g, function (_, tex) { return '<span class="nnoe-math">' + html(tex) + "</span>"; });
      node.parentNode.replaceChild(span, node);
    });
  }
  (function whenDrawn(tries) {
    var quiz = document.getElementById("DIV");
    if (quiz && quiz.querySelector(".Quiz")) {
      rewrite(quiz);
      new MutationObserver(function () { rewrite(quiz); }).observe(quiz, { childList: true, subtree: true, characterData: true });
    } else if (tries > 0) {
      setTimeout(function () { whenDrawn(tries - 1); }, 100);
    }
  })(100);
})();
