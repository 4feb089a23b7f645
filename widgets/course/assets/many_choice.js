(function manyChoiceProgressInWords(tries) {
  // jupyterquiz ends a many-choice question's feedback with a bare counter, "[1/3]",
  // which a reader cannot decode; it is written out in words once it appears. A wrong
  // answer clears the earlier choices (jupyterquiz shows "[0/3]" then).
  var quiz = document.getElementById("DIV");
  var COUNTER = /\s*\[(-?\d+)\/(\d+)\]\s*$/;
  function words(found, total) {
    var answers = total === 1 ? "correct answer" : "correct answers";
    if (found <= 0) {
      return "Your choices start again: find all " + total + " " + answers + ".";
    }
    if (found >= total) {
      return "You have found all " + total + " " + answers + ".";
    }
    return "You have found " + found + " of the " + total + " " + answers + "; keep going.";
  }
  function rewrite() {
    quiz.querySelectorAll(".Feedback").forEach(function (feedback) {
      var walker = document.createTreeWalker(feedback, NodeFilter.SHOW_TEXT), last = null;
      while (walker.nextNode()) {
        if (walker.currentNode.nodeValue.trim()) { last = walker.currentNode; }
      }
      var match = last && COUNTER.exec(last.nodeValue);
      if (match) {
        last.nodeValue = last.nodeValue.replace(COUNTER, " ");
        var note = document.createElement("span");
        note.className = "nnoe-progress";
        note.textContent = words(parseInt(match[1], 10), parseInt(match[2], 10));
        feedback.appendChild(note);
      }
    });
  }
  if (quiz && quiz.querySelector(".Quiz")) {
    new MutationObserver(rewrite).observe(quiz, { childList: true, subtree: true, characterData: true });
  } else if (tries > 0) {
    setTimeout(function () { manyChoiceProgressInWords(tries - 1); }, 100);
  }
})(100);
