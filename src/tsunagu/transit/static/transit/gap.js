/* Gap analysis map: stops, and points or mesh cells coloured by distance band, from the JSON
   embedded in the page. The same content is in the tables below the map; start-up and the
   offline notice are in tsunagu/map.js. */
(function () {
  "use strict";

  // Printing: open the table alternative so it is on paper too.
  var printButton = document.querySelector("[data-print]");
  if (printButton) {
    printButton.addEventListener("click", function () { window.print(); });
  }
  window.addEventListener("beforeprint", function () {
    var details = document.querySelectorAll(".gap-table-alt");
    for (var i = 0; i < details.length; i++) { details[i].open = true; }
  });

  // After "分析する" the results are below the form: bring them into view and focus.
  var heading = document.getElementById("result-heading");
  if (heading && window.location.hash === "") {
    heading.focus();
  }

  var data = window.TsunaguMap && window.TsunaguMap.readJSON("gap-data");
  if (!data) { return; }
  var started = window.TsunaguMap.start({
    configId: "gap-config",
    containerId: "gap-map",
    mapOptions: { preferCanvas: true }
  });
  if (!started) { return; }
  var L = started.L;
  var map = started.map;
  var config = started.config;

  var bands = data.bands || [];
  function bandOf(index) { return bands[index] || { colour: "#777777", text: "" }; }

  function popup(lines) {
    var box = document.createElement("p");
    box.className = "gap-popup";
    for (var i = 0; i < lines.length; i++) {
      if (i > 0) { box.appendChild(document.createElement("br")); }
      box.appendChild(document.createTextNode(lines[i]));
    }
    return box;
  }

  var bounds = L.latLngBounds([]);
  var cells = data.cells || [];
  for (var c = 0; c < cells.length; c++) {
    var cell = cells[c];
    var b = cell.bounds;  // [south, west, north, east]
    var band = bandOf(cell.band);
    var rect = L.rectangle([[b[0], b[1]], [b[2], b[3]]], {
      color: "#333333", weight: 1, fillColor: band.colour, fillOpacity: 0.55
    });
    rect.bindPopup(popup([
      config.meshLabel + " " + cell.label,
      config.countLabel + ": " + cell.weight,
      config.distanceLabel + ": " + cell.distance + " m（" + band.text + "）"
    ]));
    rect.addTo(map);
    bounds.extend(rect.getBounds());
  }
  var points = data.points || [];
  for (var p = 0; p < points.length; p++) {
    var point = points[p];  // [lat, lon, band, distance]
    var pband = bandOf(point[2]);
    var marker = L.circleMarker([point[0], point[1]], {
      radius: 5, color: "#1a1a1a", weight: 1, fillColor: pband.colour, fillOpacity: 0.9
    });
    marker.bindPopup(popup([config.distanceLabel + ": " + point[3] + " m（" + pband.text + "）"]));
    marker.addTo(map);
    bounds.extend([point[0], point[1]]);
  }
  var stops = data.stops || [];
  for (var s = 0; s < stops.length; s++) {
    var stop = stops[s];  // [lat, lon, name, departures]
    var stopMarker = L.circleMarker([stop[0], stop[1]], {
      radius: 6, color: "#1a1a1a", weight: 3, fillColor: "#ffffff", fillOpacity: 1
    });
    stopMarker.bindPopup(popup([stop[2], config.departuresLabel + ": " + stop[3]]));
    stopMarker.addTo(map);
    if (!cells.length && !points.length) { bounds.extend([stop[0], stop[1]]); }
  }
  if (bounds.isValid()) {
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
  } else {
    map.setView([35.0, 135.0], 5);
  }
}());
