# govweb-eval image: the official Airflow image, extended with Debian Chromium (the crawler's
# browser), a CJK font (screenshots are evidence: Chinese pages must render, not show boxes) and
# the project's locked Python dependencies. Built by docker-compose.yaml (`build: .`).
FROM apache/airflow:3.3.2-python3.11

# uv used to export uv.lock when the image's own uv is missing or too old to read the lock format
ARG UV_VERSION=0.13.9

USER root
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        chromium \
        chromium-headless-shell \
        fonts-wqy-zenhei \
    && apt-get autoremove -yqq --purge \
    && apt-get clean \
    && rm -rf /var/lib/apt/lists/*

USER airflow
WORKDIR /opt/airflow/govweb-src

# Dependencies first (changes to the code below do not invalidate this layer).
COPY --chown=airflow:0 pyproject.toml uv.lock ./
# The lock is the source of truth: export it to a requirements file (runtime deps only, no hashes,
# without the project itself), then install it with Airflow pinned to the image's version so a
# conflict fails the build instead of silently up/downgrading Airflow. The extras keep the
# providers this stack relies on (Celery executor, Postgres, Redis broker, FAB auth manager) in the
# resolution, so pip cannot break them while applying the lock's pins.
RUN set -eux; \
    if ! uv export --frozen --no-dev --no-hashes --no-emit-project -o /tmp/requirements.txt; then \
        pip install --no-cache-dir "uv==${UV_VERSION}"; \
        python -m uv export --frozen --no-dev --no-hashes --no-emit-project -o /tmp/requirements.txt; \
    fi; \
    pip install --no-cache-dir \
        "apache-airflow[celery,postgres,redis,fab]==3.3.2" \
        -r /tmp/requirements.txt; \
    rm -f /tmp/requirements.txt

# The govweb package itself (plugins/govweb; README.md is the package readme hatchling checks).
COPY --chown=airflow:0 README.md ./
COPY --chown=airflow:0 plugins/ ./plugins/
RUN pip install --no-cache-dir --no-deps . \
    && python -c "import govweb, airflow; print('govweb ok, airflow', airflow.__version__)"

WORKDIR /opt/airflow

ENV GOVWEB_CHROMIUM=/usr/bin/chromium-headless-shell \
    GOVWEB_INCLUDE=/opt/airflow/include
