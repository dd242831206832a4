// Keep filter URLs short and shareable: empty fields are left out of the query string.
for (const form of document.querySelectorAll("form.filters")) {
  form.addEventListener("submit", () => {
    for (const field of form.querySelectorAll("input, select")) {
      if (!field.value) field.disabled = true;
    }
  });
}
