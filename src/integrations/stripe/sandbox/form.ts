/** Stripe's request encoding, as the official SDKs and Stripe.js send it. */
export type Params = Record<string, unknown>;

/**
 * Parses Stripe's form encoding (`metadata[site_id]=x&expand[0]=y`) into nested
 * objects. Levels keyed exactly 0..n-1 become arrays, as the SDK encodes arrays that way.
 */
export function parseForm(raw: string): Params {
  const decode = (s: string): string => decodeURIComponent(s.replace(/\+/g, ' '));
  const root: Params = {};
  for (const pair of raw.split('&').filter(Boolean)) {
    const eq = pair.indexOf('=');
    const key = decode(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decode(pair.slice(eq + 1));
    const segments = key.split('[').map((s) => s.replace(/\]$/, ''));
    const leaf = segments.pop() as string;
    let node = root;
    for (const segment of segments) node = (node[segment] ??= {}) as Params;
    node[leaf] = value;
  }
  return arrayify(root) as Params;
}

function arrayify(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  // Object.entries lists integer keys first, in ascending order.
  const entries = Object.entries(value).map(([k, v]) => [k, arrayify(v)] as const);
  const isList = entries.length > 0 && entries.every(([k], i) => k === String(i));
  return isList ? entries.map(([, v]) => v) : Object.fromEntries(entries);
}

export const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

export const positiveInt = (v: unknown): number | null => {
  const n = Number(v);
  return typeof v === 'string' && Number.isInteger(n) && n > 0 ? n : null;
};

// Spreading also turns an integer-keyed metadata that parseForm made into an array back into an object.
export const asMetadata = (v: unknown): Record<string, string> =>
  typeof v === 'object' && v !== null ? { ...(v as Record<string, string>) } : {};
