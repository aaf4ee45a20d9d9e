// A "Copy" button on each code block of a note. Without script there is no button
// (the page is written without one) and the code is plain text to select.
(function () {
  "use strict";
  function copy(code, button) {
    const done = (label) => {
      button.textContent = label;
      setTimeout(() => { button.textContent = "Copy"; }, 1500);
    };
    const text = code.textContent;
    if (navigator.clipboard && navigator.clipboard.writeText) {
      navigator.clipboard.writeText(text).then(() => done("Copied"), () => select(code, button, done));
    } else {
      select(code, button, done);
    }
  }
  // No clipboard (an old browser, a page from file:// in some): select the code for Ctrl-C.
  function select(code, button, done) {
    const range = document.createRange();
    range.selectNodeContents(code);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    done("Selected");
  }
  for (const pre of document.querySelectorAll(".note-body pre")) {
    const code = pre.querySelector("code");
    if (!code) continue;
    const button = document.createElement("button");
    button.type = "button";
    button.className = "copy-code";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this code");
    button.addEventListener("click", () => copy(code, button));
    pre.classList.add("has-copy");
    pre.appendChild(button);
  }
})();
