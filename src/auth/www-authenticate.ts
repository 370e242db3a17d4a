// RFC 6750 §3 challenges for the WWW-Authenticate header.

export type BearerError = 'invalid_request' | 'invalid_token' | 'insufficient_scope'

export function bearerChallenge(realm: string, error?: BearerError, description?: string): string {
  let challenge = `Bearer realm="${realm}"`
  if (error) challenge += `, error="${error}"`
  // Descriptions are fixed gateway strings; quotes and backslashes are still dropped so the header stays well-formed.
  if (description) challenge += `, error_description="${description.replace(/["\\]/g, '')}"`
  return challenge
}
