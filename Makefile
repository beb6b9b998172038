# One entry point. `make demo` and `make test` are the README's two set-up commands: each installs
# what it needs (scripts/bootstrap.sh: Debian chromium + CJK font, uv, .venv from uv.lock).
.PHONY: setup demo test lint sim clean

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

clean:
	rm -rf var out
