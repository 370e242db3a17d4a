// Express 4 is installed under the alias `express4` for the mount tests. They use only what both versions share
// (express(), Router, use, get), so Express 5's types describe it well enough.

declare module 'express4' {
  import express from 'express'
  export default express
}
