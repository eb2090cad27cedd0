/* Feed map: route lines and stops (departures on the chosen day) from JSON embedded in the
   page. The same data is in the tables below; start-up and the offline notice are in
   tsunagu/map.js. */
(function () {
  "use strict";

  var started = window.TsunaguMap && window.TsunaguMap.start({
    configId: "transit-map-config",
    containerId: "transit-map"
  });
  if (!started) { return; }
  var L = started.L;
  var map = started.map;
  var config = started.config;
  var data = window.TsunaguMap.readJSON("transit-map-data") || { routes: [], stops: [] };

  var bounds = [];
  data.routes.forEach(function (route) {
    (route.lines || []).forEach(function (line) {
      if (!line || line.length < 2) { return; }
      L.polyline(line, {
        color: route.color || "#0031d8",
        weight: 5,
        opacity: 0.8,
        dashArray: route.demand ? "8 8" : null
      }).bindTooltip(route.name + "（" + route.trips + " " + config.tripsLabel + "）").addTo(map);
      line.forEach(function (p) { bounds.push(p); });
    });
  });

  function popup(stop) {
    var box = document.createElement("div");
    box.className = "stop-popup";
    var title = document.createElement("strong");
    title.textContent = stop.name;
    box.appendChild(title);
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(stop.kindLabel));
    box.appendChild(document.createElement("br"));
    box.appendChild(document.createTextNode(config.departuresLabel + ": " + stop.departures));
    if (stop.first) {
      box.appendChild(document.createElement("br"));
      box.appendChild(document.createTextNode(config.timesLabel + ": " + stop.first + "〜" + stop.last));
    }
    return box;
  }

  data.stops.forEach(function (stop) {
    var kind = stop.kind === "demand_stop" ? "demand" : (stop.departures > 0 ? "bus" : "none");
    var label = stop.kind === "demand_stop" ? "予" : String(stop.departures);
    var icon = L.divIcon({
      className: "",
      html: '<span class="stop-pin stop-pin-' + kind + '">' + label + "</span>",
      iconSize: [26, 26],
      iconAnchor: [13, 13]
    });
    L.marker([stop.lat, stop.lon], { icon: icon, title: stop.name, alt: stop.name })
      .bindPopup(popup(stop))
      .addTo(map);
    bounds.push([stop.lat, stop.lon]);
  });

  window.TsunaguMap.fit(map, bounds, { padding: [20, 20], maxZoom: 16 }, [35.0, 135.0], 5);
})();
