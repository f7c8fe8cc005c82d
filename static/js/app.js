// Behaviour that the strict CSP forbids inline: confirmation before a form is sent.
document.addEventListener("submit", function (event) {
  var message = event.target.getAttribute("data-confirm");
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// A button with data-copy="#field" copies the field's text (e.g. a verification link).
document.addEventListener("click", function (event) {
  var button = event.target.closest("[data-copy]");
  if (!button) {
    return;
  }
  var field = document.querySelector(button.getAttribute("data-copy"));
  if (!field) {
    return;
  }
  field.select();
  var done = function () {
    button.textContent = button.getAttribute("data-copied") || "✓";
  };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done);
  } else {
    document.execCommand("copy");
    done();
  }
});

// A background job's page (data-poll="…json"): the progress bar follows the job until it
// has finished or failed; then the download or the error shows.
(function () {
  var box = document.querySelector("[data-poll]");
  if (!box) {
    return;
  }
  var bar = box.querySelector("[data-bar]");
  function show(job) {
    bar.style.width = job.percent + "%";
    bar.textContent = job.percent + " %";
    bar.parentElement.setAttribute("aria-valuenow", job.percent);
    var count = box.querySelector("[data-count]");
    count.textContent = count.textContent.replace(/\d+(\D+)\d+/, job.done + "$1" + job.total);
    if (job.state === "finished") {
      box.querySelector("[data-download]").classList.remove("d-none");
    }
    if (job.state === "failed") {
      var error = box.querySelector("[data-error]");
      error.querySelector("span").textContent = job.error;
      error.classList.remove("d-none");
    }
    return job.state === "finished" || job.state === "failed";
  }
  bar.style.width = bar.getAttribute("data-width") + "%";
  function poll() {
    fetch(box.getAttribute("data-poll"), { credentials: "same-origin" })
      .then(function (response) { return response.json(); })
      .then(function (job) {
        if (!show(job)) {
          window.setTimeout(poll, 700);
        }
      })
      .catch(function () { window.setTimeout(poll, 2000); });
  }
  var state = box.getAttribute("data-state");
  if (state !== "finished" && state !== "failed") {
    poll();
  }
})();
