// Counts the records of a produce body as it streams, without parsing it: objects inside a top-level array member.

const QUOTE = 0x22
const BACKSLASH = 0x5c

/**
 * For `{"records":[{…},{…}]}` (v1, v2) and `{"entries":[{…}]}` (v3 batch) this is the record count. Strings are skipped
 * with `indexOf` (base64 values are most of a body), so the cost is close to a memchr over the bytes. A body shaped
 * otherwise gets some count; the upstream refuses malformed bodies, and an inflated count only spends its sender's quota.
 */
export class RecordCounter {
  count = 0
  private depth = 0
  private inString = false
  /** Backslashes at the end of the previous chunk, inside a string: they may escape a quote at the next one's start. */
  private pendingBackslashes = 0
  /** Whether the container at depth 2 is an array (a record list) rather than an object. */
  private listAtDepth2 = false

  feed(chunk: Buffer): number {
    let i = 0
    while (i < chunk.length) {
      if (this.inString) {
        i = this.skipString(chunk, i)
        continue
      }
      const byte = chunk[i++]
      if (byte === QUOTE) {
        this.inString = true
        this.pendingBackslashes = 0
      } else if (byte === 0x7b /* { */ || byte === 0x5b /* [ */) {
        if (this.depth === 1) this.listAtDepth2 = byte === 0x5b
        else if (this.depth === 2 && this.listAtDepth2 && byte === 0x7b) this.count++
        this.depth++
      } else if (byte === 0x7d /* } */ || byte === 0x5d /* ] */) {
        this.depth--
      }
    }
    return this.count
  }

  /** From inside a string: the index after its closing quote, or the chunk's end. */
  private skipString(chunk: Buffer, from: number): number {
    const quote = chunk.indexOf(QUOTE, from)
    const end = quote === -1 ? chunk.length : quote
    let run = 0
    while (end - run - 1 >= from && chunk[end - run - 1] === BACKSLASH) run++
    if (end - run === from) run += this.pendingBackslashes
    if (quote === -1) {
      this.pendingBackslashes = run
      return chunk.length
    }
    this.pendingBackslashes = 0
    // An odd run of backslashes escapes the quote: the string goes on.
    if (run % 2 === 0) this.inString = false
    return quote + 1
  }
}
