// Wildcard matching without backtracking regexes: O(input × pattern) steps at worst, whatever the stars.

/** Matches exactly one item of the input (a character of a topic, a segment of a path). */
export const ONE = Symbol('one')
/** Matches any run of items, the empty one included. */
export const ANY = Symbol('any')

export type PatternItem<T> = T | typeof ONE | typeof ANY

/**
 * True when `pattern` matches the whole `input`. Greedy, with one resume point: when a literal fails after an ANY, the
 * match restarts one item later from that ANY; earlier ANYs never need revisiting, since the latest one can absorb
 * whatever they would have. So each input item is compared with each pattern item a bounded number of times: no
 * exponential blow-up with several ANYs, unlike a regex such as `^.*a.*a.*b$`.
 */
export function wildcardMatch<T>(pattern: readonly PatternItem<T>[], input: ArrayLike<T>): boolean {
  let p = 0
  let s = 0
  let resumeAt = -1
  let resumeFrom = 0
  while (s < input.length) {
    const item = pattern[p]
    if (p < pattern.length && item !== ANY && (item === ONE || item === input[s])) {
      p++
      s++
    } else if (item === ANY) {
      resumeAt = ++p
      resumeFrom = s
    } else if (resumeAt !== -1) {
      p = resumeAt
      s = ++resumeFrom
    } else {
      return false
    }
  }
  while (pattern[p] === ANY) p++
  return p === pattern.length
}
