// Behaviour that the strict CSP forbids inline: confirmations and auto-submitting selects.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});
