// Quotes a client-sent value for an error message, cut short so a refusal never echoes a whole header back.
const MAX_ECHO = 80

export function quote(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value))
  return JSON.stringify(text.length > MAX_ECHO ? `${text.slice(0, MAX_ECHO)}…` : text)
}
