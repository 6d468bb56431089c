# Patron privacy gateway. Multi-stage: the build stage installs everything, typechecks and validates
# the settings and contracts (a broken contract fails the build); the runtime stage is non-root
# and runs with NODE_ENV=production, which refuses demo mode: mount real settings at
# /app/config/gateway.yaml (or set GATEWAY_CONFIG) and pass secrets through the environment or files.
FROM node:24.22.3-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
COPY test ./test
COPY vendors ./vendors
COPY config ./config
RUN npm run typecheck && node src/cli/gateway.ts check
RUN npm prune --omit=dev --no-audit --no-fund

FROM node:24.22.3-bookworm-slim
ENV NODE_ENV=production PORT=8080
WORKDIR /app
COPY --from=build --chown=root:root /app/package.json ./
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/src ./src
COPY --from=build --chown=root:root /app/vendors ./vendors
COPY --from=build --chown=root:root /app/config ./config
USER node
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "src/main.ts"]
