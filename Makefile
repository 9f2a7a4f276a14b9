# Customer Service Control: see README.md.
.PHONY: run test setup i18n i18n-extra clean-db benchmark load backup restore backup-check wheel cluster

run:        ## serve Odoo with the module (creates / upgrades the database, default `csc`)
	bash scripts/run.sh

test:       ## lint + the whole test suite on a throwaway database
	bash scripts/test.sh

setup:      ## only install what is missing (packages, Odoo source, virtualenv, PostgreSQL)
	bash scripts/setup.sh

i18n:       ## re-export i18n/customer_service_control.pot and merge it into i18n/zh_CN.po
	bash scripts/i18n.sh

i18n-extra: ## add the other modules' English terms on the addon's screens to i18n_extra/zh_CN.po
	bash scripts/i18n_extra.sh

clean-db:   ## drop the `make run` database
	bash -c 'source scripts/env.sh && dropdb --if-exists "$$DB"'

benchmark:  ## ratios against helpdesk tickets and SQL on generated data (BENCH_DB, BENCH_SCALE)
	bash scripts/benchmark.sh

load:       ## Odoo with WORKERS workers on PORT, CLIENTS JSON-RPC clients for DURATION seconds
	bash scripts/load.sh

backup:     ## dump DB (pg_dump) and its file store with a manifest into BACKUP_DIR/<db>-<date>/
	bash scripts/backup.sh

restore:    ## restore BACKUP into the new database DB (FORCE=1 replaces it, NEUTRALIZE=1)
	bash scripts/restore.sh

backup-check: ## back up CHECK_DB (default DB), restore it into a new database, verify it
	bash scripts/restore_check.sh

wheel:      ## build the addon's wheel into dist/ (whool, as OCA) and check what it installs
	bash scripts/wheel.sh

cluster:    ## two Odoo servers on one database and file store: load, jobs, shared session
	bash scripts/cluster.sh
