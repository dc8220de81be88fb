-- CreateTable
CREATE TABLE "ledger_entry" (
    "seq" INTEGER NOT NULL,
    "type" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "recorded_at" TIMESTAMP(3) NOT NULL,
    "leaf_hash" BYTEA NOT NULL,
    "prev_hash" BYTEA NOT NULL,
    "canonical" TEXT NOT NULL,

    CONSTRAINT "ledger_entry_pkey" PRIMARY KEY ("seq")
);

-- CreateTable
CREATE TABLE "ledger_node" (
    "level" INTEGER NOT NULL,
    "idx" INTEGER NOT NULL,
    "hash" BYTEA NOT NULL,

    CONSTRAINT "ledger_node_pkey" PRIMARY KEY ("level","idx")
);

-- CreateTable
CREATE TABLE "ledger_checkpoint" (
    "tree_size" INTEGER NOT NULL,
    "root_hash" BYTEA NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL,
    "note" TEXT NOT NULL,

    CONSTRAINT "ledger_checkpoint_pkey" PRIMARY KEY ("tree_size")
);

-- CreateIndex
CREATE UNIQUE INDEX "ledger_entry_leaf_hash_key" ON "ledger_entry"("leaf_hash");

-- CreateIndex
CREATE INDEX "ledger_entry_type_seq_idx" ON "ledger_entry"("type", "seq");

-- CreateIndex
CREATE INDEX "ledger_entry_recorded_at_idx" ON "ledger_entry"("recorded_at");

-- Append-only, enforced by the database itself (added by hand: Prisma does not model triggers).
CREATE FUNCTION "cohort_refuse_change"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END
$$;
CREATE TRIGGER "ledger_entry_append_only" BEFORE UPDATE OR DELETE ON "ledger_entry" FOR EACH ROW EXECUTE FUNCTION "cohort_refuse_change"();
CREATE TRIGGER "ledger_entry_no_truncate" BEFORE TRUNCATE ON "ledger_entry" FOR EACH STATEMENT EXECUTE FUNCTION "cohort_refuse_change"();
CREATE TRIGGER "ledger_node_append_only" BEFORE UPDATE OR DELETE ON "ledger_node" FOR EACH ROW EXECUTE FUNCTION "cohort_refuse_change"();
CREATE TRIGGER "ledger_node_no_truncate" BEFORE TRUNCATE ON "ledger_node" FOR EACH STATEMENT EXECUTE FUNCTION "cohort_refuse_change"();
CREATE TRIGGER "ledger_checkpoint_append_only" BEFORE UPDATE OR DELETE ON "ledger_checkpoint" FOR EACH ROW EXECUTE FUNCTION "cohort_refuse_change"();
CREATE TRIGGER "ledger_checkpoint_no_truncate" BEFORE TRUNCATE ON "ledger_checkpoint" FOR EACH STATEMENT EXECUTE FUNCTION "cohort_refuse_change"();
