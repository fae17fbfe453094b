# Production image of the Lernplattform: one image for web (gunicorn), Celery worker and beat.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    DJANGO_SETTINGS_MODULE=lernplattform.settings.base \
    LERNPLATTFORM_DATA_DIR=/data STATIC_ROOT=/app/staticfiles MEDIA_ROOT=/data/media
WORKDIR /app
# Certificate PDFs embed DejaVu Sans (full German glyphs) from Debian's package.
RUN apt-get update && apt-get install -y --no-install-recommends fonts-dejavu-core && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 1000 --home-dir /app lernplattform \
    && mkdir -p /data/media /app/staticfiles && chown -R lernplattform /data /app/staticfiles
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY --from=assets /app/node_modules ./node_modules
COPY . .
USER lernplattform
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
CMD ["gunicorn", "lernplattform.wsgi", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
