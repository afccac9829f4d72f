# The hub and the adapters (cpisx), compiled. Build: docker build -t cpis-exchange .
# The image holds no configuration: mount it at /app/config and give secrets through the
# environment or files (README, "Run it and test it"); docker-compose.yml shows both.

# Build: every dependency, TypeScript to dist/ with the files read at run time (npm run build).
FROM node:20-bookworm-slim AS build
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts/build.mjs ./scripts/
COPY engine ./engine
COPY adapters ./adapters
COPY schemas ./schemas
RUN npm run build

# Run: production dependencies and dist/ only; no tsx, no sources, no sample passwords.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /src/dist ./dist
# The adapters' working folders (docker-compose.yml mounts a volume here).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8700
# /health/ready of the hub or adapter the container runs, where that process serves it: the
# program reads the process's own settings (port, address, mesh.tls, ops.port) from /proc.
HEALTHCHECK --interval=10s --timeout=5s --start-period=20s --retries=5 \
  CMD ["node", "/app/dist/adapters/ops/healthcheck.js"]
# The V8 flags keep the hub under 200 MB at 16 clients (docs/BENCHMARKS.md); the same as npm run start:prod.
CMD ["node", "--max-semi-space-size=2", "--heap-growing-percent=20", "dist/engine/main.js"]
