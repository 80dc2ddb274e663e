// The settlements map: markers (clustered when many) with popups, drawn from the page's JSON
// (json_script). Tiles come from OpenStreetMap when the browser is online; without them the
// markers and the list beside the map still work. Text goes in as text, never as HTML.
(() => {
  const data = document.getElementById("settlement-data");
  const element = document.getElementById("settlement-map");
  if (!data || !element || typeof L === "undefined") return;
  const { points, labels } = JSON.parse(data.textContent);

  const map = L.map(element, { scrollWheelZoom: false }).setView([44.0, 20.9], 7);
  const tiles = L.tileLayer("https://tile.openstreetmap.org/{z}/{x}/{y}.png", {
    maxZoom: 18,
    attribution: '&copy; <a href="https://www.openstreetmap.org/copyright">OpenStreetMap</a>',
  });
  const offline = document.getElementById("map-offline");
  tiles.on("tileerror", () => {
    if (offline && offline.hidden) {
      offline.textContent = labels.offline;
      offline.hidden = false;
    }
  });
  tiles.addTo(map);

  const popup = (point) => {
    const box = document.createElement("div");
    const title = document.createElement("strong");
    title.textContent = point.name;
    box.append(title);
    const rows = [
      [labels.lsg, point.lsg],
      [labels.kind, point.kind],
      [labels.households, point.households ?? labels.unknown],
      [labels.people, point.people ?? labels.unknown],
    ];
    const list = document.createElement("dl");
    list.className = "settlement-popup mb-0";
    for (const [term, value] of rows) {
      const dt = document.createElement("dt");
      dt.textContent = term;
      const dd = document.createElement("dd");
      dd.textContent = String(value);
      list.append(dt, dd);
    }
    box.append(list);
    return box;
  };

  const group = typeof L.markerClusterGroup === "function" ? L.markerClusterGroup({ maxClusterRadius: 40 }) : L.featureGroup();
  const markers = new Map();
  for (const point of points) {
    const marker = L.marker([point.lat, point.lon], { title: point.name, alt: point.name });
    marker.bindPopup(() => popup(point));
    markers.set(String(point.id), marker);
    group.addLayer(marker);
  }
  map.addLayer(group);
  if (points.length) {
    map.fitBounds(L.latLngBounds(points.map((p) => [p.lat, p.lon])).pad(0.2), { maxZoom: 13, animate: false });
  }
  element.dataset.markers = String(points.length);

  // A name in the list shows its settlement on the map, opening a cluster if it is inside one.
  document.addEventListener("click", (event) => {
    const button = event.target.closest("button[data-settlement]");
    const marker = button && markers.get(button.dataset.settlement);
    if (!marker) return;
    const open = () => marker.openPopup();
    if (typeof group.zoomToShowLayer === "function") group.zoomToShowLayer(marker, open);
    else open();
    element.scrollIntoView({ block: "nearest" });
  });
})();
