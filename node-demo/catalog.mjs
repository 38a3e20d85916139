/** The demo shop's products: monitoring kits, each sold on one plan. */
export const PRODUCTS = [
  { id: 'kit-starter', name: 'Starter sensor kit', plan: 'hobby', priceCents: 4900, blurb: 'Three sensors and a hub for one room.' },
  { id: 'kit-home', name: 'Home sensor kit', plan: 'hobby', priceCents: 12900, blurb: 'Eight sensors, two hubs, a year of history.' },
  { id: 'gauge-pressure', name: 'Pressure gauge', plan: 'pro', priceCents: 8900, blurb: 'Barometric pressure to 0.1 hPa.' },
  { id: 'gauge-humidity', name: 'Humidity gauge', plan: 'pro', priceCents: 6900, blurb: 'Relative humidity, ±1.5 %.' },
  { id: 'probe-thermal', name: 'Thermal probe', plan: 'pro', priceCents: 5900, blurb: 'Immersion probe, −50 to 250 °C.' },
  { id: 'rack-lab', name: 'Lab rack', plan: 'team', priceCents: 49900, blurb: 'Forty channels, shared dashboards, alerts.' },
  { id: 'rack-floor', name: 'Factory floor rack', plan: 'team', priceCents: 129900, blurb: 'Two hundred channels over PoE.' },
  { id: 'meter-flow', name: 'Flow meter', plan: 'team', priceCents: 21900, blurb: 'Ultrasonic, clamp-on, no plumbing.' },
];

export function findProduct(id) {
  return PRODUCTS.find((product) => product.id === id);
}

export function searchProducts(q) {
  const needle = q.trim().toLowerCase();
  if (!needle) return [];
  return PRODUCTS.filter((product) => `${product.name} ${product.blurb} ${product.plan}`.toLowerCase().includes(needle));
}
