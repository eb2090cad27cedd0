/* Survey aggregates as points at each district's centre, sized by respondents and labelled
   with the eligible share. The same figures are in the table on the page; start-up and the
   offline notice are in tsunagu/map.js. */
(function () {
  "use strict";
  var data = window.TsunaguMap && window.TsunaguMap.readJSON("checklist-map-data");
  if (!data) { return; }
  var started = window.TsunaguMap.start({ configId: "checklist-map-config", containerId: "checklist-map" });
  if (!started) { return; }
  var L = started.L, map = started.map, config = started.config;
  var bounds = [];
  (data.points || []).forEach(function (p) {
    var radius = 6 + Math.min(24, Math.sqrt(p.respondents));
    var marker = L.circleMarker([p.lat, p.lon], { radius: radius, color: "#1a4d8f", weight: 2, fillOpacity: 0.4 });
    var text = p.name + "：" + config.eligibleLabel + " " + (p.share === null ? "—" : p.share + "%") +
      "（" + config.respondentsLabel + " " + p.respondents + "）";
    marker.bindTooltip(text);
    marker.bindPopup(text);
    marker.addTo(map);
    bounds.push([p.lat, p.lon]);
  });
  window.TsunaguMap.fit(map, bounds, { padding: [30, 30], maxZoom: 13 }, [33.6, 130.8], 9);
})();
