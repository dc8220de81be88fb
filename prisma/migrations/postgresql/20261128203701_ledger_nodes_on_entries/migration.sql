-- Merkle nodes move onto the entry that completes them (see schema.prisma), so an append writes one
-- row, and the database itself now refuses an entry that is not the next link of the hash chain.
-- Nodes backfilled from ledger_node (edited by hand).
ALTER TABLE "ledger_entry" ADD COLUMN "nodes" BYTEA;
ALTER TABLE "ledger_entry" DISABLE TRIGGER "ledger_entry_append_only";
UPDATE "ledger_entry" e SET "nodes" = g."nodes"
FROM (
    SELECT ("idx" + 1) * (1::bigint << "level") - 1 AS "owner", string_agg("hash", ''::bytea ORDER BY "level") AS "nodes"
    FROM "ledger_node" WHERE "level" >= 1 GROUP BY 1
) g
WHERE g."owner" = e."seq";
UPDATE "ledger_entry" SET "nodes" = ''::bytea WHERE "nodes" IS NULL;
ALTER TABLE "ledger_entry" ENABLE TRIGGER "ledger_entry_append_only";
ALTER TABLE "ledger_entry" ALTER COLUMN "nodes" SET NOT NULL;

-- Unique by construction (each leaf commits to its sequence number); an index would only slow appends.
DROP INDEX "ledger_entry_leaf_hash_key";

-- DropTable
DROP TABLE "ledger_node";

-- Each entry is the next one: no gap, no fork, and it names the hash of the entry before it.
CREATE FUNCTION "cohort_ledger_chain"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  head_seq INTEGER;
  head_hash BYTEA;
BEGIN
  SELECT "seq", "leaf_hash" INTO head_seq, head_hash FROM "ledger_entry" ORDER BY "seq" DESC LIMIT 1;
  IF NEW."seq" IS DISTINCT FROM COALESCE(head_seq + 1, 0)
     OR NEW."prev_hash" IS DISTINCT FROM COALESCE(head_hash, decode(repeat('00', 32), 'hex')) THEN
    RAISE EXCEPTION 'ledger_entry: not the next entry of the chain' USING ERRCODE = 'integrity_constraint_violation';
  END IF;
  RETURN NEW;
END
$$;
CREATE TRIGGER "ledger_entry_chain" BEFORE INSERT ON "ledger_entry" FOR EACH ROW EXECUTE FUNCTION "cohort_ledger_chain"();
