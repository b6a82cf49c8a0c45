# Rastro API server. Build: docker build -t rastro .   Run: docker run -e DATABASE_URL=postgresql://... -p 8000:8000 rastro
FROM python:3.11-slim AS build
WORKDIR /src
RUN python -m venv /opt/rastro
COPY pyproject.toml README.md ./
COPY server server
COPY models models
COPY loaders loaders
COPY schema schema
COPY resolvers resolvers
COPY integrations integrations
COPY migrations migrations
RUN /opt/rastro/bin/pip install --no-cache-dir .

FROM python:3.11-slim
RUN useradd --create-home --uid 10001 rastro
COPY --from=build /opt/rastro /opt/rastro
ENV PATH=/opt/rastro/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    RASTRO_HOST=0.0.0.0 \
    RASTRO_PORT=8000
USER rastro
EXPOSE 8000
# docker stop sends SIGTERM: drain, then in-flight requests finish (deploy/README.md); use docker stop -t 30.
HEALTHCHECK --interval=15s --timeout=3s --start-period=10s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=2).status != 200)"
# DATABASE_URL is required: the embedded PostgreSQL is for laptops, not containers.
CMD ["sh", "-c", "rastro migrate && exec rastro serve"]
