-- Runs once, when the postgres container initialises an empty data volume (files in
-- /docker-entrypoint-initdb.d are skipped on later starts). The app gets its own
-- database so its event store never shares a schema with Temporal's `temporal` and
-- `temporal_visibility` databases (those are created by the temporal-admin-tools job).
CREATE DATABASE aid;
