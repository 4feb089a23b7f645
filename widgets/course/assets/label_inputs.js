(function labelAnswerBoxes(tries) {
  var quiz = document.getElementById("DIV");
  var bank = window["questionsDIV"] || [];
  function spoken(tex) {
    return tex.replace(/\$/g, "").replace(/\^2\b/g, " squared").replace(/\^\{?([^}]*)\}?/g, " to the power $1")
              .replace(/\\(sin|cos|tanh|exp|log|ln)/g, "$1").replace(/\\cdot|\\times/g, " times ")
              .replace(/[_{}\\]/g, "").replace(/\s+/g, " ").trim();
  }
  if (quiz && quiz.querySelector(".Quiz")) {
    quiz.querySelectorAll("input.Input-text:not([aria-label])").forEach(function (box) {
      box.setAttribute("aria-label", "Your answer, a number; press Enter to check it");
      box.setAttribute("placeholder", "a number, then Enter");
    });
    quiz.querySelectorAll("label.MCButton > input[type=radio]:not([aria-label])").forEach(function (radio) {
      var feedback = radio.parentElement.getAttribute("data-feedback");
      bank.forEach(function (question) {
        (question.answers || []).forEach(function (answer) {
          if (answer.feedback === feedback && answer.answer) {
            radio.setAttribute("aria-label", spoken(answer.answer));
          }
        });
      });
    });
  } else if (tries > 0) {
    setTimeout(function () { labelAnswerBoxes(tries - 1); }, 100);
  }
})(100);
