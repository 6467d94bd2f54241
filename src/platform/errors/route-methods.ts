/**
 * The methods each path has, from the routes as they are registered (an `onRoute` hook feeds
 * it), so that a known path asked with another method answers 405 with `Allow` rather than 404.
 * A URL pattern becomes a regular expression the way the router reads it: `:name` is one path
 * segment, `*` is the rest of the path.
 */
export class RouteMethods {
  private readonly patterns = new Map<string, { pattern: RegExp; methods: Set<string> }>();

  add(url: string, methods: string | readonly string[]): void {
    let entry = this.patterns.get(url);
    if (!entry) {
      entry = { pattern: patternOf(url), methods: new Set() };
      this.patterns.set(url, entry);
    }
    for (const method of typeof methods === 'string' ? [methods] : methods) entry.methods.add(method.toUpperCase());
  }

  /** The methods some route answers on this path (without its query), sorted; empty for an unknown path. */
  allowedFor(path: string): string[] {
    const allowed = new Set<string>();
    for (const { pattern, methods } of this.patterns.values()) {
      if (pattern.test(path)) for (const method of methods) allowed.add(method);
    }
    // Fastify answers HEAD wherever it answers GET.
    if (allowed.has('GET')) allowed.add('HEAD');
    return [...allowed].sort();
  }
}

function patternOf(url: string): RegExp {
  const source = url
    .split(/(:[A-Za-z0-9_]+|\*)/)
    .map((part) => {
      if (part === '*') return '.*';
      if (part.startsWith(':')) return '[^/]+';
      return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('');
  return new RegExp(`^${source}$`);
}
