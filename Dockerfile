# One image for every Workplan process; the command picks the role:
#   workplan planner | workplan archive | workplan notifier | workplan console
#   workplan migrate | workplan import FILE | workplan users add NAME --role ...
# For archive and notifier set PORT (8002 / 8003) so the image's health check probes the right port.

# --- assets: the console's front-end packages from npm (GOV.UK Frontend, htmx) ------------
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- build: install the project and its dependencies into a virtualenv --------------------
FROM python:3.11-slim AS build

ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1

RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH

WORKDIR /src
COPY . .
RUN pip install --no-cache-dir .

# --- runtime -------------------------------------------------------------------------------
FROM python:3.11-slim

ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PORT=8001 \
    WORKPLAN_PLANNER_HOST=0.0.0.0 \
    WORKPLAN_ARCHIVE_HOST=0.0.0.0 \
    WORKPLAN_NOTIFIER_HOST=0.0.0.0 \
    WORKPLAN_CONSOLE_HOST=0.0.0.0 \
    WORKPLAN_NODE_MODULES=/app/node_modules

RUN groupadd --system --gid 10001 workplan \
    && useradd --system --uid 10001 --gid workplan --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin workplan

COPY --from=build /opt/venv /opt/venv

WORKDIR /app
# Sample work plan, so `workplan import /app/examples/...` works without a mount.
COPY examples ./examples
COPY --from=assets /assets/node_modules ./node_modules

USER workplan

EXPOSE 8000 8001 8002 8003
STOPSIGNAL SIGTERM

# Liveness only; docker-compose.yml probes /readyz instead.
HEALTHCHECK --interval=15s --timeout=5s --start-period=20s --retries=3 \
    CMD python -c "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:' + os.environ.get('PORT', '8001') + '/healthz', timeout=3)" || exit 1

CMD ["workplan", "planner"]
