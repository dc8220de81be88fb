-- CreateTable
CREATE TABLE "study_access" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "at" DATETIME NOT NULL,
    "study_id" TEXT,
    "study_instance_uid" TEXT NOT NULL,
    "series_instance_uid" TEXT,
    "actor" TEXT NOT NULL,
    "user_id" TEXT,
    "role" TEXT,
    "access_token_id" TEXT,
    "actor_ref" TEXT,
    "how" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "requests" INTEGER NOT NULL DEFAULT 1,
    "address" TEXT,
    CONSTRAINT "study_access_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "study_access_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "study_access_study_id_at_idx" ON "study_access"("study_id", "at");

-- CreateIndex
CREATE INDEX "study_access_at_idx" ON "study_access"("at");

-- CreateIndex
CREATE INDEX "study_access_user_id_at_idx" ON "study_access"("user_id", "at");
