// The back office's small behaviours, here rather than inline (the pages' CSP allows no inline script):
// a <select data-autosubmit> submits its form when changed; a <button data-print> prints the page;
// the navigation folds behind a menu button on narrow screens; wide tables scroll in their own box.
(function () {
  document.documentElement.classList.add("js");
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

  // The menu button (hidden without script, so the links stay in view): folds the navigation on narrow
  // screens (CSS decides when); Escape closes it and gives the focus back to the button.
  function menu() {
    const button = document.getElementById("menu-toggle");
    const header = button && button.closest(".top");
    if (!button || !header) return;
    const setOpen = (open) => {
      header.classList.toggle("open", open);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    };
    header.classList.add("folding");
    button.hidden = false;
    button.addEventListener("click", () => setOpen(button.getAttribute("aria-expanded") !== "true"));
    header.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && button.getAttribute("aria-expanded") === "true") {
        setOpen(false);
        button.focus();
      }
    });
  }

  // On narrow screens a list table stacks: each row a block, each cell under its column's name (CSS
  // decides when; the roles keep it a table for screen readers whatever its display).
  function stackTables() {
    for (const table of document.querySelectorAll("main table.list:not(.scores)")) {
      if (table.querySelector(":scope > tbody > tr > td[data-label]")) continue; // a table laid out by its page
      const heads = [...table.querySelectorAll(":scope > thead > tr > th")];
      if (heads.length === 0 || heads.some((th) => th.colSpan > 1)) continue;
      table.classList.add("stack");
      table.setAttribute("role", "table");
      for (const group of table.querySelectorAll(":scope > thead, :scope > tbody")) group.setAttribute("role", "rowgroup");
      for (const row of table.querySelectorAll(":scope > thead > tr, :scope > tbody > tr")) {
        row.setAttribute("role", "row");
        [...row.children].forEach((cell, i) => {
          if (cell.tagName === "TH") cell.setAttribute("role", cell.closest("thead") ? "columnheader" : "rowheader");
          else cell.setAttribute("role", "cell");
          if (cell.tagName === "TD" && heads[i] && !cell.hasAttribute("data-label")) {
            cell.setAttribute("data-label", heads[i].textContent.trim());
          }
        });
      }
    }
  }

  // Every table in the page's content scrolls sideways inside its own box, never the page; a box that
  // does scroll takes the keyboard focus (so it can be scrolled without a mouse) and is named by its table.
  function scrollBoxes() {
    for (const table of document.querySelectorAll("main table")) {
      if (table.closest(".scroll")) continue;
      const box = document.createElement("div");
      box.className = "scroll";
      table.parentNode.insertBefore(box, table);
      box.appendChild(table);
    }
    markScrolling();
  }
  function markScrolling() {
    for (const box of document.querySelectorAll("main .scroll")) {
      if (box.scrollWidth > box.clientWidth + 1) {
        box.tabIndex = 0;
        box.setAttribute("role", "region");
        const caption = box.querySelector("caption");
        if (!box.hasAttribute("aria-label")) box.setAttribute("aria-label", (caption ? caption.textContent : document.title).trim());
      } else if (box.getAttribute("role") === "region") {
        box.removeAttribute("tabindex");
        box.removeAttribute("role");
        box.removeAttribute("aria-label");
      }
    }
  }
  window.addEventListener("resize", markScrolling);
  // tables that htmx brings in later get the same treatment
  document.addEventListener("htmx:afterSettle", () => {
    stackTables();
    scrollBoxes();
  });

  function ready() {
    menu();
    stackTables();
    scrollBoxes();
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
