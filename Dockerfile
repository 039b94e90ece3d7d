# One image for web, Celery worker and Celery beat (see docker-compose.yml). Every command
# it runs is in config/image.py; .ci/prove_image.py runs the same steps outside Docker.
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static ./static
RUN npm run --silent build:css

FROM python:3.12-slim-bookworm
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 UV_PROJECT_ENVIRONMENT=/venv \
    PATH="/venv/bin:$PATH" DJANGO_SETTINGS_MODULE=config.settings.production \
    MEDIA_ROOT=/data/media LETTERS_ROOT=/data/letters PORT=8000
# The app user owns only what it writes: the photo and letters volumes. The code stays root's.
RUN pip install --no-cache-dir uv \
    && useradd --create-home --uid 1000 app \
    && mkdir -p /data/media /data/letters && chown app:app /data/media /data/letters
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
COPY --from=frontend /app/static/build ./static/build
RUN python -m config.image build
USER app
VOLUME ["/data/media", "/data/letters"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=15s --start-period=30s --retries=3 \
    CMD ["python", "-m", "config.image", "healthcheck"]
CMD ["python", "-m", "config.image", "web"]
