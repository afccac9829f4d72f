# The hub. Build: docker build -t cpis-exchange .   Run: see docker-compose.yml.
FROM node:20-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY engine ./engine
COPY adapters ./adapters
COPY schemas ./schemas
COPY config ./config
# The adapters' working folders (docker-compose.yml mounts a volume here).
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 8700
CMD ["node", "--import", "tsx", "engine/main.ts"]
