// The public portal's small enhancements: every form works without them.
(function () {
  "use strict";

  function byId(id) {
    return id ? document.getElementById(id) : null;
  }

  function say(statusId, text) {
    var status = byId(statusId);
    if (status) {
      status.textContent = text || "";
    }
  }

  // "Use my location": fill the hidden latitude/longitude of the raise form from the browser's geolocation.
  function setUpLocate(button) {
    var lat = byId(button.getAttribute("data-mq-lat"));
    var lng = byId(button.getAttribute("data-mq-long"));
    var clear = document.querySelector('[data-mq-locate-clear="' + button.id + '"]');
    var statusId = button.getAttribute("data-mq-status");
    if (!lat || !lng || !("geolocation" in navigator)) {
      return;
    }
    button.hidden = false;
    if (clear && lat.value && lng.value) {
      clear.hidden = false;
    }
    button.addEventListener("click", function () {
      button.disabled = true;
      say(statusId, button.getAttribute("data-msg-busy"));
      navigator.geolocation.getCurrentPosition(
        function (position) {
          lat.value = position.coords.latitude.toFixed(6);
          lng.value = position.coords.longitude.toFixed(6);
          button.disabled = false;
          if (clear) {
            clear.hidden = false;
          }
          var metres = String(Math.round(position.coords.accuracy || 0));
          say(statusId, (button.getAttribute("data-msg-done") || "").replace("%(metres)s", metres));
        },
        function () {
          button.disabled = false;
          say(statusId, button.getAttribute("data-msg-failed"));
        },
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 }
      );
    });
    if (clear) {
      clear.addEventListener("click", function () {
        lat.value = "";
        lng.value = "";
        clear.hidden = true;
        say(statusId, clear.getAttribute("data-msg-cleared"));
        button.focus();
      });
    }
  }

  // A running character count under a textarea with a maxlength.
  function setUpCounter(counter) {
    var field = byId(counter.getAttribute("data-mq-counter-for"));
    if (!field) {
      return;
    }
    var max = field.getAttribute("maxlength");
    var update = function () {
      counter.textContent = field.value.trim().length + (max ? " / " + max : "");
    };
    field.addEventListener("input", update);
    update();
  }

  // Copy a code (the tracking code) to the clipboard.
  function setUpCopy(button) {
    var source = byId(button.getAttribute("data-mq-copy"));
    if (!source || !navigator.clipboard || !window.isSecureContext) {
      return;
    }
    button.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(source.textContent.trim()).then(function () {
        say(button.getAttribute("data-mq-status"), button.getAttribute("data-msg-done"));
      });
    });
  }

  // Send a form once: a second click while the first is on its way does nothing (the server dedupes anyway).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-mq-once") || event.defaultPrevented) {
      return;
    }
    if (form.getAttribute("data-mq-sending") === "1") {
      event.preventDefault();
      return;
    }
    form.setAttribute("data-mq-sending", "1");
    var buttons = document.querySelectorAll('button[type="submit"][form="' + form.id + '"], #' + form.id + ' button[type="submit"]');
    Array.prototype.forEach.call(buttons, function (button) {
      button.setAttribute("aria-disabled", "true");
      button.classList.add("disabled");
      var busy = button.getAttribute("data-msg-busy");
      if (busy) {
        button.setAttribute("data-mq-label", button.textContent);
        button.textContent = busy;
      }
    });
  });

  // Coming back with the browser's back button shows the page as it was left: make it usable again.
  window.addEventListener("pageshow", function (event) {
    if (!event.persisted) {
      return;
    }
    Array.prototype.forEach.call(document.querySelectorAll("form[data-mq-sending]"), function (form) {
      form.removeAttribute("data-mq-sending");
    });
    Array.prototype.forEach.call(document.querySelectorAll('button[aria-disabled="true"].disabled'), function (button) {
      button.removeAttribute("aria-disabled");
      button.classList.remove("disabled");
      if (button.hasAttribute("data-mq-label")) {
        button.textContent = button.getAttribute("data-mq-label");
      }
    });
  });

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-mq-locate]"), setUpLocate);
    Array.prototype.forEach.call(document.querySelectorAll("[data-mq-counter-for]"), setUpCounter);
    Array.prototype.forEach.call(document.querySelectorAll("[data-mq-copy]"), setUpCopy);
    var summary = byId("mq-raise-errors");
    if (summary) {
      summary.focus();
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
