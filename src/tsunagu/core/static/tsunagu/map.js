/* Shared map start-up for the pages with a Leaflet map (directory map, transit feed).
   Reads the page's JSON config, says so in #map-offline when Leaflet or the tiles are not
   there (the same data is always in a list or table on the page), and fits the view.
   A page's own script calls TsunaguMap.start(...) and draws its layers on the map. */
(function () {
  "use strict";

  function readJSON(id) {
    var element = document.getElementById(id);
    if (!element) { return null; }
    try { return JSON.parse(element.textContent); } catch (error) { return null; }
  }

  /* options: configId, containerId, mapOptions (Leaflet's, optional). Returns { L, map, config } or null when no map can be
     drawn (the offline notice is shown then). */
  function start(options) {
    var config = readJSON(options.configId);
    var container = document.getElementById(options.containerId);
    var notice = document.getElementById("map-offline");
    var shown = false;

    function showOffline() {
      if (shown || !notice) { return; }
      shown = true;
      if (config && config.offlineMessage) { notice.textContent = config.offlineMessage; }
      notice.hidden = false;
    }

    if (!container || !config) { return null; }
    var L = window.L;
    var map = null;
    if (typeof L !== "undefined") {
      var mapOptions = Object.assign({ scrollWheelZoom: false }, options.mapOptions || {});
      try { map = L.map(container, mapOptions); } catch (error) { map = null; }
    }
    if (!map) {
      showOffline();
      container.hidden = true;
      return null;
    }
    var tiles = L.tileLayer(config.tileUrl, { attribution: config.attribution, maxZoom: 18 });
    tiles.on("tileerror", showOffline);
    tiles.addTo(map);
    if (!window.navigator.onLine) { showOffline(); }
    return { L: L, map: map, config: config };
  }

  /* Fit the drawn points, or fall back to a centre and zoom when there are none. */
  function fit(map, bounds, options, centre, zoom) {
    if (bounds.length) {
      map.fitBounds(bounds, options);
    } else {
      map.setView(centre, zoom);
    }
  }

  window.TsunaguMap = { readJSON: readJSON, start: start, fit: fit };
})();
