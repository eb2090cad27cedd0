/* Behaviour every page shares, without inline handlers (the Content-Security-Policy
   allows scripts from this site only): buttons marked data-print open the print dialog. */
(function () {
  "use strict";
  document.addEventListener("click", function (event) {
    var button = event.target.closest ? event.target.closest("[data-print]") : null;
    if (button) {
      event.preventDefault();
      window.print();
    }
  });
})();
