/* The statuses page while an import's numbers are checked: the progress bar, the rows checked
   and the counts per status follow the import live, from the web app's relay of the
   importer's progress stream (server-sent events: an EventSource cannot send a token, the
   relay uses the session cookie). The words come ready from the server; this only puts them
   on the page. Once every number is checked, it says so (politely, once) and loads the
   statuses. The section's htmx polling is held back while the stream is alive and takes over
   if the stream fails. */
(function () {
  "use strict";

  var RELOAD_AFTER_MS = 1500; // time for a screen reader to say the import is done
  var MAX_FAILURES = 3; // reconnections in a row without an event before polling takes over

  var section = document.getElementById("import-progress");
  if (!section || !section.dataset.stream || !window.EventSource) {
    return;
  }
  var bar = section.querySelector("progress");
  var rows = section.querySelector("[data-rows]");
  var announcer = section.querySelector("[data-announce]");
  var source = new EventSource(section.dataset.stream);
  var streaming = true;
  var failures = 0;

  document.addEventListener("htmx:beforeRequest", function (event) {
    if (streaming && event.target === section) {
      event.preventDefault(); // the stream keeps the section up to date
    }
  });

  function show(data) {
    bar.value = data.percent;
    rows.textContent = data.rows;
    section.querySelectorAll("[data-status]").forEach(function (item) {
      var count = data.counts[item.dataset.status];
      item.hidden = !count;
      if (count) {
        item.querySelector("[data-count]").textContent = count;
      }
    });
  }

  source.addEventListener("progress", function (event) {
    failures = 0;
    show(JSON.parse(event.data));
  });

  source.addEventListener("end", function (event) {
    var data = JSON.parse(event.data);
    source.close();
    show(data);
    announcer.textContent = data.announce;
    window.setTimeout(function () {
      window.location.reload();
    }, RELOAD_AFTER_MS);
  });

  source.addEventListener("error", function () {
    // the relay ended (it lasts a few minutes) or failed: the EventSource opens it again,
    // unless it was refused (CLOSED) or keeps failing
    failures += 1;
    if (source.readyState === EventSource.CLOSED || failures >= MAX_FAILURES) {
      source.close();
      streaming = false;
    }
  });
})();
