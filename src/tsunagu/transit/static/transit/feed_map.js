/* Feed map: route lines and stops (departures on the chosen day) from JSON embedded in the
   page. The same data is in the tables below; without tiles or Leaflet the page says so. */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (error) { return null; }
  }

  var config = readJSON("transit-map-config");
  var data = readJSON("transit-map-data") || { routes: [], stops: [] };
  var container = document.getElementById("transit-map");
  var notice = document.getElementById("map-offline");
  var shown = false;

  function showOffline() {
    if (shown || !notice) { return; }
    shown = true;
    if (config && config.offlineMessage) { notice.textContent = config.offlineMessage; }
    notice.hidden = false;
  }

  if (!container || !config) { return; }
  if (typeof window.L === "undefined") {
    showOffline();
    container.hidden = true;
    return;
  }
  var L = window.L;
  var map = L.map(container, { scrollWheelZoom: false });
  var tiles = L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 });
  tiles.on("tileerror", showOffline);
  tiles.addTo(map);
  if (!window.navigator.onLine) { showOffline(); }

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

  if (bounds.length) {
    map.fitBounds(bounds, { padding: [20, 20], maxZoom: 16 });
  } else {
    map.setView([35.0, 135.0], 5);
  }
})();
