# One entry point. `make demo` and `make test` are the README's two set-up commands: each installs
# what it needs (scripts/bootstrap.sh: Debian chromium + CJK font, uv, .venv from uv.lock).
.PHONY: setup demo test lint sim clean blind-run

setup:
	bash scripts/bootstrap.sh

demo: setup
	bash scripts/demo.sh

test: setup
	bash scripts/test.sh

lint: setup
	.venv/bin/ruff check dags plugins tests

sim: setup
	.venv/bin/govweb sim serve --year 2018 --port 8765

# The blind full-scale run of the annual DAG on the 2018 scenario (2017 then 2018): times, RSS, tables.
blind-run: setup
	.venv/bin/govweb bench blind --scale full --workdir var/blind

clean:
	rm -rf var out

# The CeleryExecutor deployment on this machine without Docker (same topology as docker-compose.yaml):
# redis, PostgreSQL, scheduler, DAG processor, API server (http://127.0.0.1:28080), triggerer, a default
# and a `crawl` Celery worker; pids and logs under var/celery/. `celery-down` stops all it started.
.PHONY: celery-up celery-down celery-status

celery-up: setup
	bash scripts/celery_local.sh start

celery-down:
	bash scripts/celery_local.sh stop

celery-status:
	bash scripts/celery_local.sh status
