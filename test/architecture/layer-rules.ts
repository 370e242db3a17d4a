// The layers of src/, top to bottom, as data: a file may import files of its own layer or of any layer below it, never of
// a layer above. Paths ending in `/` are folders; the longest matching path places a file. docs/code-map.md describes the
// same layers in prose; change both together.

export interface LayerRules {
  layers: ReadonlyArray<{ name: string; paths: readonly string[] }>
  /** Development tools: they may import any part of the gateway, and nothing outside the tools may import them. */
  tools: readonly string[]
  /** Folders that only files above their layer (and their own files) may import: no sibling in the layer uses them. */
  sealed: readonly string[]
  /** Imports allowed to point up the layers, each with its reason. At most MAX_EXCEPTIONS. */
  exceptions: ReadonlyArray<{ from: string; to: string; typeOnly: boolean; why: string }>
}

export const MAX_EXCEPTIONS = 4

export const layerRules: LayerRules = {
  layers: [
    {
      // The process entry (command line, workers, listening sockets), the HTTP server plumbing it listens with, and the
      // library entry.
      name: 'entry',
      paths: ['src/process/', 'src/server/', 'src/index.ts'],
    },
    { name: 'gateway', paths: ['src/gateway.ts', 'src/pipeline.ts'] },
    {
      name: 'stages',
      paths: [
        'src/edge/',
        'src/auth/',
        'src/authz/',
        'src/policy/',
        'src/ratelimit/',
        'src/audit/',
        'src/proxy/',
        'src/observability/',
      ],
    },
    {
      // Shared by every stage: the error catalogue, the config schema, the per-request context, the shared state stores.
      name: 'shared',
      paths: ['src/errors/', 'src/config/', 'src/request-context.ts', 'src/state/'],
    },
  ],
  tools: ['src/dev/', 'src/emulator/'],
  // The first stages (transport guard, CORS, security headers) and the last one (the proxy) are assembled by the gateway
  // only; what another stage or the readiness probe needs from them lives in a shared layer.
  sealed: ['src/edge/', 'src/proxy/'],
  exceptions: [
    {
      from: 'src/request-context.ts',
      to: 'src/auth/identity.ts',
      typeOnly: true,
      why: 'the context carries the verified identity that the auth stage defines; a type, erased at run time',
    },
    {
      from: 'src/request-context.ts',
      to: 'src/policy/route-match.ts',
      typeOnly: true,
      why: 'the context carries the matched route that the route table defines; a type, erased at run time',
    },
  ],
}
