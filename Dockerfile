# One image per service: docker build --build-arg SERVICE=ingest -t tideline/ingest .
# Node's major matches .node-version (checked by tests/deploy/compose.test.ts). TypeScript runs
# directly on Node 24 (type stripping), so there is no build step.
FROM node:24-slim AS install
ARG SERVICE
ARG PNPM_VERSION=10.34.8
RUN npm install -g pnpm@${PNPM_VERSION}
WORKDIR /app
COPY . .
RUN pnpm install --frozen-lockfile --prod --filter "@tideline/${SERVICE}..."

FROM node:24-slim
ARG SERVICE
ENV NODE_ENV=production SERVICE=${SERVICE}
WORKDIR /app
COPY --from=install --chown=node:node /app /app
USER node
STOPSIGNAL SIGTERM
CMD ["sh", "-c", "exec node services/${SERVICE}/src/main.ts"]
