# Production image of the standalone service: `docker compose up` builds it.
FROM node:20.19-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts
COPY tsconfig.json tsconfig.build.json nest-cli.json ./
COPY src ./src
# The operations console: its sources and the esbuild script `npm run build` runs after nest build.
COPY console ./console
COPY scripts/build-console.mjs ./scripts/
# Nest, Mongoose, RxJS and reflect-metadata are peer dependencies of the package (a host app
# brings its own) and dev dependencies of this repo; the standalone image needs them at run
# time, so they become plain dependencies (same exact versions) before dev-only ones are pruned.
# So does @fastify/static: only the standalone service's docs UI uses it, a host app never does.
RUN npm run build \
 && node -e "const fs=require('fs');const p=JSON.parse(fs.readFileSync('package.json'));for(const n of [...Object.keys(p.peerDependencies),'@fastify/static']){p.dependencies[n]=p.devDependencies[n];delete p.devDependencies[n]}delete p.peerDependencies;delete p.peerDependenciesMeta;fs.writeFileSync('package.json',JSON.stringify(p,null,2))" \
 && npm prune --omit=dev

FROM node:20.19-bookworm-slim
ENV NODE_ENV=production
WORKDIR /app
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY templates ./templates
USER node
EXPOSE 3000
CMD ["node", "dist/main.js"]
