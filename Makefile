# contacts: the two commands are `make run` and `make test`.
SWIFT ?= swift
CONFIG ?= pipeline.json

.PHONY: all build release run test bench clean seed

all: build

build:
	$(SWIFT) build

release:
	$(SWIFT) build -c release --product contacts

# Seeds the git-ignored working folder from samples/inbox (files already there are kept).
# Copies are dated a minute back: the inbox leaves files changed in the last few seconds alone.
seed:
	@mkdir -p var/inbox var/store var/outbox
	@cd samples/inbox && find . -type f | while IFS= read -r f; do \
		if [ ! -e "../../var/inbox/$$f" ]; then \
			mkdir -p "../../var/inbox/$$(dirname "$$f")" && cp "$$f" "../../var/inbox/$$f" && \
			touch -d '1 minute ago' "../../var/inbox/$$f"; \
		fi; \
	done

# Exit code 1 means "done, with rejected rows" (the messy sample has some): not a failure here.
run: release seed
	./.build/release/contacts run --config $(CONFIG) || [ $$? -eq 1 ]

test:
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Times import / re-import / export / grow at 100k and 1M rows beside DuckDB; see run_bench.py --help
# (e.g. make bench BENCH_ARGS="--runs 5" or BENCH_ARGS="--rows 100000 --skip-duckdb").
bench:
	$(SWIFT) build -c release --product contacts
	$(SWIFT) build -c release --product ContactsBench
	python3 Sources/ContactsBench/peers/run_bench.py $(BENCH_ARGS)

clean:
	rm -rf .build var
