FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
# Build-time only: the real SECRET_KEY, CACHE_URL and EMAIL_URL come from the environment at run
# time (collectstatic connects to neither). DEBUG=0 makes collectstatic write the hashed, compressed
# files and manifest that production serves.
RUN SECRET_KEY=build-only python manage.py compilemessages -v0 \
    && DEBUG=0 SECRET_KEY=build-only CACHE_URL=redis://build-only EMAIL_URL=dummymail:// \
    python manage.py collectstatic --noinput -v0
EXPOSE 8000
# docker-compose.yml runs the worker and beat from this image with their own commands.
CMD ["gunicorn", "movement.wsgi"]
