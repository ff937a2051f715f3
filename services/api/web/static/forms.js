// A refused form's error summary takes focus, so the person (and a screen reader) lands on what to correct.
// Loaded only by a page that shows a summary (templates/_record_form.html); the pages' CSP allows no inline script.
// Focused once parsed and again at `load`: the browser's scroll to the form's #record-form fragment, done
// after deferred scripts run, moves focus back to the document.
(function () {
  const summary = document.querySelector("[data-error-summary]");
  if (!(summary instanceof HTMLElement)) return;
  const focus = () => {
    summary.focus({ preventScroll: true });
    (summary.closest("form") ?? summary).scrollIntoView({ block: "start" }); // the form's heading, then the summary
  };
  focus();
  if (document.readyState !== "complete") {
    window.addEventListener("load", () => {
      if (document.activeElement === document.body || document.activeElement === null) focus();
    });
  }
})();
