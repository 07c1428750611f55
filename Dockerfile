# One image per service:
#   docker build --build-arg SERVICE=ingest --build-arg PORT=8082 -t tideline/ingest .
# SERVICE is a folder of services/, PORT the port its /healthz answers on (the healthcheck's).
# TypeScript runs directly on Node 24 (type stripping), so there is no build step; Node refuses to
# strip types under node_modules, which is why the image keeps the workspace layout (packages/ and
# services/<svc> as folders, linked from node_modules) instead of `pnpm deploy`'s copies.
# Node's major matches .node-version (tests/deploy/compose.test.ts); tests/deploy/images.test.ts
# replays the `assemble` stage's COPY and RUN steps without Docker and starts the result.

FROM node:24-slim AS tools
ARG PNPM_VERSION=10.34.8
RUN npm install -g pnpm@${PNPM_VERSION}
ENV npm_config_store_dir=/pnpm/store

# Production dependencies of one service and its workspace packages, pruned into $OUT.
FROM tools AS assemble
ARG SERVICE
ARG OUT=/image
WORKDIR /src
COPY package.json pnpm-lock.yaml pnpm-workspace.yaml ./
COPY patches patches
COPY packages packages
COPY services services
COPY infra infra
RUN --mount=type=cache,id=pnpm-store,target=/pnpm/store \
    pnpm install --frozen-lockfile --prod --prefer-offline --filter "@tideline/${SERVICE}..."
RUN test -f "services/${SERVICE}/src/main.ts" && \
    mkdir -p "$OUT/services" "$OUT/infra" && \
    cp -a package.json node_modules packages "$OUT/" && \
    cp -a "services/${SERVICE}" "$OUT/services/" && \
    if [ "${SERVICE}" = sink-elasticsearch ]; then cp -a infra/kibana "$OUT/infra/"; fi && \
    rm -rf "$OUT"/packages/*/test "$OUT"/services/*/test

FROM node:24-slim AS runtime
ARG SERVICE
ARG PORT
ENV NODE_ENV=production SERVICE=${SERVICE} TIDELINE_HEALTH_PORT=${PORT}
WORKDIR /app
# Owned by root and read-only to the service: the process runs as the image's unprivileged `node`.
COPY --from=assemble /image /app
USER node
EXPOSE ${PORT}
STOPSIGNAL SIGTERM
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=6 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.TIDELINE_HEALTH_PORT + '/readyz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["sh", "-c", "exec node services/${SERVICE}/src/main.ts"]
