// daka console: small progressive enhancements; every page works without this script.
"use strict";
document.addEventListener("DOMContentLoaded", function () {
  // Ask before a form that changes an approval is sent (the button text says what it does).
  document.querySelectorAll('form[action*="/approvals/"] button').forEach(function (button) {
    button.closest("form").addEventListener("submit", function (event) {
      if (!window.confirm(button.textContent + "?")) { event.preventDefault(); }
    });
  });
});
