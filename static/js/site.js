/* Common Ground: small enhancements. Every page works without this file. */
(function () {
  "use strict";

  /* --- Quick exit: the GOV.UK "Exit this page" pattern -------------------------
     The link alone works without JavaScript: /exit/ signs out and redirects to a
     neutral site. With JavaScript, the page is hidden at once and replaced in
     history (location.replace), so Back does not return here; Shift pressed
     three times does the same from anywhere on the page. */
  var SHIFT_WINDOW_MS = 1000;
  var shiftTimes = [];
  var exiting = false;

  function exitLink() {
    return document.querySelector("[data-quick-exit]");
  }

  function quickExit() {
    var link = exitLink();
    if (!link || exiting) {
      return;
    }
    exiting = true;
    var overlay = document.createElement("div");
    overlay.className = "exit-overlay";
    overlay.setAttribute("role", "status");
    overlay.textContent = "Loading.";
    document.body.appendChild(overlay);
    document.body.classList.add("exiting");
    document.title = "Loading";
    window.location.replace(link.href);
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("[data-quick-exit]");
    if (!link || event.defaultPrevented || event.button !== 0) {
      return;
    }
    event.preventDefault();
    quickExit();
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Shift") {
      shiftTimes = [];
      return;
    }
    if (event.repeat) {
      return;
    }
    var now = Date.now();
    shiftTimes = shiftTimes.filter(function (time) {
      return now - time < SHIFT_WINDOW_MS * 2;
    });
    if (shiftTimes.length && now - shiftTimes[shiftTimes.length - 1] > SHIFT_WINDOW_MS) {
      shiftTimes = [];
    }
    shiftTimes.push(now);
    if (shiftTimes.length >= 3) {
      shiftTimes = [];
      quickExit();
    }
  });

  /* A page restored from the back/forward cache after sign-out or quick exit
     must not show what it showed before: ask the server again. */
  window.addEventListener("pageshow", function (event) {
    if (event.persisted && document.body.hasAttribute("data-private")) {
      document.body.classList.add("exiting");
      window.location.reload();
    }
  });

  function ready() {
    var hint = document.querySelector("[data-quick-exit-hint]");
    if (hint) {
      hint.hidden = false;
    }
    document.querySelectorAll("[data-print]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        window.print();
      });
    });
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      if (!navigator.clipboard) {
        return;
      }
      button.hidden = false;
      button.addEventListener("click", function () {
        var status = document.getElementById(button.getAttribute("aria-controls"));
        navigator.clipboard.writeText(button.getAttribute("data-copy")).then(
          function () {
            if (status) {
              status.textContent = "Link copied.";
            }
          },
          function () {
            if (status) {
              status.textContent = "Could not copy; select the address above instead.";
            }
          },
        );
      });
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
