-- CreateTable
CREATE TABLE "patient" (
    "id" TEXT NOT NULL,
    "patient_key" TEXT NOT NULL,
    "issuer" TEXT NOT NULL DEFAULT '',
    "name" TEXT NOT NULL DEFAULT '',
    "birth_date" TEXT NOT NULL DEFAULT '',
    "sex" TEXT NOT NULL DEFAULT '',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "patient_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "study" (
    "id" TEXT NOT NULL,
    "study_instance_uid" TEXT NOT NULL,
    "patient_id" TEXT NOT NULL,
    "study_date" TEXT NOT NULL DEFAULT '',
    "study_time" TEXT NOT NULL DEFAULT '',
    "description" TEXT NOT NULL DEFAULT '',
    "accession_number" TEXT NOT NULL DEFAULT '',
    "referring_physician" TEXT NOT NULL DEFAULT '',
    "study_id" TEXT NOT NULL DEFAULT '',
    "modalities" TEXT NOT NULL DEFAULT '',
    "series_count" INTEGER NOT NULL DEFAULT 0,
    "instance_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "study_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "series" (
    "id" TEXT NOT NULL,
    "series_instance_uid" TEXT NOT NULL,
    "study_id" TEXT NOT NULL,
    "modality" TEXT NOT NULL DEFAULT '',
    "series_number" INTEGER,
    "description" TEXT NOT NULL DEFAULT '',
    "body_part" TEXT NOT NULL DEFAULT '',
    "instance_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "series_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "instance" (
    "id" TEXT NOT NULL,
    "sop_instance_uid" TEXT NOT NULL,
    "sop_class_uid" TEXT NOT NULL,
    "series_id" TEXT NOT NULL,
    "instance_number" INTEGER,
    "transfer_syntax_uid" TEXT NOT NULL,
    "sha256" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "rows" INTEGER,
    "columns" INTEGER,
    "frames" INTEGER NOT NULL DEFAULT 1,
    "bits_allocated" INTEGER,
    "bits_stored" INTEGER,
    "pixel_representation" INTEGER,
    "samples_per_pixel" INTEGER,
    "photometric_interpretation" TEXT NOT NULL DEFAULT '',
    "image_position_patient" TEXT,
    "image_orientation_patient" TEXT,
    "pixel_spacing" TEXT,
    "slice_thickness" DOUBLE PRECISION,
    "rescale_slope" DOUBLE PRECISION,
    "rescale_intercept" DOUBLE PRECISION,
    "window_center" DOUBLE PRECISION,
    "window_width" DOUBLE PRECISION,
    "pixel_data_offset" INTEGER,
    "pixel_data_length" INTEGER,
    "fragments" INTEGER,
    "warnings" TEXT NOT NULL DEFAULT '[]',
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "instance_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "patient_name_idx" ON "patient"("name");

-- CreateIndex
CREATE UNIQUE INDEX "patient_patient_key_issuer_key" ON "patient"("patient_key", "issuer");

-- CreateIndex
CREATE UNIQUE INDEX "study_study_instance_uid_key" ON "study"("study_instance_uid");

-- CreateIndex
CREATE INDEX "study_patient_id_idx" ON "study"("patient_id");

-- CreateIndex
CREATE INDEX "study_study_date_idx" ON "study"("study_date");

-- CreateIndex
CREATE INDEX "study_accession_number_idx" ON "study"("accession_number");

-- CreateIndex
CREATE INDEX "study_created_at_idx" ON "study"("created_at");

-- CreateIndex
CREATE UNIQUE INDEX "series_series_instance_uid_key" ON "series"("series_instance_uid");

-- CreateIndex
CREATE INDEX "series_study_id_idx" ON "series"("study_id");

-- CreateIndex
CREATE UNIQUE INDEX "instance_sop_instance_uid_key" ON "instance"("sop_instance_uid");

-- CreateIndex
CREATE INDEX "instance_series_id_instance_number_idx" ON "instance"("series_id", "instance_number");

-- CreateIndex
CREATE INDEX "instance_sha256_idx" ON "instance"("sha256");

-- AddForeignKey
ALTER TABLE "study" ADD CONSTRAINT "study_patient_id_fkey" FOREIGN KEY ("patient_id") REFERENCES "patient"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "series" ADD CONSTRAINT "series_study_id_fkey" FOREIGN KEY ("study_id") REFERENCES "study"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "instance" ADD CONSTRAINT "instance_series_id_fkey" FOREIGN KEY ("series_id") REFERENCES "series"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
