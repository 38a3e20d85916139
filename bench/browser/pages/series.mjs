/** The 1,000 attribute sets every library records in the browser case: 50 routes × 4 methods × 5 statuses. */
const ROUTES = Array.from({ length: 50 }, (_, i) => `/api/resource-${String.fromCharCode(97 + (i % 26))}${Math.floor(i / 26)}`);
const METHODS = ['GET', 'POST', 'PUT', 'DELETE'];
const STATUSES = ['200', '201', '304', '404', '500'];

export const SERIES = 1000;

export function attributesOf(i) {
  return { route: ROUTES[i % 50], method: METHODS[Math.floor(i / 50) % 4], status: STATUSES[Math.floor(i / 200) % 5] };
}
