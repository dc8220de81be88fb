-- CreateTable
CREATE TABLE "sign_in_throttle" (
    "key" TEXT NOT NULL PRIMARY KEY,
    "failures" INTEGER NOT NULL,
    "window_start" BIGINT NOT NULL
);
