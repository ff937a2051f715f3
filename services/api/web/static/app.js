// The back office's small behaviours, here rather than inline (the pages' CSP allows no inline script):
// a <select data-autosubmit> submits its form when changed; a <button data-print> prints the page.
(function () {
  document.addEventListener("change", (event) => {
    const el = event.target;
    if (el instanceof HTMLSelectElement && el.hasAttribute("data-autosubmit") && el.form) el.form.submit();
  });
  document.addEventListener("click", (event) => {
    const el = event.target instanceof Element ? event.target.closest("[data-print]") : null;
    if (el) window.print();
  });
  // htmx requests carry the session's CSRF token (the sign-out form's, present on every signed-in page).
  document.addEventListener("htmx:configRequest", (event) => {
    const token = document.querySelector("input[name=csrf_token]");
    if (token) event.detail.headers["X-CSRF-Token"] = token.value;
  });
})();
