# Build on Node.js 22 LTS, run on Node.js 22 LTS with production dependencies only.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# The server only: the client workspace (clients/typescript, the CLI) is neither copied nor installed.
RUN npm ci --no-audit --no-fund --workspaces=false --include-workspace-root
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:22-bookworm-slim
# Two malloc arenas: glibc would give each of Node.js's threads (compiler, collector, reader worker)
# its own, each keeping what it freed (README, "Memory").
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 BALISE_DATA_DIR=/data MALLOC_ARENA_MAX=2
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund --workspaces=false --include-workspace-root && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY migrations ./migrations
RUN mkdir -p /data && chown node:node /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s CMD node -e "fetch('http://127.0.0.1:'+process.env.PORT+'/health/ready').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
# An 8 MiB young generation (V8 grows it to 16 MiB or more) and a small first old-space
# limit (start-up is collected as it goes instead of peaking): less resident memory for
# the same work (README, "Memory"); bench/support.ts starts its servers the same way.
CMD ["node", "--max-semi-space-size=8", "--initial-old-space-size=8", "dist/server.js"]
