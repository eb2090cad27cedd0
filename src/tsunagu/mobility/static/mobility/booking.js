// Phone booking: narrow the facility <select> by typed text (the select alone works too).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("input[data-filter-for]").forEach((input) => {
    const select = document.getElementById(input.dataset.filterFor);
    if (!select) return;
    input.addEventListener("input", () => {
      const text = input.value.trim().normalize("NFKC");
      for (const option of select.options) {
        if (!option.value) continue;
        option.hidden = text !== "" && !option.text.normalize("NFKC").includes(text);
      }
    });
  });
});
