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

  /* --- Discreet mode ----------------------------------------------------------
     The form works without this: the server keeps the choice and sends the page
     back with a plain title. Here, turning it on renames this tab at once, so the
     history entry of the page it was turned on from reads "Notes" too. */
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var button = event.submitter;
    if (form.hasAttribute && form.hasAttribute("data-discreet-form") && button && button.value === "on") {
      document.title = form.getAttribute("data-neutral-title") || "Notes";
    }
  });

  /* --- Idle sign-out warning ---------------------------------------------------
     The server signs a person out after data-idle-timeout seconds without a
     request. Typing or clicking here counts as activity (sent at most every few
     minutes); data-idle-warning seconds before the limit, a notice offers to
     stay signed in; at the limit the page reloads, and the server signs out. */
  function idleWatch() {
    var body = document.body;
    var timeout = parseInt(body.getAttribute("data-idle-timeout"), 10);
    var warning = parseInt(body.getAttribute("data-idle-warning"), 10);
    var url = body.getAttribute("data-keepalive-url");
    if (!timeout || !url) {
      return;
    }
    var lastServerContact = Date.now();
    var lastActivity = Date.now();
    var notice = null;
    var PING_EVERY_MS = 4 * 60 * 1000;

    function token() {
      var field = document.querySelector("input[name=csrfmiddlewaretoken]");
      return field ? field.value : "";
    }

    function ping() {
      lastServerContact = Date.now();
      var form = new FormData();
      form.append("csrfmiddlewaretoken", token());
      return fetch(url, { method: "POST", body: form, credentials: "same-origin" });
    }

    function hideNotice() {
      if (notice) {
        notice.remove();
        notice = null;
      }
    }

    function showNotice() {
      if (notice) {
        return;
      }
      notice = document.createElement("div");
      notice.className = "idle-notice";
      notice.setAttribute("role", "alertdialog");
      notice.setAttribute("aria-labelledby", "idle-notice-text");
      var text = document.createElement("p");
      text.id = "idle-notice-text";
      text.textContent =
        "For your privacy, you'll be signed out in " +
        Math.max(1, Math.round(warning / 60)) +
        " minute" + (warning >= 120 ? "s" : "") + " unless you stay. What you've saved is kept.";
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button";
      button.textContent = "Stay signed in";
      button.addEventListener("click", function () {
        ping().then(hideNotice, hideNotice);
        lastActivity = Date.now();
      });
      notice.appendChild(text);
      notice.appendChild(button);
      document.body.appendChild(notice);
      button.focus();
    }

    function activity() {
      lastActivity = Date.now();
      if (!notice && Date.now() - lastServerContact > PING_EVERY_MS) {
        ping();
      }
    }

    ["keydown", "pointerdown", "input"].forEach(function (name) {
      document.addEventListener(name, activity, { passive: true });
    });

    window.setInterval(function () {
      var idleFor = (Date.now() - Math.max(lastServerContact, 0)) / 1000;
      if (lastActivity > lastServerContact && Date.now() - lastActivity < 5000) {
        return;
      }
      if (idleFor >= timeout) {
        window.location.reload();
      } else if (idleFor >= timeout - warning) {
        showNotice();
      }
    }, 5000);
  }

  function ready() {
    idleWatch();
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
