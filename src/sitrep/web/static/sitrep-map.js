// The dashboard map: Leaflet (an ES module from datasette-leaflet) on tiles sitrep serves itself.
// One circle per event: area grows with deaths, colour by ACLED event type, popup links to the event.
const config = JSON.parse(document.getElementById("sitrep-map-config").textContent);
const L = (await import(config.leaflet)).default;

const el = document.getElementById("map");
const map = L.map(el, { maxZoom: config.tiles.maxZoom, minZoom: 1, worldCopyJump: true });
L.tileLayer(config.tiles.url, {
  maxZoom: config.tiles.maxZoom,
  maxNativeZoom: config.tiles.maxZoom,
  attribution: config.tiles.attribution,
}).addTo(map);

function popup(m) {
  // Built from DOM nodes and textContent, so no event field is ever read as HTML.
  const box = document.createElement("div");
  const link = document.createElement("a");
  link.href = m.href;
  link.textContent = m.sub;
  link.className = "popup-link";
  const line = document.createElement("div");
  line.textContent = [m.day, m.place, m.deaths ? `${m.deaths} killed` : ""].filter(Boolean).join(" · ");
  box.append(link, line);
  if (m.contested) {
    const flag = document.createElement("div");
    flag.textContent = "contested";
    flag.className = "popup-contested";
    box.append(flag);
  }
  return box;
}

// Large circles first, so small ones stay clickable on top of them.
const markers = [...config.markers].sort((a, b) => b.deaths - a.deaths);
const layer = L.featureGroup();
for (const m of markers) {
  L.circleMarker([m.lat, m.lon], {
    radius: Math.min(30, 6 + 2.5 * Math.sqrt(m.deaths)),
    color: "#ffffff",
    weight: 1.5,
    fillColor: m.colour,
    fillOpacity: 0.8,
  })
    .bindPopup(() => popup(m))
    .bindTooltip(`${m.sub} · ${m.place}`)
    .addTo(layer);
}
layer.addTo(map);
if (markers.length) {
  map.fitBounds(layer.getBounds().pad(0.3), { maxZoom: Math.min(7, config.tiles.maxZoom) });
} else {
  map.setView([35, 38], 4);
}
el.dataset.ready = "true";
el.dataset.markers = String(markers.length);
