// Field lookup in parsed JSON bodies, without regard to case (repeated keys were refused when the body was parsed).

export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

/**
 * The value of `name` in `object`, matching the key without regard to case, so a proxy that accepts `Format` for
 * `format` cannot see a field the gateway missed. Own keys only: `__proto__` is data here, never the prototype.
 */
export function memberOf(object: Record<string, unknown>, name: string): unknown {
  for (const key of Object.keys(object)) if (key.toLowerCase() === name) return object[key]
  return undefined
}
