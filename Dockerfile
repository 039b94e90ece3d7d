# One image for web, Celery worker and Celery beat (see docker-compose.yml).
FROM node:20-bookworm-slim AS frontend
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY static ./static
RUN npm run --silent build:css

FROM python:3.12-slim-bookworm
ENV PYTHONUNBUFFERED=1 PYTHONDONTWRITEBYTECODE=1 UV_PROJECT_ENVIRONMENT=/venv PATH="/venv/bin:$PATH"
RUN pip install --no-cache-dir uv && useradd --create-home --uid 1000 app
WORKDIR /app
COPY pyproject.toml uv.lock ./
RUN uv sync --frozen --no-dev --no-install-project
COPY . .
COPY --from=frontend /app/node_modules ./node_modules
COPY --from=frontend /app/static/build ./static/build
RUN pybabel compile --domain django --directory locale \
    && DJANGO_SETTINGS_MODULE=config.settings.production DATABASE_URL=postgres://build@localhost/build \
       REDIS_URL=redis://localhost:6379/0 SECRET_KEY=build-only ALLOWED_HOSTS=localhost \
       EMAIL_URL=consolemail:// python manage.py collectstatic --no-input -v 0
USER app
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
