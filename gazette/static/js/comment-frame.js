// The comment form is framed so the article page stays cacheable. A frame has a fixed height,
// so this script, loaded by the form's own page, makes the frame as tall as the form: no
// empty gap under the form, no scroll bar inside it. Without scripts, the CSS height applies.
(function () {
  "use strict";
  var frame;
  try {
    frame = window.frameElement; // null unless framed by a page of the same site
  } catch (err) {
    return;
  }
  if (!frame) {
    return;
  }
  var content = document.getElementById("main");
  function fit() {
    var bottom = content.getBoundingClientRect().bottom + window.scrollY;
    frame.style.height = Math.ceil(bottom) + "px";
  }
  if (window.ResizeObserver) {
    new ResizeObserver(fit).observe(content);
  }
  window.addEventListener("load", fit);
  fit();
})();
