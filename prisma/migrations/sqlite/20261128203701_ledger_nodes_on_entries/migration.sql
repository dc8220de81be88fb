-- Merkle nodes move onto the entry that completes them (see schema.prisma), so an append writes one
-- row, and the database itself now refuses an entry that is not the next link of the hash chain.
-- Redefined as Prisma does for SQLite; nodes backfilled from ledger_node (edited by hand). The leaf
-- hash index goes: unique by construction (each leaf commits to its sequence number), it only slowed appends.
CREATE TABLE "new_ledger_entry" (
    "seq" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "recorded_at" DATETIME NOT NULL,
    "leaf_hash" BLOB NOT NULL,
    "prev_hash" BLOB NOT NULL,
    "canonical" TEXT NOT NULL,
    "nodes" BLOB NOT NULL
);
INSERT INTO "new_ledger_entry" ("actor", "canonical", "leaf_hash", "prev_hash", "recorded_at", "seq", "type", "nodes")
SELECT e."actor", e."canonical", e."leaf_hash", e."prev_hash", e."recorded_at", e."seq", e."type", COALESCE(g."nodes", x'')
FROM "ledger_entry" e
LEFT JOIN (
    SELECT ("idx" + 1) * (1 << "level") - 1 AS "owner", unhex(group_concat(hex("hash"), '' ORDER BY "level")) AS "nodes"
    FROM "ledger_node" WHERE "level" >= 1 GROUP BY "owner"
) g ON g."owner" = e."seq";
DROP TABLE "ledger_node";
DROP TABLE "ledger_entry";
ALTER TABLE "new_ledger_entry" RENAME TO "ledger_entry";
CREATE INDEX "ledger_entry_type_seq_idx" ON "ledger_entry"("type", "seq");
CREATE INDEX "ledger_entry_recorded_at_idx" ON "ledger_entry"("recorded_at");

-- Append-only, enforced by the database itself (added by hand: Prisma does not model triggers).
CREATE TRIGGER "ledger_entry_no_update" BEFORE UPDATE ON "ledger_entry" BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only'); END;
CREATE TRIGGER "ledger_entry_no_delete" BEFORE DELETE ON "ledger_entry" BEGIN SELECT RAISE(ABORT, 'ledger_entry is append-only'); END;
-- Each entry is the next one: no gap, no fork, and it names the hash of the entry before it.
CREATE TRIGGER "ledger_entry_chain" BEFORE INSERT ON "ledger_entry"
WHEN NEW."seq" IS NOT COALESCE((SELECT MAX("seq") FROM "ledger_entry") + 1, 0)
  OR NEW."prev_hash" IS NOT COALESCE((SELECT "leaf_hash" FROM "ledger_entry" WHERE "seq" = NEW."seq" - 1), zeroblob(32))
BEGIN SELECT RAISE(ABORT, 'ledger_entry: not the next entry of the chain'); END;
