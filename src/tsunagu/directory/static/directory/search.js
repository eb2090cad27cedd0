/* Open the filter panel on wide screens; on phones it stays folded under the search box
   so the results come first. Without JavaScript the panel works as a plain <details>. */
(function () {
  "use strict";
  if (!window.matchMedia || !window.matchMedia("(min-width: 60rem)").matches) { return; }
  document.querySelectorAll("details[data-open-wide]").forEach(function (panel) {
    panel.open = true;
  });
})();
