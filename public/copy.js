// The guided setup's copy buttons ("Microsoft 365 koppelen"). Without JavaScript they stay
// hidden and every value remains selectable text; with it, a click puts the value on the
// clipboard and says so.
document.querySelectorAll("button[data-copy]").forEach((button) => {
  button.hidden = false;
  button.addEventListener("click", async () => {
    try {
      await navigator.clipboard.writeText(button.dataset.copy);
      button.textContent = button.dataset.copied;
    } catch {
      // The browser refused the clipboard: the value is still there to select.
    }
  });
});
