-- A failing job is retried with backoff and, after its last attempt, left dead: it never blocks the queue, and every
-- other tenant's jobs keep running.
ALTER TABLE background_jobs
    ADD COLUMN attempts integer NOT NULL DEFAULT 0,
    ADD COLUMN last_error text,
    ADD COLUMN run_after timestamptz NOT NULL DEFAULT now();

CREATE INDEX background_jobs_queue_idx ON background_jobs (run_after, id) WHERE state = 'queued';
