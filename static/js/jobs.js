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
          return;
        }
        var freshPart = fresh.querySelector("[data-job-part]");
        // The status and the bar change in place, so a screen reader hears the new words.
        var status = part.querySelector("[role=status]");
        var freshStatus = freshPart.querySelector("[role=status]");
        if (status && freshStatus && fresh.hasAttribute("data-job-refresh")) {
          status.innerHTML = freshStatus.innerHTML;
        } else {
          part.innerHTML = freshPart.innerHTML;
        }
        if (fresh.hasAttribute("data-job-refresh")) {
          window.setTimeout(update, every);
        } else {
          box.removeAttribute("data-job-refresh");
          var heading = part.querySelector("h2");
          if (heading) {
            heading.setAttribute("tabindex", "-1");
            heading.focus();
          }
        }
      })
      .catch(function () {
        window.setTimeout(update, every * 2);
      });
  }
  window.setTimeout(update, every);
})();
