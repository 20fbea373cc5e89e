/* The safety plan page: fill in a place's lines without sending the form, and land
   on the part of the page an answer is about.

   "Fill in the lines for this place" works without JavaScript by posting the form,
   which leaves the typed plan in the browser's history (Back or Reload sends it
   again). Here the lines come from the page itself (#plan-lines: the site's own
   lines, nothing anyone typed), so nothing is sent and no history entry is made. */
(function () {
  "use strict";

  function fillInLines() {
    var data = document.getElementById("plan-lines");
    var form = document.querySelector("form.safety-plan");
    if (!data || !form) {
      return;
    }
    var byRegion = JSON.parse(data.textContent);
    var button = form.querySelector('button[name="intent"][value="lines"]');
    var region = form.querySelector('select[name="region"]');
    var hotlines = form.querySelector('textarea[name="hotlines"]');
    var note = document.getElementById("lines-note");
    if (!button || !region || !hotlines || !note) {
      return;
    }
    // With this script the button sends nothing: say so to the browser (and to
    // assistive technology, which no longer announces it as submitting the form).
    button.type = "button";
    button.addEventListener("click", function (event) {
      event.preventDefault();
      var text = byRegion[region.value];
      note.hidden = false;
      if (!text) {
        note.textContent = note.getAttribute("data-choose");
        region.focus();
        return;
      }
      hotlines.value = text;
      hotlines.dispatchEvent(new Event("input", { bubbles: true }));
      note.textContent = note.getAttribute("data-filled");
      note.focus();
    });
  }

  function landOnTheAnswer() {
    var target = document.querySelector("[data-focus]");
    if (target) {
      target.focus();
    }
  }

  function ready() {
    fillInLines();
    landOnTheAnswer();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", ready);
  } else {
    ready();
  }
})();
