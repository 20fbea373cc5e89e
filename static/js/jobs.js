/* A job's progress page: update the progress part in place until the job ends.
   Without this file the page reloads itself (a refresh inside <noscript>). */
(function () {
  "use strict";
  var box = document.querySelector("[data-job-refresh]");
  if (!box || !window.fetch || !window.DOMParser) {
    return;
  }
  var every = Number(box.getAttribute("data-job-refresh")) * 1000 || 2000;
  var part = box.querySelector("[data-job-part]");

  function words(element) {
    return element ? element.textContent.replace(/\s+/g, " ").trim() : "";
  }

  function update() {
    fetch(window.location.href, { credentials: "same-origin", cache: "no-store" })
      .then(function (response) {
        if (!response.ok) {
          throw new Error("status " + response.status);
        }
        return response.text();
      })
      .then(function (html) {
        var page = new DOMParser().parseFromString(html, "text/html");
        var fresh = page.querySelector("[data-job]");
        if (!fresh) {
          // Not the progress page (signed out meanwhile, say): show what the server says.
          window.location.reload();
          return;
        }
        var freshPart = fresh.querySelector("[data-job-part]");
        var running = fresh.hasAttribute("data-job-refresh");
        var status = part.querySelector("[role=status]");
        var freshStatus = freshPart.querySelector("[role=status]");
        var notes = part.querySelector("[data-job-notes]");
        var freshNotes = freshPart.querySelector("[data-job-notes]");
        if (running && status && freshStatus) {
          // Only what changed is written, so a screen reader hears each new stage once.
          if (words(status) !== words(freshStatus)) {
            status.innerHTML = freshStatus.innerHTML;
          }
          if (notes && freshNotes && words(notes) !== words(freshNotes)) {
            notes.innerHTML = freshNotes.innerHTML;
          }
          window.setTimeout(update, every);
          return;
        }
        part.innerHTML = freshPart.innerHTML;
        box.removeAttribute("data-job-refresh");
        document.title = page.title;
        var heading = part.querySelector("h2");
        if (heading) {
          heading.setAttribute("tabindex", "-1");
          heading.focus();
        }
      })
      .catch(function () {
        window.setTimeout(update, every * 2);
      });
  }
  window.setTimeout(update, every);
})();
