-- CreateTable
CREATE TABLE "burned_in_clearance" (
    "study_id" TEXT NOT NULL PRIMARY KEY,
    "cleared_by_id" TEXT NOT NULL,
    "note" TEXT NOT NULL DEFAULT '',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "burned_in_clearance_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
