// Names in generated TypeScript, derived from the user's block names: `saga_n2` gives `SagaN2`
// (types), `createSagaN2` and `sagaN2Plan`.

/** `saga_n2` -> `SagaN2`; a name that would start with a digit gets a `Block` prefix. */
export function pascal(name: string): string {
  const s = name
    .split(/[^A-Za-z0-9]+/)
    .filter((p) => p !== '')
    .map((p) => p[0].toUpperCase() + p.slice(1))
    .join('');
  return /^[A-Za-z]/.test(s) ? s : `Block${s}`;
}

/** `saga_n2` -> `sagaN2`. */
export function camel(name: string): string {
  const p = pascal(name);
  return p[0].toLowerCase() + p.slice(1);
}

/** A property key: bare when it is an identifier, quoted otherwise. */
export function propertyKey(name: string): string {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name) ? name : JSON.stringify(name);
}

/**
 * A value as a TypeScript expression: multi-line strings (WGSL) become template literals so the
 * kernel reads as WGSL in the module; everything else prints as JSON.
 */
export function literal(value: unknown): string {
  if (typeof value === 'string') {
    if (!value.includes('\n')) return JSON.stringify(value);
    return '`' + value.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
  }
  if (Array.isArray(value)) return `[${value.map(literal).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    return `{ ${Object.entries(value).map(([k, v]) => `${propertyKey(k)}: ${literal(v)}`).join(', ')} }`;
  }
  return JSON.stringify(value) ?? 'undefined';
}
