/* Behaviour every page shares, without inline handlers or style attributes (the
   Content-Security-Policy allows scripts and styles from this site only):
   - buttons marked data-print open the print dialog;
   - Enter in a search-to-add box searches instead of posting its form;
   - data-width="35%" / "8rem" sets a bar's width, data-colour="#0072b2" a swatch's colour
     (values computed on the server; set through the DOM, which the policy allows). */
(function () {
  "use strict";
  var WIDTH = /^\d+(\.\d+)?(%|rem)$/;
  var COLOUR = /^#[0-9a-fA-F]{3,8}$/;

  function applyStyles(root) {
    root.querySelectorAll("[data-width]").forEach(function (element) {
      var width = element.getAttribute("data-width").trim();
      if (WIDTH.test(width)) { element.style.width = width; }
    });
    root.querySelectorAll("[data-colour]").forEach(function (element) {
      var colour = element.getAttribute("data-colour").trim();
      if (COLOUR.test(colour)) { element.style.background = colour; }
    });
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
  // A search-to-add box (core/widgets SearchPicker) searches on Enter instead of posting
  // the form it sits in.
  document.addEventListener("keydown", function (event) {
    var box = event.target;
    if (event.key === "Enter" && box.matches && box.matches("[data-picker-search]")) {
      event.preventDefault();
      if (window.htmx) { window.htmx.trigger(box, "picker:search"); }
    }
  });
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { applyStyles(document); });
  } else {
    applyStyles(document);
  }
  // Fragments swapped in by htmx get their widths too.
  document.addEventListener("htmx:afterSwap", function (event) { applyStyles(event.target); });
})();
