// Print buttons (data-print): shown only where JavaScript runs; the browser menu prints too.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.addEventListener("click", function () { window.print(); });
});
