-- CreateTable
CREATE TABLE "recipient_key" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "user_id" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "recipient" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "revoked_at" DATETIME,
    CONSTRAINT "recipient_key_user_id_fkey" FOREIGN KEY ("user_id") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "dataset_version_grant" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "version_id" TEXT NOT NULL,
    "recipient_key_id" TEXT NOT NULL,
    "granted_by_id" TEXT NOT NULL,
    "wrapped" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "dataset_version_grant_version_id_fkey" FOREIGN KEY ("version_id") REFERENCES "dataset_version" ("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "dataset_version_grant_recipient_key_id_fkey" FOREIGN KEY ("recipient_key_id") REFERENCES "recipient_key" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateIndex
CREATE INDEX "recipient_key_user_id_idx" ON "recipient_key"("user_id");

-- CreateIndex
CREATE INDEX "dataset_version_grant_recipient_key_id_idx" ON "dataset_version_grant"("recipient_key_id");

-- CreateIndex
CREATE UNIQUE INDEX "dataset_version_grant_version_id_recipient_key_id_key" ON "dataset_version_grant"("version_id", "recipient_key_id");
