/* Directory map: markers from the JSON embedded in the page (no extra request).
   Start-up and the offline notice are in tsunagu/map.js; the list of the same records is
   always on the page below the map. */
(function () {
  "use strict";

  var started = window.TsunaguMap && window.TsunaguMap.start({
    configId: "map-config",
    containerId: "map"
  });
  if (!started) { return; }
  var L = started.L;
  var map = started.map;
  var config = started.config;
  var records = window.TsunaguMap.readJSON("map-records") || [];

  function entryFor(record, point) {
    var item = document.createElement("li");
    var kind = document.createElement("span");
    kind.className = "map-popup-kind";
    kind.textContent = record.kind_label + " ";
    var link = document.createElement("a");
    link.href = record.url;
    link.textContent = record.name;
    var detail = document.createElement("span");
    detail.className = "map-popup-detail";
    detail.textContent = record.detail + (point.place ? "（" + point.place + "）" : "");
    item.appendChild(kind);
    item.appendChild(link);
    item.appendChild(document.createElement("br"));
    item.appendChild(detail);
    return item;
  }

  // Records at the same point (a group and the services it runs from its office) share one
  // marker whose popup lists them all, so none hides under another.
  var places = {};
  var order = [];
  records.forEach(function (record) {
    (record.points || []).forEach(function (point) {
      var key = point.lat.toFixed(6) + "," + point.lon.toFixed(6);
      if (!places[key]) {
        places[key] = { lat: point.lat, lon: point.lon, entries: [] };
        order.push(key);
      }
      places[key].entries.push({ record: record, point: point });
    });
  });

  var bounds = [];
  order.forEach(function (key) {
    var place = places[key];
    var entries = place.entries;
    var first = entries[0].record;
    var kinds = {};
    entries.forEach(function (entry) { kinds[entry.record.kind] = true; });
    var kindClass = Object.keys(kinds).length > 1 ? "mixed" : first.kind;
    var label = entries.length > 1
      ? entries.length + "件: " + entries.map(function (e) { return e.record.name; }).join("、")
      : first.kind_label + ": " + first.name;
    var icon = L.divIcon({
      className: "map-pin map-pin-" + kindClass,
      html: entries.length > 1 ? String(entries.length) : (first.kind === "resource" ? "資" : "団"),
      iconSize: [28, 28],
      iconAnchor: [14, 14],
      popupAnchor: [0, -14]
    });
    var marker = L.marker([place.lat, place.lon], {
      icon: icon,
      title: label,
      alt: label,
      keyboard: true
    });
    var list = document.createElement("ul");
    list.className = "map-popup-list";
    entries.forEach(function (entry) { list.appendChild(entryFor(entry.record, entry.point)); });
    marker.bindPopup(list, { maxHeight: 300 });
    marker.on("add", function () {
      var element = marker.getElement();
      if (element) {
        element.setAttribute("role", "button");
        element.setAttribute("aria-label", label);
      }
    });
    marker.addTo(map);
    bounds.push([place.lat, place.lon]);
  });

  window.TsunaguMap.fit(map, bounds, { padding: [30, 30], maxZoom: 15 }, config.centre, config.zoom);
})();
