# The Sidecar server with the built pane, for docker-compose.yml (README "Running for a team").
# Not built in CI (no Docker there); `npm test` covers what runs inside it.
FROM node:20-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3100 \
    SIDECAR_DATA_DIR=/var/lib/sidecar
RUN mkdir -p /var/lib/sidecar && chown node:node /var/lib/sidecar
USER node
EXPOSE 3100
# One process per container by default; SIDECAR_WORKERS=N runs N on the container's port.
CMD ["node", "--import", "tsx", "src/server/main.ts"]
