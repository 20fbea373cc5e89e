/* The safety plan page: fill in a place's lines without sending the form, and land
   on the part of the page an answer is about.

   "Fill in the lines for this place" works without JavaScript by posting the form,
   which leaves the typed plan in the browser's history (Back or Reload sends it
   again). Here the lines come from the page itself (#plan-lines: the site's own
   lines, nothing anyone typed), so nothing is sent and no history entry is made.

   Choosing a place changes every list of lines on the page at once: the self-harm
   part's "Lines you can call now" (one list per place is in the page, the chosen one
   shown), and the box of lines, unless it holds something typed by hand (then only
   the button replaces it). */
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
    var callNow = document.getElementById("call-now");

    function showCrisisLines(place) {
      if (!callNow) {
        return;
      }
      var lists = callNow.querySelectorAll("ul[data-region]");
      var shown = null;
      lists.forEach(function (list) {
        list.hidden = list.getAttribute("data-region") !== place;
        if (!list.hidden) {
          shown = list;
        }
      });
      callNow.hidden = !shown || !shown.querySelector("li");
    }

    // Nothing typed by hand: empty, or the lines of some place exactly as filled in.
    function untouched() {
      var value = hotlines.value.replace(/\r\n/g, "\n");
      if (!value.trim()) {
        return true;
      }
      return Object.keys(byRegion).some(function (place) {
        return byRegion[place] === value;
      });
    }

    function choosePlace() {
      showCrisisLines(region.value);
      var text = byRegion[region.value];
      if (!text) {
        note.hidden = true;
        return;
      }
      note.hidden = false;
      if (untouched()) {
        hotlines.value = text;
        hotlines.dispatchEvent(new Event("input", { bubbles: true }));
        note.textContent = note.getAttribute("data-filled");
      } else {
        note.textContent = note.getAttribute("data-kept");
      }
    }

    region.addEventListener("change", choosePlace);
    // A place chosen before this script ran (on a slow phone, while the page was still
    // loading) or put back by the browser (Back, Reload): the page still shows the lines
    // of the place it was sent with. Show the chosen place's, as a change would.
    var sent = Array.prototype.find.call(region.options, function (option) {
      return option.defaultSelected;
    });
    if (region.value !== (sent ? sent.value : region.options[0].value)) {
      choosePlace();
    }

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
