/* Boundary plan builder: the same buttons as without JavaScript (add, add an
   example, move up/down, remove), done in the page instead of a round trip.
   Order and removal go into the formset's hidden ORDER and DELETE fields; the
   server reads those on save. Also: a live character count, and the gentle
   wording check as you type (asked of the server, which holds the rules).
   No beforeunload prompt: it would get in the way of quick exit. */
(function () {
  "use strict";

  var form = document.querySelector("[data-builder]");
  if (!form) {
    return;
  }
  var rowsBox = form.querySelector("[data-rows]");
  var template = document.getElementById("boundary-template");
  var status = form.querySelector("[data-status]");
  var totalInput = form.querySelector("input[name$='-TOTAL_FORMS']");
  var prefix = totalInput.name.replace(/-TOTAL_FORMS$/, "");
  var maxRows = parseInt(form.getAttribute("data-max"), 10) || 30;
  var examplesNode = document.getElementById("boundary-examples");
  var examples = examplesNode ? JSON.parse(examplesNode.textContent) : {};
  var checkUrl = form.getAttribute("data-check-url");
  var csrf = form.querySelector("input[name='csrfmiddlewaretoken']");
  var removed = null;

  function visibleRows() {
    return Array.prototype.filter.call(rowsBox.querySelectorAll("[data-boundary]"), function (row) {
      return !row.hidden;
    });
  }

  function field(row, name) {
    return row.querySelector("[name='" + prefix + "-" + row.getAttribute("data-index") + "-" + name + "']");
  }

  function announce(text, undo) {
    status.textContent = text;
    if (undo) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "button button--secondary button--small builder__undo";
      button.textContent = "Undo";
      button.addEventListener("click", undo);
      status.appendChild(document.createTextNode(" "));
      status.appendChild(button);
    }
  }

  /* Number the rows in page order: headings, hidden ORDER values, button names. */
  function renumber() {
    var rows = visibleRows();
    rows.forEach(function (row, position) {
      var number = position + 1;
      row.querySelector("[data-boundary-label]").textContent = "Boundary " + number;
      row.querySelectorAll("[data-boundary-suffix]").forEach(function (span) {
        span.textContent = " boundary " + number;
      });
      field(row, "ORDER").value = String(number);
      row.querySelector("[data-move='up']").disabled = position === 0;
      row.querySelector("[data-move='down']").disabled = position === rows.length - 1;
    });
  }

  function newRow(values) {
    if (visibleRows().length >= maxRows) {
      announce("A plan holds up to " + maxRows + " boundaries.");
      return null;
    }
    var index = parseInt(totalInput.value, 10);
    var html = template.innerHTML.replace(/__prefix__/g, String(index));
    var holder = document.createElement("div");
    holder.innerHTML = html;
    var row = holder.firstElementChild;
    rowsBox.appendChild(row);
    totalInput.value = String(index + 1);
    Object.keys(values || {}).forEach(function (name) {
      var input = field(row, name);
      if (input) {
        input.value = values[name];
      }
    });
    renumber();
    watch(row);
    checkSoon(row);
    return row;
  }

  function move(row, direction) {
    var rows = visibleRows();
    var position = rows.indexOf(row);
    var target = direction === "up" ? rows[position - 1] : rows[position + 1];
    if (!target) {
      return;
    }
    if (direction === "up") {
      rowsBox.insertBefore(row, target);
    } else {
      rowsBox.insertBefore(target, row);
    }
    renumber();
    var number = visibleRows().indexOf(row) + 1;
    var button = row.querySelector("[data-move='" + direction + "']");
    if (button.disabled) {
      button = row.querySelector("[data-move='" + (direction === "up" ? "down" : "up") + "']");
    }
    button.focus();
    announce("Boundary " + (position + 1) + " is now boundary " + number + ". Save the plan to keep the order.");
  }

  function remove(row) {
    var rows = visibleRows();
    var position = rows.indexOf(row);
    field(row, "DELETE").value = "on";
    row.hidden = true;
    renumber();
    removed = row;
    var next = visibleRows()[position] || visibleRows()[position - 1];
    announce("Boundary " + (position + 1) + " is removed. Save the plan to keep the change.", function () {
      if (!removed) {
        return;
      }
      field(removed, "DELETE").value = "";
      removed.hidden = false;
      var back = removed;
      removed = null;
      renumber();
      announce("Boundary " + (visibleRows().indexOf(back) + 1) + " is back.");
      back.querySelector("legend").scrollIntoView({ block: "center" });
      back.querySelector("[data-remove]").focus();
    });
    (next ? next.querySelector("[data-remove]") : form.querySelector("[data-add]")).focus();
  }

  form.addEventListener("click", function (event) {
    var button = event.target.closest("button[name='builder']");
    if (!button || button.value === "save") {
      return;
    }
    event.preventDefault();
    var row = button.closest("[data-boundary]");
    if (button.hasAttribute("data-add")) {
      var added = newRow({});
      if (added) {
        field(added, "need").focus();
        announce("A new boundary is added as boundary " + visibleRows().length + ". Save the plan to keep it.");
      }
    } else if (button.hasAttribute("data-example")) {
      var example = newRow(examples[button.getAttribute("data-example")]);
      if (example) {
        example.querySelector("legend").scrollIntoView({ block: "start" });
        field(example, "need").focus({ preventScroll: true });
        announce("The example is added as boundary " + visibleRows().length + ". Change anything that doesn't fit, then save.");
      }
    } else if (row && button.hasAttribute("data-move")) {
      move(row, button.getAttribute("data-move"));
    } else if (row && button.hasAttribute("data-remove")) {
      remove(row);
    }
  });

  /* --- Live character count ---------------------------------------------------------- */
  function countFor(input) {
    var limit = parseInt(input.getAttribute("data-limit"), 10);
    var length = input.value.length;
    var id = input.id + "_count";
    var note = document.getElementById(id);
    if (length <= limit * 0.9) {
      if (note) {
        note.remove();
      }
      return;
    }
    if (!note) {
      note = document.createElement("span");
      note.id = id;
      note.className = "char-count";
      note.setAttribute("aria-live", "polite");
      input.insertAdjacentElement("afterend", note);
    }
    var over = length - limit;
    note.classList.toggle("char-count--over", over > 0);
    note.textContent = over > 0
      ? length.toLocaleString() + " characters: " + over.toLocaleString() + " over the limit of " + limit.toLocaleString() + ". Shorten it to save."
      : length.toLocaleString() + " of " + limit.toLocaleString() + " characters.";
  }

  /* --- The wording check, as you type ------------------------------------------------------ */
  var timers = new WeakMap();

  function renderAdvice(row, flags) {
    var box = row.querySelector("[data-advice]");
    box.textContent = "";
    if (!flags.length) {
      return;
    }
    var wrap = document.createElement("div");
    wrap.className = "wording-advice notice notice--warm";
    var title = document.createElement("p");
    title.className = "wording-advice__title";
    var strong = document.createElement("strong");
    strong.textContent = flags[0].title;
    title.appendChild(strong);
    wrap.appendChild(title);
    var list = document.createElement("ul");
    list.className = "wording-advice__list";
    if (flags[0].kind === "safety") {
      /* A safety note comes alone: what this may be, what helps, and where to turn. */
      var text = document.createElement("p");
      text.textContent = flags[0].explanation + " " + flags[0].suggestion;
      wrap.appendChild(text);
      flags[0].links.forEach(function (link) {
        var item = document.createElement("li");
        var anchor = document.createElement("a");
        anchor.href = link.url;
        anchor.textContent = link.text;
        item.appendChild(anchor);
        list.appendChild(item);
      });
      wrap.appendChild(list);
      box.appendChild(wrap);
      return;
    }
    flags.forEach(function (flag) {
      var item = document.createElement("li");
      var label = document.createElement("span");
      label.className = "wording-advice__field";
      label.textContent = flag.field_label + ":";
      item.appendChild(label);
      item.appendChild(document.createTextNode(" " + flag.explanation + " " + flag.suggestion));
      list.appendChild(item);
    });
    wrap.appendChild(list);
    box.appendChild(wrap);
  }

  /* Ask the server about the whole boundary (its checked fields), so the advice shown
     always matches what is written now. */
  function check(row) {
    var body = new FormData();
    row.querySelectorAll("textarea[data-check]").forEach(function (input) {
      body.append(input.name.split("-").pop(), input.value);
    });
    fetch(checkUrl, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf.value },
    })
      .then(function (response) {
        return response.ok ? response.json() : { flags: null };
      })
      .then(function (data) {
        if (data.flags) {
          renderAdvice(row, data.flags);
        }
      })
      .catch(function () {
        /* Offline or signed out: the check runs again when the plan is saved. */
      });
  }

  function checkSoon(row) {
    clearTimeout(timers.get(row));
    timers.set(row, setTimeout(function () {
      check(row);
    }, 700));
  }

  function watch(scope) {
    scope.querySelectorAll("[data-limit]").forEach(function (input) {
      countFor(input);
      input.addEventListener("input", function () {
        countFor(input);
      });
    });
    scope.querySelectorAll("textarea[data-check]").forEach(function (input) {
      input.addEventListener("input", function () {
        checkSoon(input.closest("[data-boundary]"));
      });
    });
  }

  watch(form);
  renumber();

  /* Written before this script ran (a slow phone, the page still loading) or put back by
     the browser (Back, Reload): checked now, as a key pressed from now on would be. */
  visibleRows().forEach(function (row) {
    var written = Array.prototype.some.call(row.querySelectorAll("textarea[data-check]"), function (input) {
      return input.value !== input.defaultValue;
    });
    if (written) {
      checkSoon(row);
    }
  });
})();
