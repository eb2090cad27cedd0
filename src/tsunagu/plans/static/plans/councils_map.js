/* Councils coverage map: one marker (or boundary) per area, coloured by stage. The same
   areas are in the table on the page; start-up and the offline notice are tsunagu/map.js. */
(function () {
  "use strict";
  var started = window.TsunaguMap && window.TsunaguMap.start({
    configId: "councils-map-config",
    containerId: "councils-map"
  });
  if (!started) { return; }
  var L = started.L;
  var map = started.map;
  var data = window.TsunaguMap.readJSON("councils-map-data") || [];
  var colours = { workshop: "#767676", preparatory: "#E69F00", council: "#0072B2" };
  var bounds = [];
  data.forEach(function (area) {
    var colour = colours[area.stageCode] || "#333";
    var label = area.label + "（" + area.stage + "）";
    if (area.boundary) {
      var layer = L.geoJSON(area.boundary, { style: { color: colour, weight: 2, fillOpacity: 0.25 } })
        .bindTooltip(label).addTo(map);
      var b = layer.getBounds();
      bounds.push(b.getSouthWest(), b.getNorthEast());
    }
    if (area.lat !== null && area.lon !== null) {
      L.circleMarker([area.lat, area.lon], { radius: 9, color: colour, fillOpacity: 0.8 })
        .bindTooltip(label, { permanent: true, direction: "right" }).addTo(map);
      bounds.push([area.lat, area.lon]);
    }
  });
  window.TsunaguMap.fit(map, bounds, { maxZoom: 13, padding: [20, 20] }, started.config.centre, 11);
})();
