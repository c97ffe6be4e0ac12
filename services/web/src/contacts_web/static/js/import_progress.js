/* The statuses page while an import's numbers are checked: the progress bar, the rows checked
   and the counts per status follow the import live, from the web app's relay of the
   importer's progress stream (server-sent events: an EventSource cannot send a token, the
   relay uses the session cookie). The words come ready from the server; this only puts them
   on the page. Once every number is checked, it says so (politely, once) and loads the
   statuses. The section's htmx polling is held back while the stream is open, and asks
   whenever it is not (failed, or opening again); a poll's answer replaces the section, so
   it is looked up each time. */
(function () {
  "use strict";

  var RELOAD_AFTER_MS = 1500; // time for a screen reader to say the import is done
  var MAX_FAILURES = 3; // failures in a row without an event before the stream is given up

  function section() {
    return document.getElementById("import-progress");
  }

  var first = section();
  if (!first || !first.dataset.stream || !window.EventSource) {
    return;
  }
  var source = new EventSource(first.dataset.stream);
  var streaming = false;
  var failures = 0;

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (streaming && event.target === section()) {
      event.preventDefault(); // the stream keeps the section up to date
    }
  });

  function show(data) {
    var shown = section();
    if (!shown) {
      return;
    }
    shown.querySelector("progress").value = data.percent;
    shown.querySelector("[data-rows]").textContent = data.rows;
    shown.querySelectorAll("[data-status]").forEach(function (item) {
      var count = data.counts[item.dataset.status];
      item.hidden = !count;
      if (count) {
        item.querySelector("[data-count]").textContent = count;
      }
    });
    if (data.announce) {
      shown.querySelector("[data-announce]").textContent = data.announce;
    }
  }

  source.addEventListener("open", function () {
    streaming = true;
  });

  source.addEventListener("progress", function (event) {
    failures = 0;
    show(JSON.parse(event.data));
  });

  source.addEventListener("end", function (event) {
    source.close();
    show(JSON.parse(event.data));
    window.setTimeout(function () {
      window.location.reload();
    }, RELOAD_AFTER_MS);
  });

  source.addEventListener("error", function () {
    // the relay ended (it lasts a few minutes) or failed: the polling asks meanwhile, and the
    // EventSource opens it again, unless it was refused (CLOSED) or keeps failing
    streaming = false;
    failures += 1;
    if (source.readyState === EventSource.CLOSED || failures >= MAX_FAILURES) {
      source.close();
    }
  });
})();
