# A Wildgrass relay as a container image (src/relay/README.md, "Running a relay on the
# internet"). Run it with --network host, a volume on /data and WILDGRASS_* settings.
# Build stage: all dependencies, the app built into dist/.
FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# Run stage: Node 24 from the base image, production dependencies only, the built app.
FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    WILDGRASS_HOST=0.0.0.0 \
    WILDGRASS_DATA=/data
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY src ./src
COPY --from=build /app/dist ./dist
# with --network host the relay binds the host's ports 80 and 443 as the unprivileged node user
RUN apt-get update && apt-get install -y --no-install-recommends libcap2-bin \
 && setcap cap_net_bind_service=+ep "$(readlink -f "$(command -v node)")" \
 && apt-get purge -y libcap2-bin && apt-get autoremove -y && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /data && chown node:node /data
VOLUME /data
USER node
# defaults: 8787 the app (https with TLS), 8788 libp2p WebSockets and WebRTC-direct (udp);
# with ACME also --http-port (80)
EXPOSE 8787/tcp 8788/tcp 8788/udp 80/tcp
STOPSIGNAL SIGTERM
ENTRYPOINT ["node", "src/relay/cli.ts", "--app", "/app/dist"]
