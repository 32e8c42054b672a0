# The two commands: `make run` and `make test`. Both install what is missing first.
.PHONY: run test test-deploy size bench fuzz lint fmt setup dist

run:
	@bash scripts/run.sh

test:
	@bash scripts/test.sh

# the tarball installed behind nginx with TLS, on PostgreSQL, two instances (DEPLOY.md);
# packages the debug build that `make test` made (run that, or `cargo leptos build`, first)
test-deploy:
	@bash scripts/deploy-test.sh

# gzip bytes of the release bundle the Mailboxen page loads
size:
	@bash scripts/size.sh

# issue 9's table: release build, every number beside its reference (ROWS=2,6 for a subset)
bench:
	@bash scripts/bench.sh

# each fuzz target for FUZZ_SECONDS (default 600), one after another; prints the executions
fuzz:
	@bash scripts/fuzz.sh

# the release tarball: binary, site, example environment, systemd unit, nginx site (DEPLOY.md)
dist:
	@bash scripts/dist.sh

setup:
	@bash scripts/setup.sh test

fmt:
	@. scripts/env.sh && cargo fmt --all

lint:
	@. scripts/env.sh && cargo clippy --workspace --exclude frontend --all-targets -- -D warnings \
	  && cargo clippy -p rules -p app -p frontend --target wasm32-unknown-unknown --features app/hydrate -- -D warnings
