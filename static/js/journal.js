/* Common Ground journal: autosave, the leave-page warning, a length count and prompts
   chosen in place. The entry form works without this file; this keeps writing safe. */
(function () {
  "use strict";

  var AUTOSAVE_DELAY_MS = 2500;
  var COUNT_FROM = 0.9; // show the length count from 90% of the limit

  function number(value) {
    return value.toLocaleString("en-GB");
  }

  /* The site's clock: 24 hours, whatever the browser's own settings say. */
  function clockTime(date) {
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  function localToday() {
    var now = new Date();
    var month = String(now.getMonth() + 1).padStart(2, "0");
    var day = String(now.getDate()).padStart(2, "0");
    return now.getFullYear() + "-" + month + "-" + day;
  }

  function setupEntryForm(form) {
    var url = form.getAttribute("data-autosave-url");
    var status = form.querySelector("[data-autosave-status]");
    var draftInput = form.querySelector("input[name='draft']");
    var body = form.querySelector("textarea[name='body']");
    var counter = form.querySelector("[data-char-count]");
    var maxLength = parseInt(form.getAttribute("data-max-length"), 10) || 50000;
    var timer = null;
    var inFlight = false;
    var pending = false; // typed since the last draft was kept
    var unsaved = form.hasAttribute("data-unsaved"); // text on the page that is not in the journal
    var submitting = false;
    var wasOver = false;

    function say(text) {
      if (status) {
        status.textContent = text;
      }
    }

    function keep(keepalive) {
      timer = null;
      if (!pending || submitting) {
        return;
      }
      if (inFlight && !keepalive) {
        schedule();
        return;
      }
      inFlight = true;
      pending = false;
      fetch(url, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)), // url-encoded: cheaper to parse than multipart
        credentials: "same-origin",
        keepalive: Boolean(keepalive),
      })
        .then(function (response) {
          var type = response.headers.get("Content-Type") || "";
          // Signed out since the page opened: 401 (core/signed_out.py), or a redirect to sign-in.
          if (response.status === 401 || (response.redirected && response.url.indexOf("/accounts/login/") !== -1)) {
            throw { signedOut: true };
          }
          if (!response.ok || type.indexOf("application/json") === -1) {
            throw response;
          }
          return response.json();
        })
        .then(function (result) {
          if (draftInput) {
            draftInput.value = result.draft || "";
          }
          say(result.draft ? draftKept(clockTime(new Date())) : "");
        })
        .catch(function (response) {
          pending = true;
          if (response && response.signedOut) {
            say("You have been signed out, so no draft could be kept. Copy your text somewhere safe before you sign in again.");
          } else if (response && response.status === 413) {
            say("This is too long to keep as a draft. Shorten it, then save.");
          } else {
            say("Could not keep a draft just now. Your text is still here; save the entry to keep it.");
          }
        })
        .finally(function () {
          inFlight = false;
        });
    }

    function schedule() {
      if (timer) {
        clearTimeout(timer);
      }
      timer = setTimeout(keep, AUTOSAVE_DELAY_MS);
    }

    /* A draft over the limit is kept too, but the entry cannot be saved until it is shorter:
       the message says so instead of offering a save that would be refused. */
    function draftKept(time) {
      if (body && body.value.length > maxLength) {
        return "Draft kept at " + time + ". The entry is longer than " + number(maxLength) + " characters; shorten it to save it.";
      }
      return "Draft kept at " + time + ". Save the entry to add it to your journal.";
    }

    function count() {
      if (!counter || !body) {
        return;
      }
      var length = body.value.length;
      var over = length > maxLength;
      counter.hidden = length < maxLength * COUNT_FROM;
      counter.classList.toggle("char-count--over", over);
      counter.textContent = over
        ? number(length) + " characters: " + number(length - maxLength) + " over the limit of " + number(maxLength) + "."
        : number(length) + " of " + number(maxLength) + " characters.";
      if (over && !wasOver) {
        say("The entry is longer than " + number(maxLength) + " characters; shorten it to save it.");
      }
      wasOver = over;
    }

    function changed() {
      unsaved = true;
      pending = true;
      schedule();
      count();
    }

    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
    form.addEventListener("submit", function () {
      submitting = true;
      if (timer) {
        clearTimeout(timer);
      }
    });

    /* A hidden or closing tab keeps what was typed at once, not in a few seconds. */
    document.addEventListener("visibilitychange", function () {
      if (document.visibilityState === "hidden") {
        keep(true);
      }
    });
    window.addEventListener("pagehide", function () {
      keep(true);
    });

    /* Warn before leaving with text that is not in the journal, but never hold up
       the quick exit (site.js marks the page "exiting" before it leaves). */
    window.addEventListener("beforeunload", function (event) {
      if (!unsaved || submitting || document.body.classList.contains("exiting")) {
        return;
      }
      event.preventDefault();
      event.returnValue = "";
    });

    /* Coming back to written text by keyboard, carry on where it ends. A click or
       tap places the caret after focus, so it still lands where it points. */
    if (body) {
      body.addEventListener("focus", function () {
        if (body.selectionStart === 0 && body.selectionEnd === 0 && body.value) {
          body.setSelectionRange(body.value.length, body.value.length);
        }
      });
    }

    /* Typed before this script ran (a slow phone, the page still loading) or put back by
       the browser (Back, Reload): kept as a draft like anything typed from now on. */
    var typedAlready = Array.prototype.some.call(form.elements, function (field) {
      if (field.type === "hidden" || field.type === "submit" || field.type === "button") {
        return false;
      }
      if (field.type === "checkbox" || field.type === "radio") {
        return field.checked !== field.defaultChecked;
      }
      if (field.tagName === "SELECT") {
        return Array.prototype.some.call(field.options, function (option) {
          return option.selected !== option.defaultSelected;
        });
      }
      return "defaultValue" in field && field.value !== field.defaultValue;
    });
    if (typedAlready) {
      changed();
    }

    if (form.hasAttribute("data-fresh")) {
      var date = form.querySelector("input[name='entry_date']");
      // The server's "today" is in UTC. A day already chosen (before this script ran, or
      // put back by the browser) is left as chosen.
      if (date && date.value === date.defaultValue) {
        date.value = localToday();
      }
    }
    count();

    document.querySelectorAll("[data-use-prompt]").forEach(function (link) {
      link.addEventListener("click", function (event) {
        event.preventDefault();
        usePrompt(form, link);
        changed();
        if (body) {
          body.focus();
        }
      });
    });
  }

  function usePrompt(form, link) {
    var card = form.querySelector("[data-prompt-card]");
    var source = form.querySelector("[data-prompt-source]");
    var sourceLink = form.querySelector("[data-prompt-link]");
    form.querySelector("input[name='prompt']").value = link.getAttribute("data-prompt");
    form.querySelector("input[name='step']").value = link.getAttribute("data-step");
    form.querySelector("[data-prompt-text]").textContent = link.getAttribute("data-prompt");
    sourceLink.textContent = link.getAttribute("data-step-title");
    sourceLink.setAttribute("href", link.getAttribute("data-step-url"));
    source.hidden = false;
    card.hidden = false;
  }

  function ready() {
    var form = document.querySelector("[data-journal-form]");
    if (form && window.fetch && window.FormData) {
      setupEntryForm(form);
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
