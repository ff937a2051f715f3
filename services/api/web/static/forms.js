// A refused form's error summary takes focus, so the person (and a screen reader) lands on what to correct.
// Loaded only by a page that shows a summary (templates/_record_form.html); the pages' CSP allows no inline script.
(function () {
  const summary = document.querySelector("[data-error-summary]");
  if (!(summary instanceof HTMLElement)) return;
  summary.focus({ preventScroll: true });
  summary.scrollIntoView({ block: "start" });
})();
