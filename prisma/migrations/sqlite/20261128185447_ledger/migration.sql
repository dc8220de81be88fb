-- CreateTable
CREATE TABLE "ledger_entry" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "recorded_at" DATETIME NOT NULL,
    "leaf_hash" BLOB NOT NULL,
    "prev_hash" BLOB NOT NULL,
    "canonical" TEXT NOT NULL
);

-- CreateTable
CREATE TABLE "ledger_node" (
    "level" INTEGER NOT NULL,
    "idx" INTEGER NOT NULL,
    "hash" BLOB NOT NULL,

    PRIMARY KEY ("level", "idx")
);

-- CreateTable
CREATE TABLE "ledger_checkpoint" (
    "tree_size" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "root_hash" BLOB NOT NULL,
    "created_at" DATETIME NOT NULL,
    "note" TEXT NOT NULL
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_leaf_hash_key" ON "ledger_entry"("leaf_hash");

-- CreateIndex
CREATE INDEX "ledger_entry_type_seq_idx" ON "ledger_entry"("type", "seq");

-- CreateIndex
CREATE INDEX "ledger_entry_recorded_at_idx" ON "ledger_entry"("recorded_at");

-- Append-only, enforced by the database itself (added by hand: Prisma does not model triggers).
CREATE TRIGGER "ledger_entry_no_update" BEFORE UPDATE ON "ledger_entry" BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only'); END;
CREATE TRIGGER "ledger_entry_no_delete" BEFORE DELETE ON "ledger_entry" BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only'); END;
CREATE TRIGGER "ledger_node_no_update" BEFORE UPDATE ON "ledger_node" BEGIN SELECT RAISE(ABORT, 'ledger_node is append-only'); END;
CREATE TRIGGER "ledger_node_no_delete" BEFORE DELETE ON "ledger_node" BEGIN SELECT RAISE(ABORT, 'ledger_node is append-only'); END;
CREATE TRIGGER "ledger_checkpoint_no_update" BEFORE UPDATE ON "ledger_checkpoint" BEGIN SELECT RAISE(ABORT, 'ledger_checkpoint is append-only'); END;
CREATE TRIGGER "ledger_checkpoint_no_delete" BEFORE DELETE ON "ledger_checkpoint" BEGIN SELECT RAISE(ABORT, 'ledger_checkpoint is append-only'); END;
