# kafka-rest-gateway image: compiled with the full toolchain, run with production dependencies only, as a non-root user.
# Build: docker build -t kafka-rest-gateway .   Run: see docs/deployment.md (configuration comes from GATEWAY_* variables).
# `--target dev-issuer` builds the local token issuer of the compose quick start instead (development only).

FROM node:24-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No scripts: `prepare` would build before the sources are copied in; the build is the explicit step below.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# The build leaves the dev mode and the emulator out (tsconfig.build.json): development tools stay out of the image.
RUN npm run build

# The compose quick start's local token issuer, run from its sources with the build stage's dev tools. It gives a token to
# anyone who can reach it: never for production.
FROM build AS dev-issuer
ENV ISSUER_HOST=0.0.0.0 ISSUER_PORT=8090
USER 1000:1000
EXPOSE 8090
CMD ["node", "--import", "tsx", "src/dev/issuer-main.ts"]

FROM node:24-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY config/gateway.example.yaml config/gateway.minimal.yaml ./config/
# The base image's unprivileged `node` user, by number: Kubernetes' runAsNonRoot can only verify a numeric user.
# Nothing in /app is writable by it.
USER 1000:1000
EXPOSE 8080 9090
# The slim image has no curl: Node itself probes /healthz (on the admin port when one is set; plain HTTP).
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.GATEWAY_ADMIN_PORT||process.env.GATEWAY_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# The gateway drains in-flight requests on SIGTERM (server.shutdownGraceMs) and exits 0.
STOPSIGNAL SIGTERM
CMD ["node", "dist/process/main.js"]
