/*
 * Suggestions while typing in a search form (progressive enhancement).
 *
 * Every <form data-autocomplete="URL"> gets the WAI-ARIA combobox pattern with a
 * listbox popup (https://www.w3.org/WAI/ARIA/apg/patterns/combobox/): the input
 * becomes role="combobox"; typing asks URL?q=... (JSON, see catalog.views.autocomplete)
 * after a pause; Down/Up move through the suggestions, Enter opens the chosen one
 * (or submits the form when none is chosen), Escape closes the list. A live region
 * reads the number of suggestions. Without JavaScript the form submits as usual.
 */
(function () {
  "use strict";

  var DEBOUNCE_MS = 250;
  var MIN_LENGTH = 2;

  function setUp(form, number) {
    var input = form.querySelector('input[name="q"]');
    var url = form.getAttribute("data-autocomplete");
    if (!input || !url || !window.fetch || !window.AbortController) {
      return;
    }
    var listId = (input.id || "search-" + number) + "-suggestions";
    var list = document.createElement("ul");
    list.id = listId;
    list.className = "autocomplete";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", form.getAttribute("data-autocomplete-label") || "");
    list.hidden = true;
    var status = document.createElement("div");
    status.className = "visually-hidden";
    status.setAttribute("role", "status");
    input.parentNode.appendChild(list);
    form.appendChild(status);

    input.setAttribute("role", "combobox");
    input.setAttribute("aria-autocomplete", "list");
    input.setAttribute("aria-expanded", "false");
    input.setAttribute("aria-controls", listId);

    var timer = null;
    var request = null;
    var options = [];
    var active = -1;

    function open() {
      list.hidden = false;
      input.setAttribute("aria-expanded", "true");
    }

    function close() {
      list.hidden = true;
      input.setAttribute("aria-expanded", "false");
      input.removeAttribute("aria-activedescendant");
      active = -1;
      options.forEach(function (option) {
        option.setAttribute("aria-selected", "false");
      });
    }

    function choose(index) {
      if (!options.length) {
        return;
      }
      active = (index + options.length) % options.length;
      options.forEach(function (option, n) {
        option.setAttribute("aria-selected", n === active ? "true" : "false");
      });
      input.setAttribute("aria-activedescendant", options[active].id);
      options[active].scrollIntoView({ block: "nearest" });
    }

    function go(option) {
      window.location.assign(option.getAttribute("data-url"));
    }

    function render(data) {
      if (data.query !== input.value.trim()) {
        return; // an answer to an earlier text
      }
      list.textContent = "";
      options = data.results.map(function (result, n) {
        var option = document.createElement("li");
        option.id = listId + "-" + n;
        option.className = "autocomplete__option";
        option.setAttribute("role", "option");
        option.setAttribute("aria-selected", "false");
        option.setAttribute("data-url", result.url);
        var label = document.createElement("span");
        label.className = "autocomplete__label";
        label.textContent = result.label;
        var detail = document.createElement("span");
        detail.className = "autocomplete__detail";
        detail.textContent = result.detail
          ? result.kind_label + " · " + result.detail
          : result.kind_label;
        option.appendChild(label);
        option.appendChild(detail);
        // Keep the focus in the input when the pointer goes down on an option.
        option.addEventListener("mousedown", function (event) {
          event.preventDefault();
        });
        option.addEventListener("click", function () {
          go(option);
        });
        list.appendChild(option);
        return option;
      });
      active = -1;
      input.removeAttribute("aria-activedescendant");
      status.textContent = data.status;
      if (options.length) {
        open();
      } else {
        close();
      }
    }

    function suggest() {
      var text = input.value.trim();
      if (request) {
        request.abort();
        request = null;
      }
      if (text.length < MIN_LENGTH) {
        close();
        list.textContent = "";
        options = [];
        return;
      }
      request = new AbortController();
      var kind = form.querySelector('select[name="kind"]');
      var query = "?q=" + encodeURIComponent(text) + (kind && kind.value ? "&kind=" + encodeURIComponent(kind.value) : "");
      fetch(url + query, { signal: request.signal, headers: { Accept: "application/json" } })
        .then(function (response) {
          return response.ok ? response.json() : null;
        })
        .then(function (data) {
          if (data) {
            render(data);
          }
        })
        .catch(function () {
          // Aborted or offline: the plain form still works.
        });
    }

    input.addEventListener("input", function () {
      window.clearTimeout(timer);
      timer = window.setTimeout(suggest, DEBOUNCE_MS);
    });

    input.addEventListener("keydown", function (event) {
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) {
          return;
        }
        event.preventDefault();
        open();
        choose(event.key === "ArrowDown" ? active + 1 : active < 0 ? -1 : active - 1);
      } else if (event.key === "Enter") {
        if (!list.hidden && active >= 0) {
          event.preventDefault();
          go(options[active]);
        }
      } else if (event.key === "Escape") {
        if (!list.hidden) {
          event.preventDefault();
          close();
        }
      }
    });

    input.addEventListener("blur", function () {
      close();
    });
  }

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autocomplete]"), setUp);
})();
